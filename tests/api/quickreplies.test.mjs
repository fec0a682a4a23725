// Quick replies (快捷短语, docs/quickreplies.md): a shop's shop-wide replies, managed by its owner
// and leads, and each user's own. An agent reads the shop-wide ones and their own and manages
// only their own; another shop's and another person's are 404; platform staff have none. Each
// limit (title 30 and body 500 characters, 200 shop-wide per shop, 50 per person) is a 422 that
// names the field, writes nothing, and is counted in /metrics.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer } from './lib.mjs';

let srv, owner, lead, agent1, agent2, otherLead, xiaoer;

before(async () => {
  srv = await startServer();
  [owner, lead, agent1, agent2, otherLead, xiaoer] = await Promise.all(
    ['tea_owner', 'tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1'].map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

const titles = async (c) => {
  const r = await c.get('/api/v1/quickreplies');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.map((q) => q.title);
};

test('an agent reads the shop-wide replies and their own, and manages only their own', async () => {
  const shared = await lead.post('/api/v1/quickreplies', { title: '催发货', body: '{买家} 您好，订单 {订单号} 已催仓库，{截止时间} 前发出。', shared: true });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.equal(shared.body.shared, true);
  assert.equal(shared.body.can_manage, true);
  assert.match(shared.headers.get('location'), new RegExp(`/api/v1/quickreplies/${shared.body.id}$`));
  const own = await agent1.post('/api/v1/quickreplies', { title: '道歉', body: '非常抱歉给您添麻烦了' });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.shared, false);
  const leadOwn = await lead.post('/api/v1/quickreplies', { title: '主管备注', body: '已核实，按规则处理' });
  assert.equal(leadOwn.status, 201);

  // shop-wide first, then one's own; never another person's
  assert.deepEqual(await titles(agent1), ['催发货', '道歉']);
  assert.deepEqual(await titles(agent2), ['催发货']);
  assert.deepEqual(await titles(lead), ['催发货', '主管备注']);
  assert.deepEqual(await titles(owner), ['催发货']);
  const seen = (await agent1.get('/api/v1/quickreplies')).body.items;
  assert.equal(seen[0].can_manage, false, 'an agent does not manage the shop-wide reply');
  assert.equal(seen[1].can_manage, true);

  // an agent makes no shop-wide reply and changes none (403: they see it); another person's own
  // reply does not exist for them (404)
  const refused = await agent1.post('/api/v1/quickreplies', { title: '全店', body: 'x', shared: true });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.field, 'shared');
  assert.equal((await agent1.patch(`/api/v1/quickreplies/${shared.body.id}`, { title: '改' })).status, 403);
  assert.equal((await agent1.delete(`/api/v1/quickreplies/${shared.body.id}`)).status, 403);
  assert.equal((await agent2.patch(`/api/v1/quickreplies/${own.body.id}`, { title: '改' })).status, 404);
  assert.equal((await lead.delete(`/api/v1/quickreplies/${own.body.id}`)).status, 404);
  assert.deepEqual(await titles(agent1), ['催发货', '道歉'], 'nothing refused was changed');

  // the owner of a reply changes and deletes it; the owner of the shop manages shop-wide ones
  const changed = await agent1.patch(`/api/v1/quickreplies/${own.body.id}`, { body: '抱歉，{截止时间} 前给您答复' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.title, '道歉');
  assert.equal(changed.body.body, '抱歉，{截止时间} 前给您答复');
  const renamed = await owner.patch(`/api/v1/quickreplies/${shared.body.id}`, { title: '催促发货' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.deepEqual(await titles(agent2), ['催促发货']);
  assert.equal((await agent1.delete(`/api/v1/quickreplies/${own.body.id}`)).status, 204);
  assert.equal((await agent1.delete(`/api/v1/quickreplies/${own.body.id}`)).status, 404);
  assert.deepEqual(await titles(agent1), ['催促发货']);
  // scope is chosen once
  const scope = await lead.patch(`/api/v1/quickreplies/${leadOwn.body.id}`, { shared: true }, INVALID);
  assert.equal(scope.status, 422);
  assert.equal(scope.body.error.field, 'shared');
});

test("another shop's replies are 404 and never listed; platform staff have none", async () => {
  const r = await lead.post('/api/v1/quickreplies', { title: '本店专用', body: '只给江南茶舍', shared: true });
  assert.equal(r.status, 201);
  assert.ok(!(await titles(otherLead)).includes('本店专用'));
  assert.equal((await otherLead.patch(`/api/v1/quickreplies/${r.body.id}`, { title: '偷改' })).status, 404);
  assert.equal((await otherLead.delete(`/api/v1/quickreplies/${r.body.id}`)).status, 404);
  assert.equal((await xiaoer.get('/api/v1/quickreplies')).status, 403);
  assert.equal((await xiaoer.post('/api/v1/quickreplies', { title: 'x', body: 'y' })).status, 403);
  assert.equal((await xiaoer.patch(`/api/v1/quickreplies/${r.body.id}`, { title: 'x' })).status, 404);
  assert.equal((await xiaoer.delete(`/api/v1/quickreplies/${r.body.id}`)).status, 404);
  assert.ok((await titles(lead)).includes('本店专用'), 'still there');
});

const metric = async (limit) => {
  const text = await (await fetch(`${srv.base}/metrics`)).text();
  const m = text.match(new RegExp(`gongdan_quickreply_limit_refusals_total\\{limit="${limit}"\\} (\\d+)`));
  assert.ok(m, `metric for ${limit}`);
  return Number(m[1]);
};

test('each limit is a 422 naming its field, writes nothing, and is counted', async () => {
  const before = await titles(agent2);
  for (const [body, field, limit, rule] of [
    [{ title: '长'.repeat(31), body: 'x' }, 'title', 'title_length', /30 characters/],
    [{ title: '长文', body: '字'.repeat(501) }, 'body', 'body_length', /500 characters/],
  ]) {
    const n = await metric(limit);
    const r = await agent2.post('/api/v1/quickreplies', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, rule);
    assert.equal(await metric(limit), n + 1);
  }
  // exactly at the limits is fine (characters, not bytes)
  const edge = await agent2.post('/api/v1/quickreplies', { title: '满'.repeat(30), body: '字'.repeat(500) });
  assert.equal(edge.status, 201, JSON.stringify(edge.body));
  for (const [body, field] of [[{ title: '', body: 'x' }, 'title'], [{ title: 't', body: '  ' }, 'body'],
    [{ title: 't' }, 'body'], [{ title: 't', body: 'b', shared: 'yes' }, 'shared']]) {
    const r = await agent2.post('/api/v1/quickreplies', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  const long = await agent2.patch(`/api/v1/quickreplies/${edge.body.id}`, { title: '长'.repeat(31) }, INVALID);
  assert.equal(long.status, 422);
  assert.equal(long.body.error.field, 'title');
  assert.deepEqual(await titles(agent2), [...before, '满'.repeat(30)]);

  // 50 of one's own: the 51st is refused, and another person still adds theirs
  const mine = (await agent2.get('/api/v1/quickreplies')).body.items.filter((q) => !q.shared).length;
  for (let i = mine; i < 50; i++) {
    assert.equal((await agent2.post('/api/v1/quickreplies', { title: `个人${i}`, body: 'b' })).status, 201);
  }
  let n = await metric('per_person');
  const over = await agent2.post('/api/v1/quickreplies', { title: '第51条', body: 'b' });
  assert.equal(over.status, 422);
  assert.equal(over.body.error.field, 'shared');
  assert.match(over.body.error.message, /at most 50/);
  assert.equal(await metric('per_person'), n + 1);
  assert.equal((await agent1.post('/api/v1/quickreplies', { title: '我的', body: 'b' })).status, 201);

  // 200 shop-wide: the 201st is refused; a lead's own replies do not count toward it
  const shared = (await lead.get('/api/v1/quickreplies')).body.items.filter((q) => q.shared).length;
  await Promise.all(Array.from({ length: 200 - shared }, (_, i) =>
    lead.post('/api/v1/quickreplies', { title: `全店${i}`, body: 'b', shared: true })
      .then((r) => assert.equal(r.status, 201, JSON.stringify(r.body)))));
  n = await metric('per_shop');
  const full = await owner.post('/api/v1/quickreplies', { title: '第201条', body: 'b', shared: true });
  assert.equal(full.status, 422);
  assert.equal(full.body.error.field, 'shared');
  assert.match(full.body.error.message, /at most 200/);
  assert.equal(await metric('per_shop'), n + 1);
  assert.equal((await lead.post('/api/v1/quickreplies', { title: '主管自己的', body: 'b' })).status, 201);
  assert.equal((await agent2.get('/api/v1/quickreplies')).body.items.filter((q) => q.shared).length, 200);
  // another shop is not full
  assert.equal((await otherLead.post('/api/v1/quickreplies', { title: '别店', body: 'b', shared: true })).status, 201);
});

test('two creates racing at the last place: exactly one is stored', async () => {
  const c = await client(srv, 'tea_warehouse');
  for (let i = 0; i < 49; i++) {
    assert.equal((await c.post('/api/v1/quickreplies', { title: `仓${i}`, body: 'b' })).status, 201);
  }
  const rs = await Promise.all([1, 2, 3].map((i) => c.post('/api/v1/quickreplies', { title: `抢${i}`, body: 'b' })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 422, 422]);
  assert.equal((await titles(c)).filter((t) => !t.startsWith('催') && !t.startsWith('全店') && t !== '本店专用').length, 50);
});
