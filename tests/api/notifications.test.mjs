// The notification centre (docs/notifications.md): a user is told when a work order is assigned
// or transferred to them, chased, when a note mentions them with @name, when a collaborative case
// arrives for their shop, needs the platform or is judged; the bell's unread count comes live over
// the stream; they list, mark read (one or all) and choose the kinds. Nobody reads or marks
// another's; a mention of another shop's user stays plain text; a failed request writes none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer, until } from './lib.mjs';
import { readEvents } from '../sse.mjs';

let srv, lead, owner, agent1, agent2, otherLead, xiaoer1, xiaoer2, supervisor;

before(async () => {
  srv = await startServer();
  [lead, owner, agent1, agent2, otherLead, xiaoer1, xiaoer2, supervisor] = await Promise.all(
    ['tea_lead', 'tea_owner', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1', 'xiaoer2', 'supervisor']
      .map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

const list = async (c, q = '') => {
  const r = await c.get('/api/v1/notifications' + q);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const made = new Set(); // every work order of the tea shop these tests made
const newWo = async (body = {}) => {
  const r = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '买家申请退款', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  made.add(r.body.id);
  return r.body;
};
const about = async (c, wo) => (await list(c, '?limit=100')).items.filter((n) => n.workorder.id === wo.id);

// Opens a stream and collects its `notifications` events.
async function bell(c) {
  const ac = new AbortController();
  const res = await fetch(srv.base + '/api/v1/stream', { headers: c.headers, signal: ac.signal });
  assert.equal(res.status, 200);
  const s = { counts: [], close: () => ac.abort() };
  void readEvents(res, (ev, data) => {
    if (ev === 'notifications') s.counts.push(data.unread);
  });
  return s;
}

test('assigned, transferred and chased: the handler is told, with who and why; the actor never', async () => {
  const before1 = (await list(agent1)).unread;
  const wo = await newWo({ handler_id: agent1.user.id });
  let mine = await about(agent1, wo);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].kind, 'assigned');
  assert.equal(mine[0].workorder.number, wo.number);
  assert.equal(mine[0].workorder.title, '买家申请退款');
  assert.equal(mine[0].actor.name, '王主管');
  assert.equal(mine[0].read_at, null);
  assert.equal((await list(agent1)).unread, before1 + 1);
  assert.deepEqual(await about(lead, wo), [], 'the actor is not told of their own change');

  const t = await agent1.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent2.user.id, reason: '需要仓库配合' });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  mine = await about(agent2, wo);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].kind, 'assigned');
  assert.equal(mine[0].text, '需要仓库配合');
  assert.equal(mine[0].actor.name, '李小梅');

  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '买家第三次来问了' })).status, 200);
  mine = await about(agent2, wo);
  assert.deepEqual(mine.map((n) => n.kind), ['chased', 'assigned'], 'newest first');
  assert.equal(mine[0].text, '买家第三次来问了');
});

test('a failed request writes no notification', async () => {
  const wo = await newWo({ handler_id: agent1.user.id });
  const had = (await list(agent1)).unread;
  const long = await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '催'.repeat(2001) }, INVALID);
  assert.equal(long.status, 422);
  const stale = await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '快' }, { 'if-match': '"999"', ...INVALID });
  assert.equal(stale.status, 412);
  const toOther = await lead.post(`/api/v1/workorders/${wo.id}/transfer`, { to: otherLead.user.id, reason: '转错店' }, INVALID);
  assert.equal(toOther.status, 422);
  assert.equal((await list(agent1)).unread, had);
  assert.equal((await about(agent1, wo)).length, 1, 'only the assignment');
  assert.deepEqual(await about(otherLead, wo), []);
});

test('@name in a note tells the users of the shop named; another shop\'s name stays plain text', async () => {
  const wo = await newWo({ handler_id: agent2.user.id });
  const note = '@tea_agent2 请核对物流，@江南茶舍 知悉；@baby_lead 也看看 @nobody';
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: note })).status, 200);
  const a2 = await about(agent2, wo);
  assert.deepEqual(a2.map((n) => n.kind), ['mentioned', 'assigned']);
  assert.equal(a2[0].text, note);
  const o = await about(owner, wo);
  assert.deepEqual(o.map((n) => n.kind), ['mentioned'], 'by display name');
  assert.deepEqual(await about(otherLead, wo), [], 'another shop\'s user is never told');
  // an agent who may not open the work order is not told of it either (docs/permissions.md)
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '@tea_agent1 看下' })).status, 200);
  assert.deepEqual(await about(agent1, wo), []);
  // a prefix of a longer name is not a mention of it
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '@tea_agent22 不是你' })).status, 200);
  assert.equal((await about(agent2, wo)).length, 2);
});

test('the bell counts live over the stream, and mark read / mark all bring it down', async () => {
  const s = await bell(agent1);
  try {
    await until(() => s.counts.length >= 1);
    const start = s.counts.at(-1);
    assert.equal(start, (await list(agent1)).unread);
    const wo = await newWo({ handler_id: agent1.user.id });
    await until(() => s.counts.at(-1) === start + 1);
    assert.equal(s.counts.at(-1), start + 1);
    await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '加急' });
    await until(() => s.counts.at(-1) === start + 2);
    assert.equal(s.counts.at(-1), start + 2);

    const [chase] = await about(agent1, wo);
    const one = await agent1.post('/api/v1/notifications/read', { ids: [chase.id] });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.unread, start + 1);
    assert.notEqual((await about(agent1, wo))[0].read_at, null);
    assert.ok((await list(agent1, '?unread=true&limit=100')).items.every((n) => n.read_at === null));
    // another user's id marks nothing of theirs
    const theirs = await agent2.post('/api/v1/notifications/read', { ids: [(await about(agent1, wo))[1].id] });
    assert.equal(theirs.status, 200);
    assert.equal((await list(agent1)).unread, start + 1);
    const all = await agent1.post('/api/v1/notifications/read', { all: true });
    assert.equal(all.body.unread, 0);
    assert.equal((await list(agent1)).unread, 0);
  } finally { s.close(); }
});

test('a user turns kinds off and is no longer told of them', async () => {
  const p = await agent2.get('/api/v1/notifications/preferences');
  assert.equal(p.status, 200);
  assert.ok(p.body.kinds.includes('chased') && p.body.kinds.includes('mentioned'));
  assert.deepEqual(p.body.muted, []);
  const set = await agent2.put('/api/v1/notifications/preferences', { muted: ['mentioned', 'chased', 'chased'] });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.muted, ['chased', 'mentioned']);
  const wo = await newWo({ handler_id: agent2.user.id });
  await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '快' });
  await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '@tea_agent2 看' });
  assert.deepEqual((await about(agent2, wo)).map((n) => n.kind), ['assigned']);
  assert.deepEqual((await agent1.get('/api/v1/notifications/preferences')).body.muted, [], 'each user their own');
  assert.equal((await agent2.put('/api/v1/notifications/preferences', { muted: [] })).status, 200);
  await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '再催' });
  assert.deepEqual((await about(agent2, wo)).map((n) => n.kind), ['chased', 'assigned']);
});

test('a collaborative case: the shop is told it arrived, the platform when it needs them, the shop of the judgement', async () => {
  const orders = (await lead.get('/api/v1/orders?limit=5')).body.items;
  const c = await xiaoer1.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: orders[0].order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'return_refund' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const wo = c.body;
  // it goes to the shop's after-sales handler (the demo's is tea_agent2), who is told
  assert.equal(wo.handler?.id, agent2.user.id, JSON.stringify(wo.handler));
  assert.deepEqual((await about(agent2, wo)).map((n) => n.kind), ['collab_arrived']);
  assert.deepEqual((await about(xiaoer1, wo)), [], 'the actor is not told');
  for (const u of [agent1, lead]) assert.deepEqual(await about(u, wo), [], u.username);
  assert.deepEqual(await about(otherLead, wo), []);

  const r = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'not_agreed', description: '买家描述不实' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const handler = [xiaoer1, xiaoer2, supervisor].find((u) => u.user.id === r.body.handler?.id);
  assert.ok(handler, JSON.stringify(r.body));
  assert.deepEqual((await about(handler, wo)).map((n) => n.kind), ['collab_platform']);

  const j = await handler.post(`/api/v1/workorders/${wo.id}/judge`, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: '图片与实物不符', rule_article: '第十八条' });
  assert.equal(j.status, 200, JSON.stringify(j.body));
  for (const u of [lead, owner]) assert.deepEqual((await about(u, wo)).map((n) => n.kind), ['collab_judged'], u.username);
  assert.deepEqual(await about(otherLead, wo), []);
});

test('bad input is 422 naming the field; nobody reads another\'s notifications', async () => {
  for (const [q, field] of [['?limit=0', 'limit'], ['?limit=101', 'limit'], ['?limit=x', 'limit'], ['?unread=yes', 'unread'], ['?before=abc', 'before']]) {
    const r = await agent1.get('/api/v1/notifications' + q, undefined, INVALID);
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.field, field, q);
  }
  for (const [body, field] of [[{}, 'ids'], [{ ids: ['1'], all: true }, 'ids'], [{ ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) }, 'ids'], [{ all: 'yes' }, 'all'], [{ what: 1 }, 'what']]) {
    const r = await agent1.post('/api/v1/notifications/read', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  for (const [body, field] of [[{}, 'muted'], [{ muted: 'chased' }, 'muted'], [{ muted: ['chased', 'everything'] }, 'muted'], [{ muted: [1] }, 'muted']]) {
    const r = await agent1.put('/api/v1/notifications/preferences', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  assert.deepEqual((await agent1.get('/api/v1/notifications/preferences')).body.muted, [], 'a refused change wrote nothing');
  // pages: the next one starts below the last shown
  const first = await list(lead, '?limit=1');
  assert.equal(first.items.length, 1);
  const second = await list(lead, `?limit=1&before=${first.next_before}`);
  assert.ok(second.items.length === 0 || BigInt(second.items[0].id) < BigInt(first.items[0].id));
  // another shop's lead was told of none of this shop's work orders
  assert.ok(made.size >= 5);
  assert.deepEqual((await list(otherLead, '?limit=100')).items.filter((n) => made.has(n.workorder.id)), []);
});
