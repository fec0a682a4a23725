// API tests of time targets (docs/targets.md): the 等待买家 state (waiting_buyer) and what it
// allows, against the real binary over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, INVALID } from './lib.mjs';

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
