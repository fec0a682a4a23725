// The buyer's history beside a work order (GET /workorders/{id}/buyer_history): the buyer's orders
// in this shop, newest first; the work orders about the buyer that the reader may open; how the
// buyer's collaborative cases stand. Another shop's buyer of the same nick is not this buyer,
// and a work order an agent may not open is not counted for them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, startServer } from './lib.mjs';

let srv, lead, agent1, agent2, otherLead, xiaoer, sup;
const NICK = '历史买家小周';

const order = (created_at) => ({ buyer_nick: NICK, status: 'signed', paid_amount: 5600,
  items: [{ title: '白茶饼 357g', sku: 'BC-357', quantity: 1, price: 5600 }], created_at });

async function createWO(c, body) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', title: '买家申请退款',
    content: '茶饼有霉点', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  [lead, agent1, agent2, otherLead, xiaoer, sup] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1', 'supervisor'].map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

test("a lead sees the buyer's orders, work orders and disputes; an agent only what they may open", async () => {
  for (const [no, at] of [['BH-1', '2026-03-01T10:00:00+08:00'], ['BH-2', '2026-05-01T10:00:00+08:00'],
    ['BH-3', '2026-04-01T10:00:00+08:00']]) {
    assert.equal((await lead.put(`/api/v1/orders/${no}`, order(at))).status, 201);
  }
  // the same nick in another shop is another buyer
  assert.equal((await otherLead.put('/api/v1/orders/BH-OTHER', order('2026-06-01T10:00:00+08:00'))).status, 201);
  await createWO(otherLead, { order_no: 'BH-OTHER' });

  const mine = await createWO(lead, { order_no: 'BH-1', handler_id: agent1.user.id });
  const theirs = await createWO(lead, { order_no: 'BH-2', handler_id: agent2.user.id, title: '换货' });
  const plain = await createWO(lead, { buyer_nick: NICK, handler_id: agent1.user.id, title: '咨询发票' });
  const c = await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: 'BH-3',
    category: '质量问题', complaint: '茶饼发霉', remedy: 'refund' });
  assert.equal(c.status, 201, JSON.stringify(c.body));

  const h = await lead.get(`/api/v1/workorders/${mine.id}/buyer_history`);
  assert.equal(h.status, 200, JSON.stringify(h.body));
  assert.equal(h.body.buyer_nick, NICK);
  assert.deepEqual(h.body.orders.map((o) => o.order_no), ['BH-2', 'BH-3', 'BH-1'], 'newest order first');
  assert.deepEqual(h.body.workorders.map((w) => w.id), [c.body.id, plain.id, theirs.id, mine.id],
    'newest work order first, the page\'s own included, the other shop\'s not');
  assert.equal(h.body.more, false);
  assert.deepEqual(h.body.disputes, { total: 1, open: 1, settled: 0, for_buyer: 0, for_seller: 0 });

  // agent1 handles two of them: the other agent's work order and the collaborative case (the
  // shop's after-sales handler's) are not theirs to open, so not in their history either
  const a = await agent1.get(`/api/v1/workorders/${mine.id}/buyer_history`);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const seen = a.body.workorders.map((w) => w.id);
  assert.ok(seen.includes(mine.id) && seen.includes(plain.id), JSON.stringify(seen));
  assert.ok(!seen.includes(theirs.id), 'another agent\'s work order');
  for (const id of seen) assert.equal((await agent1.get(`/api/v1/workorders/${id}`)).status, 200);
  assert.equal(a.body.disputes.total, seen.includes(c.body.id) ? 1 : 0);
  // and a work order they may not open has no history for them
  assert.equal((await agent1.get(`/api/v1/workorders/${theirs.id}/buyer_history`)).status, 404);
  // platform staff see the buyer's case they may open, no ordinary work order and no orders
  const x = await xiaoer.get(`/api/v1/workorders/${c.body.id}/buyer_history`);
  assert.equal(x.status, 200, JSON.stringify(x.body));
  assert.deepEqual(x.body.workorders.map((w) => w.id), [c.body.id]);
  assert.deepEqual(x.body.orders, []);
  assert.equal(x.body.disputes.total, 1);
  // nor for another shop
  assert.equal((await otherLead.get(`/api/v1/workorders/${mine.id}/buyer_history`)).status, 404);
});

test('disputes count by how they stand: open, settled by agreement, judged for the buyer, judged for the seller', async () => {
  const nick = '常投诉的买家';
  const cases = [];
  for (let i = 1; i <= 4; i++) {
    const no = `BH-D${i}`;
    assert.equal((await lead.put(`/api/v1/orders/${no}`, { ...order('2026-03-01T10:00:00+08:00'), buyer_nick: nick })).status, 201);
    const c = await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: no,
      category: '质量问题', complaint: '茶饼发霉', remedy: 'refund' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    cases.push(c.body);
  }
  const [, agreed, lost, won] = cases;
  // one stays open; one is settled by agreement; two are judged after a disagreement
  assert.equal((await lead.post(`/api/v1/workorders/${agreed.id}/reply`, { option: 'agreed' })).body.state, 'resolved');
  for (const [c, judgement] of [[lost, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller' }],
    [won, { outcome: 'support_seller', remedy: 'reject_claim', liable_party: 'buyer' }]]) {
    const r = await lead.post(`/api/v1/workorders/${c.id}/reply`, { option: 'not_agreed', description: '买家拒绝协商' });
    assert.equal(r.body.state, 'intervention', JSON.stringify(r.body));
    const j = await sup.post(`/api/v1/workorders/${c.id}/judge`, { ...judgement, reasoning: '依据聊天记录', rule_article: '第十八条' });
    assert.equal(j.body.state, 'judged', JSON.stringify(j.body));
  }
  const h = await lead.get(`/api/v1/workorders/${cases[0].id}/buyer_history`);
  assert.equal(h.status, 200, JSON.stringify(h.body));
  assert.deepEqual(h.body.disputes, { total: 4, open: 1, settled: 1, for_buyer: 1, for_seller: 1 });
});

test('a work order about no buyer has an empty history; an unknown id is 404', async () => {
  const wo = await createWO(lead, { title: '仓库盘点', handler_id: agent1.user.id });
  const h = await lead.get(`/api/v1/workorders/${wo.id}/buyer_history`);
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { buyer_nick: null, orders: [], workorders: [], more: false,
    disputes: { total: 0, open: 0, settled: 0, for_buyer: 0, for_seller: 0 } });
  assert.equal((await lead.get('/api/v1/workorders/999999999/buyer_history')).status, 404);
});
