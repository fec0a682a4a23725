// A short flow through a client generated from docs/openapi.json (openapi-typescript types,
// openapi-fetch calls): client.test.mjs generates ./schema.d.ts beside a copy of this file,
// type-checks both (so a request or a field the document lacks fails the compile) and runs it
// against a real server.
import createClient from 'openapi-fetch';
import type { paths, components } from './schema';

type WorkOrder = components['schemas']['WorkOrder'];

export interface FlowResult {
  order: string;
  center: { states: string[]; kinds: string[]; handler: string | null };
  collab: { states: string[]; outcome: string | null; kinds: string[] };
}

function must<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) throw new Error(`${what}: ${r.response.status} ${JSON.stringify(r.error)}`);
  return r.data;
}

export async function flow(base: string, tokens: Record<string, string>): Promise<FlowResult> {
  const as = (who: string) => createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${tokens[who]}` } });
  const lead = as('tea_lead');
  const agent = as('tea_agent1');
  const xiaoer = as('xiaoer1');
  const supervisor = as('supervisor');

  // an order comes in from the shop's system; a work order is made from it
  const orderNo = `TB-CLIENT-${Date.now()}`;
  const order = must('put order', await lead.PUT('/api/v1/orders/{order_no}', {
    params: { path: { order_no: orderNo } },
    body: { buyer_nick: '客户端买家', status: 'paid', paid_amount: 25800, items: [{ title: '西湖龙井 250g', sku: 'LJ-250', quantity: 1, price: 25800 }] },
  }));
  const created = await lead.POST('/api/v1/workorders', { body: { type: 'after_sales', title: '买家要求换货', content: '外包装破损', order_no: order.order_no } });
  let wo: WorkOrder = must('create', created);
  const states = [wo.state];

  // transferred to an agent (If-Match from the ETag), noted and completed by them
  const users = must('users', await lead.GET('/api/v1/users'));
  const to = users.items.find((u) => u.username === 'tea_agent1');
  if (!to) throw new Error('no tea_agent1');
  const etag = created.response.headers.get('ETag') ?? '*';
  wo = must('transfer', await lead.POST('/api/v1/workorders/{id}/transfer', {
    params: { path: { id: wo.id }, header: { 'If-Match': etag } }, body: { to: to.id, reason: '售后同事跟进' },
  }));
  states.push(wo.state);
  wo = must('note', await agent.POST('/api/v1/workorders/{id}/notes', { params: { path: { id: wo.id } }, body: { text: '已联系买家，同意换货' } }));
  wo = must('complete', await agent.POST('/api/v1/workorders/{id}/complete', { params: { path: { id: wo.id } }, body: { text: '已寄出新品' } }));
  states.push(wo.state);
  const detail = must('detail', await lead.GET('/api/v1/workorders/{id}', { params: { path: { id: wo.id } } }));

  // a buyer's complaint on the same order: the platform opens a case, the seller answers, the
  // platform's check fails, the supervisor judges
  const me = must('me', await lead.GET('/api/v1/me'));
  let c = must('open case', await xiaoer.POST('/api/v1/collab', {
    body: { shop_id: me.user.shop_id ?? '', order_no: orderNo, category: '描述不符', complaint: '收到的茶叶与描述不符', remedy: 'refund' },
  }));
  const cstates = [c.state];
  c = must('reply', await lead.POST('/api/v1/workorders/{id}/reply', { params: { path: { id: c.id } }, body: { option: 'other', description: '买家电话空号' } }));
  cstates.push(c.state);
  c = must('verify', await xiaoer.POST('/api/v1/workorders/{id}/verify', { params: { path: { id: c.id } }, body: { result: 'rejected', remark: '通话记录显示已接通' } }));
  cstates.push(c.state);
  c = must('judge', await supervisor.POST('/api/v1/workorders/{id}/judge', {
    params: { path: { id: c.id } },
    body: { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: '商家未能证明与买家协商', rule_article: '《争议处理规则》第十八条' },
  }));
  cstates.push(c.state);
  const cdetail = must('case detail', await lead.GET('/api/v1/workorders/{id}', { params: { path: { id: c.id } } }));

  return {
    order: order.order_no,
    center: { states, kinds: detail.events.map((e) => e.kind), handler: detail.workorder.handler?.display_name ?? null },
    collab: { states: cstates, outcome: cdetail.workorder.collab?.judgement?.outcome ?? null, kinds: cdetail.events.map((e) => e.kind) },
  };
}
