// Assignment rules and availability (docs/assignment.md): a shop's rule per work order type
// (fixed handler, round robin, least open work) gives a new work order without a handler to an
// available member, and says so on the timeline; only people online (and, when they asked for
// it, with a workbench open) get work; going offline or being deactivated hands open work on
// where the rule opts in; a rule that can place nobody leaves the work order unassigned, in the
// lead's 待重新分配 queue, with an event saying why. Round robin stays fair under concurrent
// creates (its cursor is in the database).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer, until } from './lib.mjs';

let srv, owner, lead, agent1, agent2, warehouse, otherLead, otherAgent, xiaoer;

before(async () => {
  srv = await startServer();
  [owner, lead, agent1, agent2, warehouse, otherLead, otherAgent, xiaoer] = await Promise.all(
    ['tea_owner', 'tea_lead', 'tea_agent1', 'tea_agent2', 'tea_warehouse', 'baby_lead', 'baby_agent1', 'xiaoer1']
      .map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

const create = async (c, type, extra = {}) => {
  const r = await c.post('/api/v1/workorders', { type, title: `${type} ${Math.random()}`, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};
const detail = async (c, id) => (await c.get(`/api/v1/workorders/${id}`)).body;
const setRule = async (c, type, kind, members, reassign = false) => {
  const r = await c.put(`/api/v1/assignment/rules/${type}`, { kind, members: members.map((m) => m.user.id), reassign });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const setStatus = async (c, status, extra = {}) => {
  const r = await c.put('/api/v1/me/status', { status, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const todo = async (c) => (await c.get('/api/v1/workorders/counts')).body.todo;
const reassignQueue = async () => (await lead.get('/api/v1/workorders?view=reassign&limit=200')).body.items.map((w) => w.id);

test('rules are the owner\'s and leads\'; each bad input is a 422 naming its field and writes nothing', async () => {
  const rule = await setRule(lead, 'after_sales', 'round_robin', [agent1, agent2]);
  assert.deepEqual(rule.members, [agent1.user.id, agent2.user.id]);
  assert.equal(rule.kind, 'round_robin');
  assert.equal(rule.reassign, false);
  assert.deepEqual((await owner.get('/api/v1/assignment/rules')).body.items.map((r) => r.type), ['after_sales']);
  // agents and platform staff neither read nor write them; another shop has its own (none)
  assert.equal((await agent1.get('/api/v1/assignment/rules')).status, 403);
  assert.equal((await agent1.put('/api/v1/assignment/rules/shipping', { kind: 'fixed', members: [agent1.user.id] })).status, 403);
  assert.equal((await xiaoer.get('/api/v1/assignment/rules')).status, 403);
  assert.deepEqual((await otherLead.get('/api/v1/assignment/rules')).body.items, []);
  assert.equal((await otherLead.delete('/api/v1/assignment/rules/after_sales')).status, 404);

  const bad = [
    ['no_such_type', { kind: 'fixed', members: [agent1.user.id] }, 'type'],
    ['collab', { kind: 'fixed', members: [agent1.user.id] }, 'type'],
    ['shipping', { kind: 'random', members: [agent1.user.id] }, 'kind'],
    ['shipping', { kind: 'round_robin', members: [] }, 'members'],
    ['shipping', { kind: 'fixed', members: [agent1.user.id, agent2.user.id] }, 'members'],
    ['shipping', { kind: 'least_open', members: [otherAgent.user.id] }, 'members'],
    ['shipping', { kind: 'least_open', members: [agent1.user.id, agent1.user.id] }, 'members'],
    ['shipping', { kind: 'least_open', members: Array.from({ length: 51 }, (_, i) => String(i + 1)) }, 'members'],
  ];
  for (const [type, body, field] of bad) {
    const r = await lead.put(`/api/v1/assignment/rules/${type}`, body, INVALID);
    assert.equal(r.status, 422, `${type} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  assert.deepEqual((await lead.get('/api/v1/assignment/rules')).body.items.map((r) => r.type), ['after_sales'],
    'no refused rule was stored');
  assert.equal((await lead.delete('/api/v1/assignment/rules/after_sales')).status, 204);
  assert.deepEqual((await lead.get('/api/v1/assignment/rules')).body.items, []);
});

test('round robin gives each member one in turn, says so on the timeline, and skips a given handler', async () => {
  await setRule(lead, 'waybill', 'round_robin', [agent1, agent2, warehouse]);
  const order = [];
  for (let i = 0; i < 6; i++) order.push((await create(lead, 'waybill')).handler.id);
  const [a, b, c] = [agent1, agent2, warehouse].map((x) => x.user.id);
  assert.deepEqual(order, [a, b, c, a, b, c]);
  // a work order created with a handler keeps them and does not move the round
  const given = await create(lead, 'waybill', { handler_id: warehouse.user.id });
  assert.equal(given.handler.id, c);
  assert.ok(!(await detail(lead, given.id)).events.some((e) => e.kind === 'assigned'));
  assert.equal((await create(lead, 'waybill')).handler.id, a);
  // the timeline: created, then assigned by the rule, with no actor of its own
  const wo = await create(agent1, 'waybill');
  const ev = (await detail(lead, wo.id)).events;
  assert.deepEqual(ev.map((e) => e.kind), ['created', 'assigned']);
  assert.equal(ev[1].data.rule, 'waybill');
  assert.equal(ev[1].data.rule_kind, 'round_robin');
  assert.equal(ev[1].data.to, b);
  assert.equal(ev[1].data.to_name, agent2.user.display_name);
  assert.equal(ev[1].actor, null);
  // the member it went to sees it in 待我处理
  const mine = (await agent2.get('/api/v1/workorders?view=todo&limit=200')).body.items.map((w) => w.id);
  assert.ok(mine.includes(wo.id));
});

test('round robin stays fair under concurrent creates', async () => {
  await setRule(lead, 'order_review', 'round_robin', [agent1, agent2, warehouse]);
  const made = await Promise.all(Array.from({ length: 15 }, (_, i) => create(i % 2 ? lead : owner, 'order_review')));
  const per = {};
  for (const w of made) per[w.handler.id] = (per[w.handler.id] || 0) + 1;
  assert.deepEqual(Object.values(per).sort(), [5, 5, 5], JSON.stringify(per));
});

test('least open work goes to the available member with the fewest open work orders', async () => {
  const members = [agent1, agent2, warehouse];
  await setRule(lead, 'out_of_stock', 'least_open', members);
  const open = await Promise.all(members.map(todo));
  for (let i = 0; i < 6; i++) {
    const min = Math.min(...open);
    const expect = members[open.indexOf(min)].user.id; // a tie: the earlier member
    const wo = await create(lead, 'out_of_stock');
    assert.equal(wo.handler.id, expect, `create ${i}: open ${open}`);
    open[open.indexOf(min)]++;
    const ev = (await detail(lead, wo.id)).events.find((e) => e.kind === 'assigned');
    assert.equal(ev.data.rule_kind, 'least_open');
  }
  assert.deepEqual(await Promise.all(members.map(todo)), open, 'the badges agree');
});

test('only available people get work: busy, offline, and "online only while the workbench is open"', async () => {
  await setRule(lead, 'task_memo', 'round_robin', [agent1, agent2]);
  const st = await setStatus(agent1, 'busy');
  assert.equal(st.status, 'busy');
  assert.equal(st.available, false);
  for (let i = 0; i < 3; i++) assert.equal((await create(lead, 'task_memo')).handler.id, agent2.user.id);
  await setStatus(agent1, 'online', { workbench_only: true });
  assert.equal((await agent1.get('/api/v1/me/status')).body.available, false, 'no workbench open');
  assert.equal((await create(lead, 'task_memo')).handler.id, agent2.user.id);
  // a workbench (the live stream) opens: they are available while it is
  const ac = new AbortController();
  const res = await fetch(srv.base + '/api/v1/stream', { headers: agent1.headers, signal: ac.signal });
  assert.equal(res.status, 200);
  const team = async () => (await lead.get('/api/v1/agents/status')).body.items.find((x) => x.user_id === agent1.user.id);
  assert.ok(await until(async () => (await team()).available), "opening it makes them available");
  assert.equal((await team()).workbench_open, true);
  assert.equal((await create(lead, 'task_memo')).handler.id, agent1.user.id);
  ac.abort();
  assert.ok(await until(async () => !(await team()).workbench_open, 8000), 'closing it ends the presence');
  assert.equal((await create(lead, 'task_memo')).handler.id, agent2.user.id);
  await setStatus(agent1, 'online', { workbench_only: false });
  // the status is one's own and a shop's people's: bad values are 422, platform staff 403
  const bad = await agent1.put('/api/v1/me/status', { status: 'away' }, INVALID);
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'status');
  assert.equal((await xiaoer.put('/api/v1/me/status', { status: 'online' })).status, 403);
  assert.equal((await agent1.get('/api/v1/agents/status')).status, 403);
});

test('a rule that can place nobody leaves the work order unassigned, in the lead\'s queue, saying why', async () => {
  await setRule(lead, 'shipping', 'fixed', [warehouse]);
  assert.equal((await create(lead, 'shipping')).handler.id, warehouse.user.id);
  await setStatus(warehouse, 'offline');
  const missed = await create(lead, 'shipping');
  assert.equal(missed.handler, null);
  const ev = (await detail(lead, missed.id)).events.find((e) => e.kind === 'assignment_failed');
  assert.equal(ev.data.reason, 'none_available');
  assert.equal(ev.data.rule, 'shipping');
  assert.ok((await reassignQueue()).includes(missed.id));
  await setStatus(warehouse, 'online');

  // every member deactivated: the group is empty
  const temp = await owner.post('/api/v1/users', { username: 'tea_temp', display_name: '临时工', role: 'shop_agent', password: 'temp-password-1' });
  assert.equal(temp.status, 201, JSON.stringify(temp.body));
  await setRule(lead, 'customer_memo', 'round_robin', [{ user: { id: temp.body.id } }]);
  assert.equal((await owner.patch(`/api/v1/users/${temp.body.id}`, { active: false })).status, 200);
  const empty = await create(lead, 'customer_memo');
  assert.equal(empty.handler, null);
  const ev2 = (await detail(lead, empty.id)).events.find((e) => e.kind === 'assignment_failed');
  assert.equal(ev2.data.reason, 'group_empty');
  assert.ok((await reassignQueue()).includes(empty.id));
  // a lead assigns it from the queue, which then no longer holds it
  assert.equal((await lead.post(`/api/v1/workorders/${empty.id}/assign`, { to: agent2.user.id })).status, 200);
  assert.ok(!(await reassignQueue()).includes(empty.id));
  // another shop's rules never touch this shop's work orders
  const theirs = await create(otherLead, 'shipping');
  assert.equal(theirs.handler, null);
  assert.ok(!(await detail(otherLead, theirs.id)).events.some((e) => e.kind === 'assignment_failed'));
});

test('going offline with open work hands it on where the rule opts in', async () => {
  await setRule(lead, 'after_sales', 'round_robin', [agent1, agent2], true);
  await setRule(lead, 'task_memo', 'fixed', [agent1], false);
  const moves = await create(lead, 'after_sales', { handler_id: agent1.user.id });
  const stays = await create(lead, 'task_memo');
  assert.equal(stays.handler.id, agent1.user.id);
  await setStatus(agent1, 'offline');
  const moved = await detail(lead, moves.id);
  assert.equal(moved.workorder.handler.id, agent2.user.id);
  const ev = moved.events.at(-1);
  assert.equal(ev.kind, 'assigned');
  assert.equal(ev.data.from, agent1.user.id);
  assert.equal(ev.data.to, agent2.user.id);
  assert.equal(ev.data.rule, 'after_sales');
  assert.equal(ev.actor.id, agent1.user.id);
  assert.equal((await detail(lead, stays.id)).workorder.handler.id, agent1.user.id, 'its rule does not opt in');
  // busy keeps one's work
  await setStatus(agent1, 'online');
  const kept = await create(lead, 'after_sales', { handler_id: agent1.user.id });
  await setStatus(agent1, 'busy');
  assert.equal((await detail(lead, kept.id)).workorder.handler.id, agent1.user.id);
  // nobody else available: the work stays, and the timeline says why
  await setStatus(agent2, 'offline');
  await setStatus(agent1, 'offline');
  const stuck = await detail(lead, kept.id);
  assert.equal(stuck.workorder.handler.id, agent1.user.id);
  assert.equal(stuck.events.at(-1).kind, 'assignment_failed');
  assert.equal(stuck.events.at(-1).data.reason, 'none_available');
  await Promise.all([setStatus(agent1, 'online'), setStatus(agent2, 'online')]);
});

test('a deactivated handler\'s open work goes by the rule that opts in; the rest waits in 待重新分配', async () => {
  const leaver = await owner.post('/api/v1/users', { username: 'tea_leaver', display_name: '离职客服', role: 'shop_agent', password: 'leaver-password' });
  assert.equal(leaver.status, 201);
  const id = leaver.body.id;
  await setRule(lead, 'after_sales', 'least_open', [agent1, agent2, { user: { id } }], true);
  const byRule = await create(lead, 'after_sales', { handler_id: id });
  const noRule = await create(lead, 'out_of_stock', { handler_id: id });
  await setRule(lead, 'out_of_stock', 'least_open', [agent1], false);
  const before = await Promise.all([agent1, agent2].map(todo));
  assert.equal((await lead.patch(`/api/v1/users/${id}`, { active: false })).status, 200);
  const moved = await detail(lead, byRule.id);
  const expect = before[0] <= before[1] ? agent1.user.id : agent2.user.id;
  assert.equal(moved.workorder.handler.id, expect);
  assert.equal(moved.events.at(-1).data.rule_kind, 'least_open');
  assert.equal(moved.events.at(-1).actor.id, lead.user.id);
  assert.equal((await detail(lead, noRule.id)).workorder.handler.id, id);
  const queue = await reassignQueue();
  assert.ok(queue.includes(noRule.id) && !queue.includes(byRule.id));
});

test("a shop's own type takes a rule by its key; another shop's type key is no type here", async () => {
  const own = await lead.post('/api/v1/workorder_types', { name_zh: '返厂维修', name_en: 'Factory repair', default_handler_id: warehouse.user.id });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  const key = own.body.key;
  // without a rule the type's default handler takes it; with one, the rule decides
  assert.equal((await create(lead, key)).handler.id, warehouse.user.id);
  await setRule(lead, key, 'round_robin', [agent2, agent1]);
  const wo = await create(lead, key);
  assert.equal(wo.handler.id, agent2.user.id);
  const ev = (await detail(lead, wo.id)).events.find((e) => e.kind === 'assigned');
  assert.equal(ev.data.rule, key);
  // the other shop has no such type: its rule for the key is refused, naming the type
  const theirs = await otherLead.put(`/api/v1/assignment/rules/${key}`, { kind: 'fixed', members: [otherAgent.user.id] }, INVALID);
  assert.equal(theirs.status, 422);
  assert.equal(theirs.body.error.field, 'type');
  const unknown = await lead.put('/api/v1/assignment/rules/x-1999', { kind: 'fixed', members: [agent1.user.id] }, INVALID);
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.field, 'type');
});
