// Who may open what (docs/permissions.md): inside a shop an agent opens the work orders that are
// theirs (created, handled, handled before) and nothing else — every other work order is 404 on
// every path, exactly as one that does not exist; leads and owners open the whole shop. Orders
// are written by the owner, leads and their API tokens and read by the whole shop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client } from './lib.mjs';

let srv, owner, lead, agent1, agent2, warehouse, xiaoer;

before(async () => {
  srv = await startServer();
  [owner, lead, agent1, agent2, warehouse, xiaoer] = await Promise.all(
    ['tea_owner', 'tea_lead', 'tea_agent1', 'tea_agent2', 'tea_warehouse', 'xiaoer1'].map((u) => client(srv, u)));
});
after(async () => { await srv.cleanup(); });

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const order = (extra = {}) => ({ buyer_nick: '真买家', status: 'paid', paid_amount: 9900,
  items: [{ title: '碧螺春 100g', sku: 'BLC-100', quantity: 1, price: 9900 }], ...extra });

async function createWO(c, body = {}) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', title: '退款', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('an agent opens only their own work orders: every other one is 404 like a missing id', async () => {
  const wo = await createWO(agent1, { title: '机密工单甲乙', handler_id: agent1.user.id });
  const missing = await agent2.get('/api/v1/workorders/1');
  assert.equal(missing.status, 404);
  const paths = [
    ['get', `/api/v1/workorders/${wo.id}`],
    ['patch', `/api/v1/workorders/${wo.id}`, { title: '改' }],
    ['post', `/api/v1/workorders/${wo.id}/notes`, { text: '看看' }],
    ['post', `/api/v1/workorders/${wo.id}/start`],
    ['post', `/api/v1/workorders/${wo.id}/complete`],
    ['post', `/api/v1/workorders/${wo.id}/cancel`],
    ['post', `/api/v1/workorders/${wo.id}/assign`, { to: agent2.user.id }],
    ['post', `/api/v1/workorders/${wo.id}/transfer`, { to: agent2.user.id, reason: '抢单' }],
  ];
  for (const [m, path, body] of paths) {
    const r = await agent2[m](path, body);
    assert.equal(r.status, 404, `${m} ${path} by an agent it is not for`);
    assert.equal(r.body.error.code, missing.body.error.code);
  }
  // nothing was written by those attempts
  const seen = await lead.get(`/api/v1/workorders/${wo.id}`);
  assert.equal(seen.status, 200, 'a lead opens the whole shop');
  assert.equal(seen.body.workorder.version, 1);
  assert.equal((await owner.get(`/api/v1/workorders/${wo.id}`)).status, 200);
  assert.equal((await agent1.get(`/api/v1/workorders/${wo.id}`)).status, 200, 'its creator and handler');
  // a handler who did not create it opens it too
  const handed = await createWO(lead, { handler_id: agent2.user.id });
  assert.equal((await agent2.get(`/api/v1/workorders/${handed.id}`)).status, 200);
  assert.equal((await agent1.get(`/api/v1/workorders/${handed.id}`)).status, 404);
});

test('a former handler still opens the work order (read only); the next handler acts', async () => {
  const wo = await createWO(lead, { handler_id: agent1.user.id });
  let r = await agent1.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent2.user.id, reason: '交接' });
  assert.equal(r.status, 200);
  r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  assert.equal(r.status, 200, 'handled before');
  assert.deepEqual(r.body.allowed_actions, []);
  assert.equal((await agent1.post(`/api/v1/workorders/${wo.id}/complete`)).status, 403);
  assert.equal((await warehouse.get(`/api/v1/workorders/${wo.id}`)).status, 404, 'never handled it');
  // a lead reassigning it away from agent2 leaves agent2 a former handler too
  r = await lead.post(`/api/v1/workorders/${wo.id}/assign`, { to: warehouse.user.id });
  assert.equal(r.status, 200);
  assert.equal((await agent2.get(`/api/v1/workorders/${wo.id}`)).status, 200);
  assert.equal((await warehouse.get(`/api/v1/workorders/${wo.id}`)).status, 200);
});

test('views, search and export never list what the agent may not open', async () => {
  const word = '翡翠独有词';
  const wo = await createWO(lead, { title: `${word}工单`, handler_id: agent1.user.id });
  for (const view of ['todo', 'created', 'assigned', 'overdue']) {
    const r = await agent2.get(`/api/v1/workorders?view=${view}&q=${encodeURIComponent(word)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 0, `view=${view} for another agent`);
  }
  assert.equal((await agent2.get('/api/v1/workorders?view=shop')).status, 403);
  const mine = await agent1.get(`/api/v1/workorders?view=todo&q=${encodeURIComponent(word)}`);
  assert.deepEqual(mine.body.items.map((w) => w.id), [wo.id]);
  const all = await lead.get(`/api/v1/workorders?view=shop&q=${encodeURIComponent(word)}`);
  assert.deepEqual(all.body.items.map((w) => w.id), [wo.id]);
  const exp = await agent2.post('/api/v1/exports', { format: 'csv', view: 'shop' });
  assert.equal(exp.status, 403);
  assert.equal((await agent2.get('/api/v1/stats?from=2026-01-01&to=2026-01-31')).status, 403);
});

test('an attachment is for whoever may open its work order', async () => {
  const orders = (await lead.get('/api/v1/orders?limit=5')).body.items;
  const c = await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: orders[0].order_no,
    category: '描述不符', complaint: '颜色不对', remedy: 'return_refund' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const up = await (async () => {
    const fd = new FormData();
    fd.append('file', new Blob([PNG], { type: 'image/png' }), '聊天记录.png');
    return lead.post('/api/v1/attachments', fd);
  })();
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const r = await lead.post(`/api/v1/workorders/${c.body.id}/reply`, { option: 'not_agreed', description: '见附件', attachment_ids: [up.body.id] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const handler = c.body.handler?.id;
  const outsider = [agent1, agent2, warehouse].find((a) => a.user.id !== handler);
  assert.equal((await outsider.get(`/api/v1/workorders/${c.body.id}`)).status, 404);
  const dl = await outsider.get(`/api/v1/attachments/${up.body.id}`);
  assert.equal(dl.status, 404, 'the download is as closed as its work order');
  assert.equal((await lead.get(`/api/v1/attachments/${up.body.id}`)).status, 200);
  assert.equal((await xiaoer.get(`/api/v1/attachments/${up.body.id}`)).status, 200);
});

test('orders: agents read them; only owner, leads and their tokens write (PUT and import)', async () => {
  let r = await lead.put('/api/v1/orders/TB-ACL-1', order({ created_at: '2026-01-05T10:00:00Z' }));
  assert.equal(r.status, 201);
  const stored = (await lead.get('/api/v1/orders/TB-ACL-1')).body;
  r = await agent1.put('/api/v1/orders/TB-ACL-1', order({ status: 'closed', paid_amount: 1, buyer_nick: 'attacker', items: [] }));
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /owner, leads/);
  assert.deepEqual((await agent1.get('/api/v1/orders/TB-ACL-1')).body, stored, 'an agent reads it, unchanged');
  r = await agent1.put('/api/v1/orders/FAKE-ORDER-1', order());
  assert.equal(r.status, 403);
  assert.equal((await lead.get('/api/v1/orders/FAKE-ORDER-1')).status, 404, 'no order was invented');
  r = await agent1.post('/api/v1/orders/import', 'order_no,buyer_nick,status,paid_amount\r\nFAKE-2,x,paid,1\r\n', { 'content-type': 'text/csv' });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /owner, leads/);
  assert.equal((await xiaoer.put('/api/v1/orders/TB-ACL-1', order())).status, 403);
  assert.equal((await xiaoer.get('/api/v1/orders/TB-ACL-1')).status, 404);
  // the owner's integration token writes; the answer is the stored row (created_at kept)
  const integration = await client(srv, 'tea_owner');
  r = await integration.put('/api/v1/orders/TB-ACL-1', order({ status: 'signed', created_at: '2026-03-01T00:00:00Z' }));
  assert.equal(r.status, 200);
  const now = (await lead.get('/api/v1/orders/TB-ACL-1')).body;
  assert.equal(now.status, 'signed');
  assert.equal(r.body.created_at, stored.created_at, 'an update keeps the order\'s created_at');
  assert.deepEqual(r.body, now, 'the PUT answer is what is stored');
});

test('an order that ships completes its shipping work orders, saying the state they left', async () => {
  assert.equal((await lead.put('/api/v1/orders/TB-SHIP-1', order())).status, 201);
  const a = await createWO(agent1, { type: 'shipping', order_no: 'TB-SHIP-1', handler_id: warehouse.user.id });
  const b = await createWO(agent1, { type: 'shipping', order_no: 'TB-SHIP-1', handler_id: warehouse.user.id });
  const memo = await createWO(agent1, { type: 'after_sales', order_no: 'TB-SHIP-1', handler_id: warehouse.user.id });
  assert.equal((await warehouse.post(`/api/v1/workorders/${b.id}/start`)).status, 200);
  assert.equal((await agent1.put('/api/v1/orders/TB-SHIP-1', order({ status: 'shipped' }))).status, 403);
  assert.equal((await lead.get(`/api/v1/workorders/${a.id}`)).body.workorder.state, 'open', 'an agent cannot ship it');
  assert.equal((await lead.put('/api/v1/orders/TB-SHIP-1', order({ status: 'shipped' }))).status, 200);
  for (const [wo, from] of [[a, 'open'], [b, 'in_progress']]) {
    const d = (await lead.get(`/api/v1/workorders/${wo.id}`)).body;
    assert.equal(d.workorder.state, 'done');
    const ev = d.events.at(-1);
    assert.equal(ev.kind, 'state_changed');
    assert.deepEqual([ev.data.from, ev.data.to, ev.data.reason], [from, 'done', 'order_shipped']);
  }
  assert.equal((await lead.get(`/api/v1/workorders/${memo.id}`)).body.workorder.state, 'open', 'other types stay');
});

test('badge counts: an agent counts the collaborative cases that are theirs, not the shop\'s', async () => {
  const orders = (await lead.get('/api/v1/orders?limit=5')).body.items;
  const before = await Promise.all([lead, agent1, agent2, warehouse].map(async (c) => (await c.get('/api/v1/workorders/counts')).body.collab_awaiting));
  const c = await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: orders[1].order_no,
    category: '描述不符', complaint: '尺码不对', remedy: 'exchange' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const handler = c.body.handler?.id;
  const after = await Promise.all([lead, agent1, agent2, warehouse].map(async (x) => (await x.get('/api/v1/workorders/counts')).body.collab_awaiting));
  assert.equal(after[0], before[0] + 1, 'the lead counts the whole shop');
  [agent1, agent2, warehouse].forEach((a, i) => {
    assert.equal(after[i + 1], before[i + 1] + (a.user.id === handler ? 1 : 0), `${a.username}: only their own`);
  });
});


test('the seller who replied to a collaborative case still opens it once the platform handles it', async () => {
  const shopId = lead.user.shop_id;
  const orderNo = (await lead.get('/api/v1/orders?limit=1')).body.items[0].order_no;
  const c = await xiaoer.post('/api/v1/collab', { shop_id: shopId, order_no: orderNo, category: '质量问题', complaint: '茶饼受潮', remedy: 'reship' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.handler?.id, agent2.user.id, "the demo shop's after-sales handler gets the case");
  const reply = await agent2.post(`/api/v1/workorders/${c.body.id}/reply`, { option: 'other', description: '已与买家电话沟通，改为补发。' });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(reply.body.state, 'platform_verify');
  assert.notEqual(reply.body.handler?.id, agent2.user.id, 'the platform handles the case now');
  const seen = await agent2.get(`/api/v1/workorders/${c.body.id}`);
  assert.equal(seen.status, 200, 'the agent who replied follows the case they took part in');
  assert.equal((await agent1.get(`/api/v1/workorders/${c.body.id}`)).status, 404, 'an agent who took no part does not');
});
