// API tests of time targets (docs/targets.md) against the real binary over HTTP, with the
// server's test clock: the 等待买家 state (waiting_buyer); a shop's targets per type (who may set
// them, what is refused); a work order's targets in working time across National Day, the first
// response, the pause while waiting for the buyer, the reminder and the escalation (each once,
// the work order moved to the lead's queue); the statistics of targets met; a shop's own type
// (docs/types.md) with its targets, and the keys refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, until, INVALID } from './lib.mjs';

let srv, lead, agent1, agent2, otherLead;

before(async () => {
  srv = await startServer({ testClock: true });
  [lead, agent1, agent2, otherLead] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead'].map((u) => client(srv, u)));
});
after(async () => { await srv.cleanup(); });

async function createWO(c, body = {}) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', title: '买家申请退款', content: '商品破损', handler_id: agent1.user.id, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('waiting for the buyer: from open or in progress, listed by state, left by start, complete or cancel', async () => {
  const wo = await createWO(lead);
  let r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  assert.ok(r.body.allowed_actions.includes('wait_buyer'));
  r = await agent1.post(`/api/v1/workorders/${wo.id}/wait_buyer`, { text: '已请买家补充照片' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'waiting_buyer');
  r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  const ev = r.body.events.at(-1);
  assert.equal(ev.kind, 'state_changed');
  assert.deepEqual([ev.data.from, ev.data.to, ev.data.text], ['open', 'waiting_buyer', '已请买家补充照片']);
  assert.ok(!r.body.allowed_actions.includes('wait_buyer'));
  assert.ok(r.body.allowed_actions.includes('start') && r.body.allowed_actions.includes('complete'));
  // a second wait is refused and names what is allowed
  r = await agent1.post(`/api/v1/workorders/${wo.id}/wait_buyer`, {});
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /waiting_buyer/);
  // the list filter and the handler's 待办 hold it
  r = await agent1.get('/api/v1/workorders?view=todo&state=waiting_buyer');
  assert.deepEqual(r.body.items.map((w) => w.id), [wo.id]);
  // another agent of the shop may not act on it; another shop does not see it
  r = await agent2.post(`/api/v1/workorders/${wo.id}/start`, {});
  assert.ok([403, 404].includes(r.status));
  r = await otherLead.post(`/api/v1/workorders/${wo.id}/start`, {});
  assert.equal(r.status, 404);
  // the buyer answered: back to work
  r = await agent1.post(`/api/v1/workorders/${wo.id}/start`, {});
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'in_progress');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/wait_buyer`);
  assert.equal(r.body.state, 'waiting_buyer');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/complete`, { text: '已退款' });
  assert.equal(r.body.state, 'done');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/wait_buyer`);
  assert.equal(r.status, 409);
  // an unknown state in the filter names the new one among those allowed
  r = await agent1.get('/api/v1/workorders?state=waiting', undefined, INVALID);
  assert.equal(r.status, 422);
  assert.match(r.body.error.message, /waiting_buyer/);
});

// the clock runs on after it is set: times are compared to the minute, durations to seconds
const minute = (t) => t && t.slice(0, 16);
const near = (got, want) => assert.ok(Math.abs(got - want) <= 3, `${got} is not about ${want}`);
const setClock = (now) => fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
const POLICIES = { hours: { start: '09:00', end: '18:00' }, types: [
  { type: 'after_sales', first_response_minutes: 30, resolution_minutes: 120, remind_before_minutes: 10, escalate_to_queue: true },
  { type: 'shipping', resolution_minutes: 60 },
] };

test('targets per type: read by the shop, set by its owner and leads, refused with the field named', async () => {
  let r = await agent1.get('/api/v1/targets');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { hours: { start: '09:00', end: '18:00' }, types: [] });
  r = await agent1.put('/api/v1/targets', POLICIES);
  assert.equal(r.status, 403);
  const bad = async (body, field) => {
    const res = await lead.put('/api/v1/targets', body, INVALID);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.field, field);
  };
  await bad({ ...POLICIES, hours: { start: '18:00', end: '09:00' } }, 'hours');
  await bad({ ...POLICIES, hours: { start: '9am', end: '18:00' } }, 'hours.start');
  await bad({ hours: POLICIES.hours, types: [{ type: 'shipping', resolution_minutes: 60 }, { type: 'waybill', resolution_minutes: 86401 }] }, 'types[1].resolution_minutes');
  await bad({ hours: POLICIES.hours, types: [{ type: 'collab', resolution_minutes: 60 }] }, 'types[0].type');
  await bad({ hours: POLICIES.hours, types: [{ type: 'after_sales', first_response_minutes: 30, remind_before_minutes: 30 }] }, 'types[0].remind_before_minutes');
  await bad({ hours: POLICIES.hours, types: [{ type: 'shipping', resolution_minutes: 5 }, { type: 'shipping', resolution_minutes: 9 }] }, 'types[1].type');
  await bad({ hours: POLICIES.hours, types: [{ type: 'shipping' }] }, 'types[0]');
  await bad({ hours: POLICIES.hours, types: [{ type: 'shipping', resolution_minutes: 5, bogus: 1 }] }, 'types[0].bogus');
  r = await lead.get('/api/v1/targets');
  assert.deepEqual(r.body.types, []); // nothing refused was written
  r = await lead.put('/api/v1/targets', POLICIES);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.types.length, 2);
  const after = r.body.types.find((t) => t.type === 'after_sales');
  assert.deepEqual(after, POLICIES.types[0]);
  // another shop's stay its own
  r = await otherLead.get('/api/v1/targets');
  assert.deepEqual(r.body.types, []);
});

test('a work order\'s targets: working time across National Day, first response, pause, reminder and escalation once', async () => {
  // Tuesday 2025-09-30 17:00, the eve of National Day (10-01..10-08 off)
  await setClock('2025-09-30T17:00:00+08:00');
  const wo = await createWO(lead);
  let r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.status, 200);
  assert.equal(r.body.rule, 'after_sales');
  assert.equal(minute(r.body.first_response.due_at), '2025-09-30T17:30');
  assert.equal(r.body.first_response.outcome, 'pending');
  // 120 working minutes: one hour before 18:00, one after the holiday
  assert.equal(minute(r.body.resolution.due_at), '2025-10-09T10:00');
  near(r.body.resolution.left_seconds, 7200);
  // the creator's own note is no response; the handler's is
  await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '请尽快处理' });
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.first_response.at, null);
  await setClock('2025-09-30T17:05:00+08:00');
  await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '已联系买家' });
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.first_response.outcome, 'met');
  assert.equal(r.body.first_response.by, agent1.user.id);
  assert.equal(minute(r.body.first_response.at), '2025-09-30T17:05');
  // waiting for the buyer at 17:20 keeps the 100 working minutes left
  await setClock('2025-09-30T17:20:00+08:00');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/wait_buyer`, { text: '请买家补充照片' });
  assert.equal(r.body.state, 'waiting_buyer');
  // past the old due time: nothing fires while paused
  await setClock('2025-10-09T10:30:00+08:00');
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.resolution.paused, true);
  assert.equal(r.body.resolution.due_at, null);
  near(r.body.resolution.left_seconds, 6000);
  near(r.body.resolution.paused_seconds, 8 * 86400 + 17 * 3600 + 10 * 60); // wall-clock time paused
  await new Promise((res) => setTimeout(res, 300));
  r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  assert.ok(!r.body.events.some((e) => e.kind.startsWith('target_')));
  // the buyer answers at 10:30: 100 minutes from now, 12:10
  r = await agent1.post(`/api/v1/workorders/${wo.id}/start`, {});
  assert.equal(r.body.state, 'in_progress');
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.resolution.paused, false);
  assert.equal(minute(r.body.resolution.due_at), '2025-10-09T12:10');
  const paused = r.body.resolution.paused_seconds;
  near(paused, (Date.parse('2025-10-09T10:30:00+08:00') - Date.parse('2025-09-30T17:20:00+08:00')) / 1000);
  // ten minutes before: the reminder, once
  await setClock('2025-10-09T12:01:00+08:00');
  const kinds = async () => (await agent1.get(`/api/v1/workorders/${wo.id}`)).body.events.map((e) => e.kind);
  assert.ok(await until(async () => (await kinds()).includes('target_reminded')));
  r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  const reminded = r.body.events.find((e) => e.kind === 'target_reminded');
  assert.equal(reminded.actor, null);
  assert.deepEqual([reminded.data.target, reminded.data.rule, reminded.data.minutes, reminded.data.due_at],
    ['resolution', 'after_sales', '120', reminded.data.due_at]);
  assert.equal(minute(reminded.data.due_at), '2025-10-09T12:10');
  // missed: escalated, the handler cleared into the lead's queue
  await setClock('2025-10-09T12:11:00+08:00');
  const missed = await until(async () => (await lead.get(`/api/v1/workorders/${wo.id}`)).body.events.find((e) => e.kind === 'target_missed'));
  assert.ok(missed, 'the escalation fired');
  assert.equal(missed.data.moved_to, 'lead_queue');
  assert.equal(missed.data.handler, agent1.user.id);
  r = await lead.get(`/api/v1/workorders/${wo.id}`);
  assert.equal(r.body.workorder.handler, null);
  assert.equal(r.body.events.filter((e) => e.kind === 'target_missed').length, 1);
  assert.equal(r.body.events.filter((e) => e.kind === 'target_reminded').length, 1);
  r = await lead.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.resolution.outcome, 'missed');
  // the people it concerns are told (docs/notifications.md): the handler of the reminder and of
  // the miss, the leads of the escalation
  const told = async (c) => (await c.get('/api/v1/notifications?limit=100')).body.items
    .filter((n) => n.workorder.id === wo.id).map((n) => n.kind);
  // (newest first; the work order's own deadline passed during the pause: its overdue is a miss)
  assert.ok((await lead.get(`/api/v1/workorders/${wo.id}`)).body.events.some((e) => e.kind === 'overdue'));
  assert.deepEqual(await told(agent1), ['target_missed', 'target_due_soon', 'target_missed', 'assigned']);
  assert.deepEqual(await told(lead), ['target_missed']);
  assert.deepEqual(await told(otherLead), []);
  // statistics: the first response met, the resolution missed, both the handler's
  r = await lead.get('/api/v1/stats/targets?from=2025-09-30&to=2025-09-30');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const byType = r.body.by_type.find((t) => t.type === 'after_sales');
  assert.deepEqual(byType.first_response, { met: 1, missed: 0, met_rate: 1 });
  assert.deepEqual(byType.resolution, { met: 0, missed: 1, met_rate: 0 });
  const mine = r.body.by_handler.find((h) => h.handler === agent1.user.id);
  assert.deepEqual([mine.first_response.met, mine.resolution.missed], [1, 1]);
  r = await agent1.get('/api/v1/stats/targets');
  assert.equal(r.status, 403);
  // another shop sees none of it
  r = await otherLead.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.status, 404);
});

test('completed in time meets the resolution target; a type without targets has none', async () => {
  await setClock('2025-10-13T10:00:00+08:00');
  const wo = await createWO(lead, { type: 'shipping', title: '催发货' });
  let r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.first_response, null);
  assert.equal(minute(r.body.resolution.due_at), '2025-10-13T11:00');
  await setClock('2025-10-13T10:40:00+08:00');
  r = await agent1.post(`/api/v1/workorders/${wo.id}/complete`, { text: '已发出' });
  assert.equal(r.body.state, 'done');
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.resolution.outcome, 'met');
  await setClock('2025-10-13T11:30:00+08:00');
  await new Promise((res) => setTimeout(res, 300));
  r = await agent1.get(`/api/v1/workorders/${wo.id}`);
  assert.ok(!r.body.events.some((e) => e.kind === 'target_missed'));
  const memo = await createWO(lead, { type: 'task_memo', title: '备忘' });
  r = await agent1.get(`/api/v1/workorders/${memo.id}/targets`);
  assert.deepEqual(r.body, { rule: null, hours: null, first_response: null, resolution: null });
});

test('a shop\'s own type: its policy checked against the shop\'s active types, its work orders timed, reminded and counted', async () => {
  const made = async (c, name) => {
    const r = await c.post('/api/v1/workorder_types', { name_zh: name, name_en: name, default_deadline_hours: 0 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.key;
  };
  const mine = await made(lead, '退货质检');
  const retired = await made(lead, '旧流程');
  assert.equal((await lead.patch(`/api/v1/workorder_types/${retired}`, { retired: true })).status, 200);
  // the other shop numbers its own: one key more than this shop has is only theirs
  let theirs;
  for (const n of ['甲', '乙', '丙']) theirs = await made(otherLead, n);
  assert.ok(![mine, retired].includes(theirs));
  const was = (await lead.get('/api/v1/targets')).body;
  const policy = { type: mine, first_response_minutes: 30, resolution_minutes: 60, remind_before_minutes: 10, escalate_to_queue: false };
  const bad = async (types, field) => {
    const res = await lead.put('/api/v1/targets', { hours: was.hours, types }, INVALID);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.field, field);
  };
  await bad([...was.types, { ...policy, type: theirs }], `types[${was.types.length}].type`);
  await bad([{ ...policy, type: 'x-1199' }], 'types[0].type');
  await bad([{ ...policy, type: 'x-9999' }], 'types[0].type');
  await bad([{ ...policy, type: 'no_such_type' }], 'types[0].type');
  await bad([{ ...policy, type: retired }], 'types[0].type');
  await bad([policy, { ...policy, resolution_minutes: 90 }], 'types[1].type');
  assert.deepEqual((await lead.get('/api/v1/targets')).body, was); // nothing refused was written
  let r = await lead.put('/api/v1/targets', { hours: was.hours, types: [...was.types, policy] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.types.find((t) => t.type === mine), policy);
  assert.deepEqual((await agent1.get('/api/v1/targets')).body.types.find((t) => t.type === mine), policy);

  // Monday 2025-10-20 10:00, a working day
  await setClock('2025-10-20T10:00:00+08:00');
  const wo = await createWO(lead, { type: mine, title: '退货待质检' });
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.rule, mine);
  assert.equal(minute(r.body.first_response.due_at), '2025-10-20T10:30');
  assert.equal(minute(r.body.resolution.due_at), '2025-10-20T11:00');
  await setClock('2025-10-20T10:10:00+08:00');
  await agent1.post(`/api/v1/workorders/${wo.id}/notes`, { text: '已收到退货' });
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.first_response.outcome, 'met');
  // ten minutes before the resolution target: the reminder, naming the shop's type
  await setClock('2025-10-20T10:51:00+08:00');
  const reminded = await until(async () => (await agent1.get(`/api/v1/workorders/${wo.id}`)).body.events.find((e) => e.kind === 'target_reminded'));
  assert.ok(reminded, 'the reminder fired');
  assert.deepEqual([reminded.data.target, reminded.data.rule, reminded.data.minutes], ['resolution', mine, '60']);
  r = await agent1.post(`/api/v1/workorders/${wo.id}/complete`, { text: '质检通过' });
  assert.equal(r.body.state, 'done');
  r = await agent1.get(`/api/v1/workorders/${wo.id}/targets`);
  assert.equal(r.body.resolution.outcome, 'met');
  // statistics by type count it under the shop type's key
  r = await lead.get('/api/v1/stats/targets?from=2025-10-20&to=2025-10-20');
  const row = r.body.by_type.find((t) => t.type === mine);
  assert.ok(row, JSON.stringify(r.body.by_type));
  assert.deepEqual([row.first_response, row.resolution], [{ met: 1, missed: 0, met_rate: 1 }, { met: 1, missed: 0, met_rate: 1 }]);
  // the other shop's targets stay its own
  assert.ok(!(await otherLead.get('/api/v1/targets')).body.types.some((t) => t.type === mine));
  // retired later, the type keeps the policy it has: the page can still save the others
  assert.equal((await lead.patch(`/api/v1/workorder_types/${mine}`, { retired: true })).status, 200);
  r = await lead.put('/api/v1/targets', { hours: was.hours, types: [...was.types, policy] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.types.find((t) => t.type === mine), policy);
});
