// API tests of the work order center against the real binary over HTTP: every route and action,
// bad input, concurrency controls, views and counts, tenant isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, client, INVALID } from './lib.mjs';

let srv, lead, agent1, agent2, warehouse, otherLead, otherAgent, xiaoer;

before(async () => {
  srv = await startServer();
  [lead, agent1, agent2, warehouse, otherLead, otherAgent, xiaoer] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'tea_agent2', 'tea_warehouse', 'baby_lead', 'baby_agent1', 'xiaoer1'].map((u) => client(srv, u)));
});
after(async () => { await srv.cleanup(); });

const newOrder = (extra = {}) => ({ buyer_nick: '测试买家', status: 'paid', paid_amount: 12800,
  items: [{ title: '西湖龙井 250g', sku: 'LJ-250', quantity: 2, price: 6400 }], ...extra });

async function createWO(c, body = {}, headers = {}) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', title: '买家申请退款', content: '商品破损', handler_id: agent1.user.id, ...body }, headers);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('sign-in sets an HttpOnly SameSite=Strict cookie; mutations need the CSRF token', async () => {
  const r = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tea_agent2', password: 'gongdan-demo' }) });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const body = await r.json();
  assert.equal(body.user.role, 'shop_agent');
  assert.equal(body.user.shop_name, '江南茶舍旗舰店');
  const jar = cookie.split(';')[0];
  const me = await fetch(srv.base + '/api/v1/me', { headers: { cookie: jar } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).csrf_token, body.csrf_token);
  const noCsrf = await fetch(srv.base + '/api/v1/workorders/' + '1' + '/notes', { method: 'POST', headers: { cookie: jar, 'content-type': 'application/json' }, body: '{"text":"x"}' });
  assert.equal(noCsrf.status, 403);
  assert.equal((await noCsrf.json()).error.field, 'X-CSRF-Token');
  const c = await client(srv, 'tea_agent2', { cookie: true });
  const wo = await createWO(c, { handler_id: c.user.id });
  assert.equal(wo.creator.id, c.user.id);
  const out = await c.delete('/api/v1/session');
  assert.equal(out.status, 204);
  const after = await fetch(srv.base + '/api/v1/me', { headers: { cookie: c.headers.cookie } });
  assert.equal(after.status, 401);
});

test('wrong password is 401; repeated failures are throttled with 429', async () => {
  const bad = (u) => fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'wrong-password' }) });
  assert.equal((await bad('tea_owner')).status, 401);
  for (let i = 0; i < 4; i++) await bad('tea_owner');
  const r = await bad('tea_owner');
  assert.equal(r.status, 429);
  // even the right password waits out the lock
  const ok = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tea_owner', password: 'gongdan-demo' }) });
  assert.equal(ok.status, 429);
  // another user is not affected
  const other = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'baby_owner', password: 'gongdan-demo' }) });
  assert.equal(other.status, 200);
});

test('no or bad credentials get 401 with a clear message', async () => {
  let r = await fetch(srv.base + '/api/v1/workorders');
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.code, 'unauthenticated');
  r = await fetch(srv.base + '/api/v1/workorders', { headers: { authorization: 'Bearer gdt_nope' } });
  assert.equal(r.status, 401);
  r = await fetch(srv.base + '/api/v1/workorders', { headers: { authorization: 'Basic abc' } });
  assert.equal(r.status, 401);
  r = await fetch(srv.base + '/api/v1/workorders', { headers: { cookie: 'gd_session=forged' } });
  assert.equal(r.status, 401);
});

test('me and users list the shop\'s people only', async () => {
  const me = await agent1.get('/api/v1/me');
  assert.equal(me.body.user.username, 'tea_agent1');
  const users = await agent1.get('/api/v1/users');
  assert.equal(users.status, 200);
  const names = users.body.items.map((u) => u.username).sort();
  assert.deepEqual(names, ['tea_agent1', 'tea_agent2', 'tea_lead', 'tea_owner', 'tea_warehouse']);
});

test('orders: upsert, get, search, validation', async () => {
  let r = await lead.put('/api/v1/orders/TB-API-1', newOrder());
  assert.equal(r.status, 201);
  assert.equal(r.body.paid_amount, 12800);
  r = await lead.put('/api/v1/orders/TB-API-1', newOrder({ status: 'signed' }));
  assert.equal(r.status, 200);
  r = await lead.get('/api/v1/orders/TB-API-1');
  assert.equal(r.body.status, 'signed');
  assert.equal(r.body.items[0].title, '西湖龙井 250g');
  r = await lead.get('/api/v1/orders?q=TB-API');
  assert.equal(r.body.items.length, 1);
  r = await lead.get('/api/v1/orders?q=' + encodeURIComponent('测试'));
  assert.ok(r.body.items.some((o) => o.order_no === 'TB-API-1'));
  const bad = [
    [newOrder({ status: 'lost' }), 'status'],
    [newOrder({ paid_amount: -1 }), 'paid_amount'],
    [newOrder({ paid_amount: '12' }), 'paid_amount'],
    [newOrder({ buyer_nick: 'x'.repeat(65) }), 'buyer_nick'],
    [newOrder({ items: [{ title: 'a' }] }), 'items'],
    [newOrder({ items: 'none' }), 'items'],
    [{ ...newOrder(), colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of bad) {
    r = await lead.put('/api/v1/orders/TB-API-BAD', body, INVALID);
    assert.equal(r.status, 422, field);
    assert.equal(r.body.error.field, field);
  }
  r = await lead.get('/api/v1/orders/TB-API-BAD');
  assert.equal(r.status, 404);
  r = await xiaoer.put('/api/v1/orders/TB-X', newOrder());
  assert.equal(r.status, 403);
});

test('orders: CSV import stores good rows and reports bad rows with line numbers', async () => {
  const csv = '\ufefforder_no,buyer_nick,status,paid_amount,created_at,items\r\n' +
    'IMP-1,"张,三",paid,100,2026-01-02T10:00:00+08:00,"[{""title"":""茶"",""sku"":""S"",""quantity"":1,""price"":100}]"\r\n' +
    'IMP-2,李四,lost,100,,\r\n' +
    'IMP-3,王五,shipped,abc,,\r\n' +
    'IMP-4,"多行\n备注",paid,300,,\r\n' +
    'IMP 5,赵六,paid,1,,\r\n';
  const r = await lead.post('/api/v1/orders/import', csv, { 'content-type': 'text/csv' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rows, 5);
  assert.equal(r.body.stored, 2);
  assert.equal(r.body.rejected, 3);
  assert.deepEqual(r.body.errors.map((e) => e.line), [3, 4, 7]);
  assert.match(r.body.errors[0].reason, /status/);
  assert.match(r.body.errors[1].reason, /paid_amount/);
  assert.equal((await lead.get('/api/v1/orders/IMP-1')).body.buyer_nick, '张,三');
  assert.equal((await lead.get('/api/v1/orders/IMP-4')).body.buyer_nick, '多行\n备注');
  assert.equal((await lead.get('/api/v1/orders/IMP-2')).status, 404);
  const wrongType = await lead.post('/api/v1/orders/import', csv, { 'content-type': 'application/json', ...INVALID });
  assert.equal(wrongType.status, 415);
  const agentTry = await agent1.post('/api/v1/orders/import', csv, { 'content-type': 'text/csv' });
  assert.equal(agentTry.status, 403);
  const noHeader = await lead.post('/api/v1/orders/import', 'a,b\r\n', { 'content-type': 'text/csv' });
  assert.equal(noHeader.status, 422);
});

test('create from an order fills buyer and order; default deadline from the type', async () => {
  await lead.put('/api/v1/orders/TB-WO-1', newOrder({ buyer_nick: '晴天' }));
  const before = Date.now();
  const wo = await createWO(agent1, { order_no: 'TB-WO-1', type: 'order_review' });
  assert.equal(wo.buyer_nick, '晴天');
  assert.equal(wo.order_no, 'TB-WO-1');
  assert.match(wo.number, /^GD-\d{6}$/);
  assert.equal(wo.state, 'open');
  assert.equal(wo.version, 1);
  const due = Date.parse(wo.deadline) - before;
  assert.ok(due > 2 * 3600e3 - 5000 && due < 2 * 3600e3 + 5000, `order_review deadline is 2 h, got ${due}`);
  const memo = await createWO(agent1, { type: 'customer_memo', handler_id: undefined, title: '老客户' });
  assert.equal(memo.deadline, null);
  assert.equal(memo.handler, null);
  const r = await agent1.get('/api/v1/workorders/' + wo.id);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(r.body.order.order_no, 'TB-WO-1');
  assert.equal(r.body.events[0].kind, 'created');
  assert.ok(r.body.allowed_actions.includes('complete'));
  const missing = await agent1.post('/api/v1/workorders', { type: 'after_sales', title: 'x', order_no: 'NOPE' });
  assert.equal(missing.status, 422);
  assert.equal(missing.body.error.field, 'order_no');
});

test('bad input: malformed JSON, unknown fields, wrong types, long strings, bad UTF-8, too big', async () => {
  // every body here is bad on purpose
  const send = (body, headers = {}) => fetch(srv.base + '/api/v1/workorders', { method: 'POST', headers: { ...agent1.headers, 'content-type': 'application/json', ...INVALID, ...headers }, body });
  let r = await send('{"type": "after_sales", "title": ');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'malformed_json');
  r = await send('[1,2]');
  assert.equal(r.status, 400);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't', colour: 1 }));
  assert.equal(r.status, 422);
  assert.equal((await r.json()).error.field, 'colour');
  r = await send(JSON.stringify({ type: 'after_sales', title: 5 }));
  assert.equal(r.status, 422);
  let e = (await r.json()).error;
  assert.equal(e.field, 'title');
  assert.match(e.message, /string/);
  r = await send(JSON.stringify({ type: 'refund', title: 't' }));
  assert.equal(r.status, 422);
  assert.match((await r.json()).error.message, /order_review/);
  r = await send(JSON.stringify({ type: 'after_sales', title: '长'.repeat(201) }));
  assert.equal(r.status, 422);
  e = (await r.json()).error;
  assert.equal(e.field, 'title');
  assert.match(e.message, /200 characters/);
  r = await send(Buffer.concat([Buffer.from('{"type":"after_sales","title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /UTF-8/);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't', content: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(r.status, 413);
  assert.match((await r.json()).error.message, /1048576/);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't', deadline: 'tomorrow' }));
  assert.equal(r.status, 422);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't', deadline: '2020-01-01T00:00:00Z' }));
  assert.equal(r.status, 422);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't', handler_id: otherAgent.user.id }));
  assert.equal(r.status, 422);
  assert.equal((await r.json()).error.field, 'handler_id');
  r = await send('{"a":' + '['.repeat(100) + ']'.repeat(100) + '}');
  assert.equal(r.status, 400);
  r = await send(JSON.stringify({ type: 'after_sales', title: 't\u0000x' }));
  assert.equal(r.status, 400); // NUL inside a string is refused by the parser
  const created = (await agent1.get('/api/v1/workorders?view=created&limit=200&q=' + encodeURIComponent('长长长'))).body.items;
  assert.equal(created.length, 0, 'a failed request writes nothing');
});

test('every action appends a timeline event and moves the counts', async () => {
  const c0 = (await agent1.get('/api/v1/workorders/counts')).body;
  const wo = await createWO(lead);
  let c = (await agent1.get('/api/v1/workorders/counts')).body;
  assert.equal(c.todo, c0.todo + 1);
  let r = await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '已联系买家，等待照片' });
  assert.equal(r.status, 200);
  assert.equal(r.body.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  r = await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '请尽快' });
  assert.equal(r.status, 200);
  r = await agent1.post(`/api/v1/workorders/${wo.id}/start`);
  assert.equal(r.body.state, 'in_progress');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent2.user.id }, INVALID);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'reason');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent2.user.id, reason: '需要仓库配合' });
  assert.equal(r.status, 200);
  assert.equal(r.body.handler.id, agent2.user.id);
  assert.equal(r.body.transfers, 1);
  c = (await agent1.get('/api/v1/workorders/counts')).body;
  assert.equal(c.todo, c0.todo);
  r = await agent1.post(`/api/v1/workorders/${wo.id}/complete`);
  assert.equal(r.status, 403, 'the former handler no longer acts');
  r = await agent2.post(`/api/v1/workorders/${wo.id}/complete`, { text: '已退款' });
  assert.equal(r.body.state, 'done');
  assert.ok(r.body.done_at);
  r = await agent2.post(`/api/v1/workorders/${wo.id}/complete`);
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'invalid_transition');
  assert.match(r.body.error.message, /allowed: note,reopen/);
  r = await lead.post(`/api/v1/workorders/${wo.id}/reopen`, { reason: '买家又来了' });
  assert.equal(r.body.state, 'open');
  r = await lead.post(`/api/v1/workorders/${wo.id}/assign`, { to: warehouse.user.id });
  assert.equal(r.body.handler.display_name, '陈仓管');
  r = await lead.patch(`/api/v1/workorders/${wo.id}`, { title: '买家申请退款（加急）', priority: 'urgent' });
  assert.equal(r.body.title, '买家申请退款（加急）');
  assert.equal(r.body.priority, 'urgent');
  // the deadline moved alone is its own event, with both times; moved with other fields it rides on "edited"
  const before = r.body.deadline;
  const later = new Date(Date.now() + 3 * 86400_000).toISOString();
  r = await lead.patch(`/api/v1/workorders/${wo.id}`, { deadline: later });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(Date.parse(r.body.deadline), Date.parse(later));
  const evs = (await lead.get(`/api/v1/workorders/${wo.id}`)).body.events;
  const moved = evs.at(-1);
  assert.equal(moved.kind, 'deadline_changed');
  assert.equal(moved.data.from === null ? null : Date.parse(moved.data.from), before === null ? null : Date.parse(before));
  assert.equal(Date.parse(moved.data.to), Date.parse(later));
  r = await lead.patch(`/api/v1/workorders/${wo.id}`, { priority: 'high', deadline: null });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const both = (await lead.get(`/api/v1/workorders/${wo.id}`)).body.events.at(-1);
  assert.equal(both.kind, 'edited');
  assert.equal(both.data.priority_to, 'high');
  assert.equal(Date.parse(both.data.deadline_from), Date.parse(later));
  assert.equal(both.data.deadline_to, null);
  r = await lead.post(`/api/v1/workorders/${wo.id}/cancel`, { reason: '重复' });
  assert.equal(r.body.state, 'cancelled');
  const full = (await lead.get(`/api/v1/workorders/${wo.id}`)).body;
  assert.deepEqual(full.events.map((e) => e.kind), ['created', 'noted', 'chased', 'state_changed', 'transferred', 'state_changed', 'state_changed', 'assigned', 'edited', 'deadline_changed', 'edited', 'state_changed']);
  const tr = full.events.find((e) => e.kind === 'transferred');
  assert.equal(tr.data.reason, '需要仓库配合');
  assert.equal(tr.data.from_name, '李小梅');
  assert.equal(tr.data.to_name, '张伟');
  assert.equal(tr.actor.display_name, '李小梅');
  assert.deepEqual(full.allowed_actions, ['note']);
});

test('who may do what: agents act on their own work orders, cancel is creator or lead', async () => {
  const wo = await createWO(agent1, { handler_id: agent2.user.id });
  let r = await warehouse.post(`/api/v1/workorders/${wo.id}/notes`, { text: 'x' });
  assert.equal(r.status, 404, 'an agent who may not open the work order is not told it exists');
  r = await agent2.post(`/api/v1/workorders/${wo.id}/cancel`);
  assert.equal(r.status, 403);
  r = await agent1.post(`/api/v1/workorders/${wo.id}/cancel`, { reason: '建错了' });
  assert.equal(r.status, 200);
  r = await xiaoer.get(`/api/v1/workorders/${wo.id}`);
  assert.equal(r.status, 404, 'platform staff see collaborative work orders only');
  r = await xiaoer.post('/api/v1/workorders', { type: 'after_sales', title: 'x' });
  assert.equal(r.status, 403);
});

test('If-Match: a stale version gets 412 and changes nothing', async () => {
  const wo = await createWO(lead);
  let r = await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '第一条' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200);
  r = await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '第二条' }, { 'if-match': '"1"' });
  assert.equal(r.status, 412);
  assert.equal(r.body.error.code, 'stale_version');
  r = await lead.patch(`/api/v1/workorders/${wo.id}`, { title: '改标题' }, { 'if-match': '1' });
  assert.equal(r.status, 412);
  r = await lead.post(`/api/v1/workorders/${wo.id}/start`, undefined, { 'if-match': 'garbage' });
  assert.equal(r.status, 400);
  const full = (await lead.get(`/api/v1/workorders/${wo.id}`)).body;
  assert.equal(full.workorder.version, 2);
  assert.equal(full.events.length, 2);
  assert.equal(full.workorder.title, '买家申请退款');
});

test('Idempotency-Key: a replay returns the first response and creates nothing', async () => {
  const c0 = (await lead.get('/api/v1/workorders/counts')).body;
  const key = 'idem-' + Date.now();
  const body = { type: 'task_memo', title: '盘点库存', handler_id: agent1.user.id };
  const r1 = await lead.post('/api/v1/workorders', body, { 'idempotency-key': key });
  const r2 = await lead.post('/api/v1/workorders', body, { 'idempotency-key': key });
  assert.equal(r1.status, 201);
  assert.equal(r2.status, 201);
  assert.deepEqual(r2.body, r1.body);
  assert.equal(r2.headers.get('idempotent-replayed'), 'true');
  // the replay carries the first answer's headers too
  assert.equal(r2.headers.get('etag'), r1.headers.get('etag'));
  assert.equal(r2.headers.get('etag'), '"1"');
  assert.equal(r2.headers.get('location'), `/api/v1/workorders/${r1.body.id}`);
  const parallel = await Promise.all([1, 2, 3, 4].map(() => lead.post('/api/v1/workorders', body, { 'idempotency-key': key + 'p' })));
  assert.equal(new Set(parallel.map((r) => r.body.id)).size, 1);
  const c1 = (await lead.get('/api/v1/workorders/counts')).body;
  assert.equal(c1.created, c0.created + 2);
  const r3 = await lead.post('/api/v1/workorders', body, { 'idempotency-key': 'x'.repeat(200), ...INVALID });
  assert.equal(r3.status, 400);
});

test('全店工单 by deadline: every open work order (the overdue first) before the finished and cancelled ones, across pages', async () => {
  const rows = [];
  let cursor = null;
  do {
    const r = await lead.get('/api/v1/workorders?view=shop&sort=deadline&limit=7' + (cursor ? '&cursor=' + cursor : ''));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    rows.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.equal(new Set(rows.map((w) => w.id)).size, rows.length, 'no row twice across pages');
  const finished = (w) => ['done', 'cancelled', 'resolved', 'final'].includes(w.state);
  const firstFinished = rows.findIndex(finished);
  assert.ok(rows.some(finished) && !rows.every(finished), 'the demo shop has open and finished work orders');
  assert.ok(rows.slice(firstFinished).every(finished), 'nothing open after the first finished one: ' +
    rows.slice(firstFinished).filter((w) => !finished(w)).map((w) => `${w.number} ${w.state}`).join(', '));
  const open = rows.slice(0, firstFinished);
  assert.ok(open[0].overdue, 'the list starts with an overdue work order');
  const due = open.map((w) => (w.deadline ? Date.parse(w.deadline) : Infinity));
  assert.deepEqual(due, [...due].sort((a, b) => a - b), 'open work by nearest deadline');
  const notOverdue = open.findIndex((w) => !w.overdue);
  assert.ok(notOverdue > 0 && open.slice(notOverdue).every((w) => !w.overdue), 'the overdue ones come first');
});

test('views, filters, sorting, keyset pagination and counts agree', async () => {
  const fresh = await client(srv, 'tea_agent2');
  const c = (await fresh.get('/api/v1/workorders/counts')).body;
  const all = [];
  let cursor = null;
  do {
    const r = await fresh.get('/api/v1/workorders?view=todo&limit=3' + (cursor ? '&cursor=' + cursor : ''));
    assert.equal(r.status, 200);
    all.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.equal(all.length, c.todo, 'the todo badge equals the rows of the todo view');
  assert.equal(new Set(all.map((w) => w.id)).size, all.length);
  const dl = all.map((w) => (w.deadline ? Date.parse(w.deadline) : Infinity));
  assert.deepEqual(dl, [...dl].sort((a, b) => a - b), 'sorted by deadline');
  for (const w of all) assert.ok(['open', 'in_progress', 'awaiting_seller'].includes(w.state) && w.handler.id === fresh.user.id);
  const assigned = (await fresh.get('/api/v1/workorders?view=assigned&limit=200')).body.items;
  assert.equal(assigned.length, c.assigned);
  const created = (await fresh.get('/api/v1/workorders?view=created&sort=-created&limit=200')).body.items;
  assert.equal(created.length, c.created);
  const ids = created.map((w) => w.created_at);
  assert.deepEqual(ids, [...ids].sort().reverse());
  const leadCounts = (await lead.get('/api/v1/workorders/counts')).body;
  const overdue = (await lead.get('/api/v1/workorders?view=overdue&limit=200')).body.items;
  assert.equal(overdue.length, leadCounts.overdue);
  assert.ok(overdue.length > 0, 'the demo has overdue work orders');
  for (const w of overdue) assert.equal(w.overdue, true);
  let shop = [];
  cursor = null;
  do {
    const r = await lead.get('/api/v1/workorders?view=shop&limit=200' + (cursor ? '&cursor=' + cursor : ''));
    shop.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.equal(shop.length, leadCounts.shop);
  assert.equal((await fresh.get('/api/v1/workorders?view=shop')).status, 403);
  const byType = (await lead.get('/api/v1/workorders?view=shop&type=waybill&limit=200')).body.items;
  assert.ok(byType.length > 0 && byType.every((w) => w.type === 'waybill'));
  const byState = (await lead.get('/api/v1/workorders?view=shop&state=done&limit=200')).body.items;
  assert.ok(byState.every((w) => w.state === 'done'));
  const byHandler = (await lead.get(`/api/v1/workorders?view=shop&handler=${agent2.user.id}&limit=200`)).body.items;
  assert.ok(byHandler.every((w) => w.handler.id === agent2.user.id));
  const since = new Date(Date.now() - 3600e3).toISOString();
  const recent = (await lead.get('/api/v1/workorders?view=shop&limit=200&created_from=' + encodeURIComponent(since))).body.items;
  assert.ok(recent.every((w) => Date.parse(w.created_at) >= Date.parse(since)));
  for (const [q, field] of [['view=everything', 'view'], ['limit=500', 'limit'], ['sort=title', 'sort'], ['cursor=abc', 'cursor'], ['created_from=yesterday', 'created_from'], ['handler=x', 'handler']]) {
    const r = await lead.get('/api/v1/workorders?' + q, undefined, INVALID);
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.field, field);
  }
});

test('keyword search finds Chinese substrings of two characters, notes, buyer and order number', async () => {
  await lead.put('/api/v1/orders/TB-SEARCH-9', newOrder({ buyer_nick: '糖糖妈妈搜索' }));
  const wo = await createWO(lead, { title: '普通跟进', content: '无', order_no: 'TB-SEARCH-9' });
  await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '仓库说缺货，下周补' });
  const find = async (q) => (await lead.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent(q))).body.items.map((w) => w.id);
  assert.ok((await find('缺货')).includes(wo.id), 'two characters in a note');
  assert.ok((await find('下周补')).includes(wo.id));
  assert.ok((await find('糖糖妈妈搜索')).includes(wo.id), 'buyer');
  assert.ok((await find('search-9')).includes(wo.id), 'order number, any case');
  assert.ok(!(await find('缺补')).includes(wo.id), 'not a substring');
  const other = (await otherLead.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent('缺货'))).body.items;
  assert.ok(!other.some((w) => w.id === wo.id));
});

test('words both shops wrote: each shop\'s search finds its own work orders, never the other\'s', async () => {
  const tag = `Twin${Date.now()}`;
  const mine = await createWO(lead, { title: `两店同词 ${tag}`, content: '同一句话：申请退款' });
  const theirs = await createWO(otherLead, { title: `两店同词 ${tag}`, content: '同一句话：申请退款', handler_id: otherAgent.user.id });
  for (const [c, wo] of [[agent1, mine], [otherAgent, theirs]]) {
    assert.equal((await c.post(`/api/v1/workorders/${wo.id}/notes`, { text: `后来的备注 ${tag}-note` })).status, 200);
  }
  const find = async (c, q) => (await c.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent(q))).body.items.map((w) => w.id);
  // a field, a note, several terms, ASCII in any case, one and two characters beside the tag
  for (const q of [tag, tag.toUpperCase(), '两店同词', `${tag}-note`, `后来的备注 ${tag}`, `退 ${tag}`, `同一句话 ${tag} 款`]) {
    assert.deepEqual(await find(lead, q), [mine.id], `${q} in the tea shop`);
    assert.deepEqual(await find(otherLead, q), [theirs.id], `${q} in the baby shop`);
  }
});

test('a shipping work order completes itself when its order ships', async () => {
  await lead.put('/api/v1/orders/TB-SHIP-1', newOrder());
  const wo = await createWO(lead, { type: 'shipping', title: '加急发货', order_no: 'TB-SHIP-1', handler_id: warehouse.user.id });
  const other = await createWO(lead, { type: 'after_sales', order_no: 'TB-SHIP-1' });
  await lead.put('/api/v1/orders/TB-SHIP-1', newOrder({ status: 'shipped' }));
  const got = (await lead.get(`/api/v1/workorders/${wo.id}`)).body;
  assert.equal(got.workorder.state, 'done');
  assert.equal(got.events.at(-1).data.reason, 'order_shipped');
  assert.equal((await lead.get(`/api/v1/workorders/${other.id}`)).body.workorder.state, 'open');
});

test('an import applies a file\'s rows in order, an order named twice too; an order it ships completes its shipping work orders; new orders count once', async () => {
  await lead.put('/api/v1/orders/IMPSHIP-1', newOrder());
  const wo = await createWO(lead, { type: 'shipping', title: '导入发货', order_no: 'IMPSHIP-1', handler_id: warehouse.user.id });
  const stats = async () => (await lead.get('/api/v1/stats?from=2033-05-05&to=2033-05-06&group=type')).body.orders;
  assert.equal(await stats(), 0);
  const csv = 'order_no,buyer_nick,status,paid_amount,created_at\r\n' +
    'IMPSHIP-2,甲,paid,1,2033-05-05T10:00:00+08:00\r\n' +
    'IMPSHIP-1,乙,shipped,2,2033-05-05T10:00:00+08:00\r\n' +
    'IMPSHIP-2,丙,signed,3,2033-05-05T11:00:00+08:00\r\n' +
    'IMPSHIP-3,丁,paid,4,2033-05-06T10:00:00+08:00\r\n';
  const r = await lead.post('/api/v1/orders/import', csv, { 'content-type': 'text/csv' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.rows, r.body.stored, r.body.rejected], [4, 4, 0]);
  const o2 = (await lead.get('/api/v1/orders/IMPSHIP-2')).body;
  assert.deepEqual([o2.buyer_nick, o2.status, o2.paid_amount], ['丙', 'signed', 3], 'the later row wins');
  assert.equal((await lead.get('/api/v1/orders/IMPSHIP-1')).body.status, 'shipped');
  const got = (await lead.get(`/api/v1/workorders/${wo.id}`)).body;
  assert.equal(got.workorder.state, 'done');
  assert.equal(got.events.at(-1).data.reason, 'order_shipped');
  assert.equal(await stats(), 2, 'IMPSHIP-2 and IMPSHIP-3 are new orders of those days, IMPSHIP-2 once');
});

test('tenant isolation: shop B gets 404 for every shop-A resource on every route', async () => {
  await lead.put('/api/v1/orders/TB-ISO-1', newOrder());
  const wo = await createWO(lead, { order_no: 'TB-ISO-1' });
  const routes = [
    ['GET', `/api/v1/workorders/${wo.id}`],
    ['PATCH', `/api/v1/workorders/${wo.id}`, { title: 'x' }],
    ['POST', `/api/v1/workorders/${wo.id}/assign`, { to: otherAgent.user.id }],
    ['POST', `/api/v1/workorders/${wo.id}/transfer`, { to: otherAgent.user.id, reason: 'x' }],
    ['POST', `/api/v1/workorders/${wo.id}/notes`, { text: 'x' }],
    ['POST', `/api/v1/workorders/${wo.id}/chase`, {}],
    ['POST', `/api/v1/workorders/${wo.id}/start`],
    ['POST', `/api/v1/workorders/${wo.id}/complete`],
    ['POST', `/api/v1/workorders/${wo.id}/reopen`],
    ['POST', `/api/v1/workorders/${wo.id}/cancel`],
    ['GET', '/api/v1/orders/TB-ISO-1'],
  ];
  for (const c of [otherLead, otherAgent]) {
    for (const [m, p, b] of routes) {
      const r = await c.req(m, p, b);
      assert.equal(r.status, 404, `${c.username} ${m} ${p}`);
    }
  }
  // listing and search never show it; an order of the same number in B is B's own
  const list = (await otherLead.get('/api/v1/workorders?view=shop&limit=200&order_no=TB-ISO-1')).body.items;
  assert.equal(list.length, 0);
  const r = await otherLead.put('/api/v1/orders/TB-ISO-1', newOrder({ buyer_nick: 'B的买家' }));
  assert.equal(r.status, 201);
  assert.equal((await lead.get('/api/v1/orders/TB-ISO-1')).body.buyer_nick, '测试买家');
  const users = (await otherLead.get('/api/v1/users')).body.items;
  assert.ok(!users.some((u) => u.username.startsWith('tea_')));
});

test('unknown routes 404, wrong methods 405; health, metrics and OpenAPI answer', async () => {
  let r = await lead.get('/api/v1/nothing', undefined, INVALID);
  assert.equal(r.status, 404);
  r = await lead.req('DELETE', '/api/v1/workorders', undefined, INVALID);
  assert.equal(r.status, 405);
  r = await fetch(srv.base + '/healthz');
  assert.equal(r.status, 200);
  assert.ok(r.headers.get('x-request-id'));
  r = await fetch(srv.base + '/metrics');
  const text = await r.text();
  assert.match(text, /gongdan_http_requests_total\{code="2xx"\} \d+/);
  assert.match(text, /gongdan_http_request_duration_seconds_bucket/);
  r = await fetch(srv.base + '/api/v1/openapi.json');
  const doc = await r.json();
  assert.equal(doc.openapi, '3.1.0');
  r = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance_ms":1000}' });
  assert.equal(r.status, 404, 'the test clock exists only with --test-clock');
});

test('the stream pushes counts at once and again after a change, live', async () => {
  const ac = new AbortController();
  const res = await fetch(srv.base + '/api/v1/stream', { headers: agent1.headers, signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/event-stream/);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const next = async (kind) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = buf.indexOf(`event: ${kind}\ndata: `);
      if (i >= 0) {
        const end = buf.indexOf('\n\n', i);
        if (end > 0) {
          const data = JSON.parse(buf.slice(i + `event: ${kind}\ndata: `.length, end));
          buf = buf.slice(end + 2);
          return data;
        }
      }
      assert.ok(Date.now() < deadline, `no ${kind} event within 5 s`);
      const { value } = await reader.read();
      buf += dec.decode(value, { stream: true });
    }
  };
  const first = await next('counts');
  const wo = await createWO(lead); // assigned to agent1
  const ev = await next('workorder');
  assert.equal(ev.id, wo.id);
  const second = await next('counts');
  assert.equal(second.todo, first.todo + 1);
  ac.abort();
});

test('SIGTERM lets a request in flight finish, then the server exits cleanly', async () => {
  const s2 = await startServer({ demo: false });
  const admin = await client(s2, 'admin');
  const { port } = new URL(s2.base);
  const sock = net.connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => sock.on('connect', resolve));
  const body = JSON.stringify({ text: 'x' });
  // the request is under way (headers and half the body sent) when the signal arrives
  sock.write(`POST /api/v1/workorders/1/notes HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.headers.authorization}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n` + body.slice(0, 5));
  await new Promise((r) => setTimeout(r, 200));
  const exited = s2.stop();
  await new Promise((r) => setTimeout(r, 200));
  let answer = '';
  sock.on('data', (d) => { answer += d; });
  const closed = new Promise((resolve) => sock.on('close', resolve));
  sock.write(body.slice(5));
  await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
  assert.match(answer, /^HTTP\/1\.1 404/, 'the request in flight got its answer');
  assert.equal(await exited, 0);
  sock.destroy();
  await s2.cleanup();
});

test('many writers at once: every acknowledged create is there, numbers unique, badges exact', async () => {
  const before = (await lead.get('/api/v1/workorders/counts')).body;
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    lead.post('/api/v1/workorders', { type: 'task_memo', title: `并发创建 ${i}`, handler_id: agent2.user.id })));
  assert.ok(rs.every((r) => r.status === 201));
  assert.equal(new Set(rs.map((r) => r.body.number)).size, 40);
  const after = (await lead.get('/api/v1/workorders/counts')).body;
  assert.equal(after.shop, before.shop + 40);
  assert.equal(after.created, before.created + 40);
  for (const r of rs.slice(0, 5)) {
    assert.equal((await lead.get(`/api/v1/workorders/${r.body.id}`)).status, 200);
  }
});

test('shops: platform staff see every shop, shop staff only their own', async () => {
  const all = (await xiaoer.get('/api/v1/shops')).body.items.map((s) => s.name).sort();
  assert.deepEqual(all, ['小米粒母婴专营店', '江南茶舍旗舰店'].sort());
  const mine = (await otherAgent.get('/api/v1/shops')).body.items;
  assert.deepEqual(mine.map((s) => s.name), ['小米粒母婴专营店']);
});

test('editing the title keeps the notes searchable', async () => {
  const wo = await createWO(lead, { title: '原标题', content: '内容' });
  await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '买家说"包装破了"\n要换新' });
  const r = await lead.patch(`/api/v1/workorders/${wo.id}`, { title: '新标题' });
  assert.equal(r.status, 200);
  const find = async (q) => (await lead.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent(q))).body.items.map((w) => w.id);
  assert.ok((await find('包装破了')).includes(wo.id));
  assert.ok((await find('新标题')).includes(wo.id));
  assert.ok(!(await find('原标题')).includes(wo.id));
});

test('an Idempotency-Key is scoped to its route: the same key elsewhere is a new request', async () => {
  const key = 'shared-key-' + Date.now();
  const wo = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '键复用' }, { 'idempotency-key': key });
  assert.equal(wo.status, 201);
  const ex = await lead.post('/api/v1/exports', { format: 'csv', headers: 'zh', view: 'shop' }, { 'idempotency-key': key });
  assert.equal(ex.status, 202, JSON.stringify(ex.body));
  assert.ok(ex.body.state, 'an export job, not the replayed work order');
  assert.equal(ex.headers.get('idempotent-replayed'), null);
});
