// Bulk work (POST /workorders/bulk, docs/bulk.md): a lead's one action on many work orders, each
// in its own transaction, answered per item. Another shop's ids and ids beyond the first 500
// fail by name while the others are done; an item the rules refuse (a cancelled work order
// completed) fails alone and changes nothing; agents and platform staff may not use it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer } from './lib.mjs';

let srv, lead, agent1, agent2, otherLead, xiaoer;

before(async () => {
  srv = await startServer();
  [lead, agent1, agent2, otherLead, xiaoer] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1'].map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

async function createWO(c, title, handler) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', title, content: '批量处理', handler_id: handler });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const wo = async (id) => (await lead.get(`/api/v1/workorders/${id}`)).body.workorder;

test("a lead transfers many at once; another shop's id fails by name and the others are done", async () => {
  const mine = [];
  for (let i = 0; i < 3; i++) mine.push(await createWO(lead, `批量转交${i}`, agent1.user.id));
  const theirs = await createWO(otherLead, '别家的工单', otherLead.user.id);
  const ids = [mine[0].id, theirs.id, mine[1].id, mine[2].id];
  const r = await lead.post('/api/v1/workorders/bulk', { action: 'transfer', ids, to: agent2.user.id, reason: '人手调整' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.items.map((x) => x.id), ids, 'one answer per id, in order');
  assert.deepEqual(r.body.items.map((x) => x.ok), [true, false, true, true]);
  assert.equal(r.body.items[1].error.code, 'not_found');
  assert.equal(r.body.done, 3);
  assert.equal(r.body.failed, 1);
  for (const w of mine) {
    const now = await wo(w.id);
    assert.equal(now.handler.id, agent2.user.id);
    assert.equal(now.version, r.body.items.find((x) => x.id === w.id).version);
  }
  const other = (await otherLead.get(`/api/v1/workorders/${theirs.id}`)).body;
  assert.equal(other.workorder.handler.id, otherLead.user.id, "the other shop's work order is untouched");
  assert.ok(!other.events.some((e) => e.kind === 'transferred'));
});

test('an item the rules refuse fails alone, with the reason, and is left as it was', async () => {
  const a = await createWO(lead, '批量完结A', agent1.user.id);
  const b = await createWO(lead, '批量完结B', agent1.user.id);
  assert.equal((await lead.post(`/api/v1/workorders/${b.id}/cancel`, { reason: '重复' })).status, 200);
  const before = await wo(b.id);
  const r = await lead.post('/api/v1/workorders/bulk', { action: 'complete', ids: [a.id, b.id], text: '统一处理' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.items[0].ok, true);
  assert.equal(r.body.items[1].ok, false);
  assert.equal(r.body.items[1].error.code, 'invalid_transition');
  assert.ok(r.body.items[1].error.message);
  assert.equal((await wo(a.id)).state, 'done');
  const after = await wo(b.id);
  assert.equal(after.state, 'cancelled');
  assert.equal(after.version, before.version, 'nothing written for the refused item');

  // notes and chases, then cancel: each lands on every item
  const notes = await lead.post('/api/v1/workorders/bulk', { action: 'note', ids: [a.id, b.id], text: '已批量复核' });
  assert.deepEqual(notes.body.items.map((x) => x.ok), [true, true]);
  const c = await createWO(lead, '批量取消', agent1.user.id);
  const chase = await lead.post('/api/v1/workorders/bulk', { action: 'chase', ids: [c.id] });
  assert.equal(chase.body.done, 1);
  const cancel = await lead.post('/api/v1/workorders/bulk', { action: 'cancel', ids: [c.id], reason: '买家撤回' });
  assert.equal(cancel.body.done, 1);
  assert.equal((await wo(c.id)).state, 'cancelled');
  const assign = await lead.post('/api/v1/workorders/bulk', { action: 'assign', ids: [a.id], to: agent2.user.id });
  assert.equal(assign.status, 200);
});

test('only the first 500 are acted on: the rest fail by name', async () => {
  const first = await createWO(lead, '第一条', agent1.user.id);
  const late = await createWO(lead, '第五百零一条', agent1.user.id);
  // 499 ids that name no work order between them: not found, each by name
  const fake = Array.from({ length: 499 }, (_, i) => String(9_000_000_000_000 + i));
  const ids = [first.id, ...fake, late.id];
  const r = await lead.post('/api/v1/workorders/bulk', { action: 'note', ids, text: '超过上限' });
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  assert.equal(r.body.items.length, 501);
  assert.equal(r.body.items[0].ok, true);
  assert.equal(r.body.items[1].error.code, 'not_found');
  assert.equal(r.body.items[500].id, late.id);
  assert.equal(r.body.items[500].error.code, 'too_large');
  assert.match(r.body.items[500].error.message, /500/);
  assert.equal(r.body.done, 1);
  const lateNow = (await lead.get(`/api/v1/workorders/${late.id}`)).body;
  assert.ok(!lateNow.events.some((e) => e.kind === 'noted'), 'the 501st was not touched');
});

test('agents and platform staff may not; a request that is wrong as a whole is 422 naming the field', async () => {
  const w = await createWO(lead, '权限', agent1.user.id);
  assert.equal((await agent1.post('/api/v1/workorders/bulk', { action: 'note', ids: [w.id], text: 'x' })).status, 403);
  assert.equal((await xiaoer.post('/api/v1/workorders/bulk', { action: 'note', ids: [w.id], text: 'x' })).status, 403);
  for (const [body, field] of [
    [{ action: 'start', ids: [w.id] }, 'action'],
    [{ action: 'transfer', ids: [w.id], reason: 'r' }, 'to'],
    [{ action: 'note', ids: [], text: 't' }, 'ids'],
    [{ action: 'note', ids: [w.id, w.id], text: 't' }, 'ids'],
    [{ action: 'note', ids: Array.from({ length: 2001 }, (_, i) => String(1000 + i)), text: 't' }, 'ids'],
  ]) {
    const r = await lead.post('/api/v1/workorders/bulk', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body).slice(0, 80));
    assert.equal(r.body.error.field, field);
  }
  assert.ok(!(await lead.get(`/api/v1/workorders/${w.id}`)).body.events.some((e) => e.kind === 'noted'));
});
