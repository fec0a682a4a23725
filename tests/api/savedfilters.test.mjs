// Saved filters (docs/savedfilters.md): a list filter kept under a name, shared with the shop by
// its owner or a lead, or a person's own, each answered with the count of work orders it matches
// now. The filter is read with the list's own rules (a value the list refuses is refused, naming
// `query`), the count is what the list would show the reader, another shop's and another
// person's filters are 404, and every limit is a 422 that names its field and writes nothing.
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

async function createWO(c, title, handler, type = 'after_sales') {
  const r = await c.post('/api/v1/workorders', { type, title, content: '存档筛选', handler_id: handler });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const list = async (c) => {
  const r = await c.get('/api/v1/savedfilters');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
};
const byName = async (c) => Object.fromEntries((await list(c)).map((f) => [f.name, f]));

test('a lead shares a filter with the shop, an agent keeps their own; each counts what its list shows the reader', async () => {
  for (let i = 0; i < 3; i++) await createWO(lead, `甲筛选售后${i}`, agent1.user.id);
  await createWO(lead, '甲筛选催件', agent2.user.id, 'shipping');
  await createWO(otherLead, '甲筛选别家', otherLead.user.id);

  const shared = await lead.post('/api/v1/savedfilters', { name: '全店售后', view: 'shop', query: 'type=after_sales&q=%E7%94%B2%E7%AD%9B%E9%80%89', shared: true });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.equal(shared.body.shared, true);
  assert.equal(shared.body.can_manage, true);
  assert.equal(shared.body.count, 3, 'the shop view: the three after-sales work orders of this shop');
  assert.equal(shared.body.count_capped, false);
  assert.match(shared.headers.get('location'), new RegExp(`/api/v1/savedfilters/${shared.body.id}$`));

  const own = await agent1.post('/api/v1/savedfilters', { name: '我的甲', view: 'todo', query: 'q=甲筛选' });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.shared, false);
  assert.equal(own.body.count, 3);
  const mineAll = await agent2.post('/api/v1/savedfilters', { name: '我的待办', view: 'todo', query: 'q=甲筛选' });
  assert.equal(mineAll.body.count, 1, "agent2's todo holds the one transferred to them");

  // shared first, then one's own; never another person's; the shared one of a lead's view is
  // listed to an agent without a count (they may not open that list)
  const a1 = await list(agent1);
  assert.deepEqual(a1.map((f) => f.name), ['全店售后', '我的甲']);
  assert.equal(a1[0].count, null);
  assert.equal(a1[0].can_manage, false);
  assert.deepEqual((await list(lead)).map((f) => f.name), ['全店售后']);
  assert.deepEqual((await list(owner)).map((f) => [f.name, f.count]), [['全店售后', 3]]);
  assert.deepEqual(await list(otherLead), [], "another shop sees none of this shop's filters");

  // live: a change of the work orders moves the counts on the next read
  const w = await createWO(lead, '甲筛选新增', agent1.user.id);
  let names = await byName(lead);
  assert.equal(names['全店售后'].count, 4);
  assert.equal((await byName(agent1))['我的甲'].count, 4);
  assert.equal((await lead.post(`/api/v1/workorders/${w.id}/transfer`, { to: agent2.user.id, reason: '换人' })).status, 200);
  assert.equal((await byName(agent1))['我的甲'].count, 3);
  assert.equal((await byName(agent2))['我的待办'].count, 2);
  names = await byName(lead);
  assert.equal(names['全店售后'].count, 4, 'the whole shop still holds it');

  // platform staff have no saved filters
  assert.equal((await xiaoer.get('/api/v1/savedfilters')).status, 403);
  assert.equal((await xiaoer.post('/api/v1/savedfilters', { name: 'x', view: 'todo' })).status, 403);
});

test('the filter is read with the list\'s rules: a refused value names query, and nothing is kept', async () => {
  const before = (await list(agent1)).length;
  const refuse = async (c, body, status, field) => {
    const r = await c.post('/api/v1/savedfilters', body, INVALID);
    assert.equal(r.status, status, JSON.stringify([body, r.body]));
    assert.equal(r.body.error.field, field, JSON.stringify([body, r.body]));
    return r;
  };
  await refuse(agent1, { name: '坏状态', view: 'todo', query: 'state=bogus' }, 422, 'query');
  const r = await refuse(agent1, { name: '坏时间', view: 'todo', query: 'created_from=yesterday' }, 422, 'query');
  assert.match(r.body.error.message, /created_from/);
  await refuse(agent1, { name: '坏参数', view: 'todo', query: 'limit=5' }, 422, 'query');
  await refuse(agent1, { name: '两次', view: 'todo', query: 'state=open&state=done' }, 422, 'query');
  await refuse(agent1, { name: '处理人', view: 'todo', query: 'handler=abc' }, 422, 'query');
  await refuse(agent1, { name: '坏视图', view: 'intervention' }, 422, 'view');
  await refuse(agent1, { name: 'x'.repeat(31), view: 'todo' }, 422, 'name');
  await refuse(agent1, { name: '', view: 'todo' }, 422, 'name');
  await refuse(agent1, { name: '长', view: 'todo', query: 'q=' + 'a'.repeat(1000) }, 422, 'query');
  // an agent shares nothing and saves no list they may not open
  await refuse(agent1, { name: '共享', view: 'todo', shared: true }, 403, 'shared');
  await refuse(agent1, { name: '全店', view: 'shop' }, 403, 'view');
  assert.equal((await list(agent1)).length, before, 'a refused filter is not kept');
});

test('who changes and deletes which; another person\'s and another shop\'s are 404', async () => {
  const shared = (await lead.post('/api/v1/savedfilters', { name: '超期共享', view: 'overdue', shared: true })).body;
  const own = (await agent1.post('/api/v1/savedfilters', { name: '改名前', view: 'assigned', query: 'state=open' })).body;

  assert.equal((await agent1.patch(`/api/v1/savedfilters/${shared.id}`, { name: '改' })).status, 403);
  assert.equal((await agent1.delete(`/api/v1/savedfilters/${shared.id}`)).status, 403);
  assert.equal((await agent2.patch(`/api/v1/savedfilters/${own.id}`, { name: '改' })).status, 404);
  assert.equal((await lead.delete(`/api/v1/savedfilters/${own.id}`)).status, 404, "a lead does not reach an agent's own");
  assert.equal((await otherLead.patch(`/api/v1/savedfilters/${shared.id}`, { name: '改' })).status, 404);
  assert.equal((await otherLead.delete(`/api/v1/savedfilters/${shared.id}`)).status, 404);

  let r = await agent1.patch(`/api/v1/savedfilters/${own.id}`, { shared: true }, INVALID);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'shared');
  r = await agent1.patch(`/api/v1/savedfilters/${own.id}`, { view: 'todo' }, INVALID);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'query', 'view and query change together');
  r = await agent1.patch(`/api/v1/savedfilters/${own.id}`, { view: 'todo', query: 'state=nope' }, INVALID);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'query');

  r = await agent1.patch(`/api/v1/savedfilters/${own.id}`, { name: '改名后', view: 'todo', query: 'type=shipping' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.name, r.body.view, r.body.query], ['改名后', 'todo', 'type=shipping']);
  assert.equal(typeof r.body.count, 'number');
  r = await lead.patch(`/api/v1/savedfilters/${shared.id}`, { name: '超期（全店）' });
  assert.equal(r.status, 200);
  assert.equal(r.body.query, '', 'a rename keeps the filter');

  assert.equal((await agent1.delete(`/api/v1/savedfilters/${own.id}`)).status, 204);
  assert.equal((await agent1.delete(`/api/v1/savedfilters/${own.id}`)).status, 404);
  assert.ok(!(await list(agent1)).some((f) => f.id === own.id));
  assert.equal((await owner.delete(`/api/v1/savedfilters/${shared.id}`)).status, 204);
});

test('twenty of one\'s own: the next is refused naming shared, counted in /metrics, and not kept', async () => {
  const have = (await list(agent2)).filter((f) => !f.shared).length;
  for (let i = have; i < 20; i++) {
    assert.equal((await agent2.post('/api/v1/savedfilters', { name: `筛选${i}`, view: 'todo' })).status, 201);
  }
  const r = await agent2.post('/api/v1/savedfilters', { name: '第二十一个', view: 'todo' }, INVALID);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'shared');
  assert.equal((await list(agent2)).filter((f) => !f.shared).length, 20);
  // another person still has room: the limit is per person
  assert.equal((await agent1.post('/api/v1/savedfilters', { name: '还有位置', view: 'todo' })).status, 201);
  const metrics = await (await fetch(`${srv.base}/metrics`)).text();
  assert.match(metrics, /gongdan_savedfilter_limit_refusals_total\{limit="per_person"\} [1-9]/);
});

test('a filter on a custom field (field[<key>]=<value>) is kept, checked like the list, and counted with it', async () => {
  const t = await lead.post('/api/v1/workorder_types', { name_zh: '存档质检', name_en: 'Saved QC', default_deadline_hours: 6 });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const key = t.body.key;
  const f = `${key.replace('-', '')}_grade`;
  const w = `${key.replace('-', '')}_weight`;
  for (const field of [
    { key: f, kind: 'choice', label_zh: '等级', label_en: 'Grade', options: ['A', 'B'] },
    { key: w, kind: 'number', label_zh: '重量', label_en: 'Weight' },
  ]) {
    const r = await lead.post(`/api/v1/workorder_types/${key}/fields`, field);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const make = async (grade, weight) => {
    const r = await lead.post('/api/v1/workorders', { type: key, title: `存档等级${grade}`, handler_id: agent1.user.id, fields: { [f]: grade, [w]: weight } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  await make('A', 3);
  await make('B', 3);

  const query = `type=${key}&field%5B${f}%5D=A`;
  const saved = await lead.post('/api/v1/savedfilters', { name: '等级A', view: 'shop', query });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  assert.equal(saved.body.query, query, 'kept as the list page sent it');
  assert.equal(saved.body.count, 1, 'only the grade-A work order, not every one of the type');
  const both = await lead.post('/api/v1/savedfilters', { name: '等级A三斤', view: 'shop', query: `field[${f}]=A&field[${w}]=3.0` });
  assert.equal(both.status, 201, JSON.stringify(both.body));
  assert.equal(both.body.count, 1, 'two field filters: both must hold');

  // the count moves when a matching work order is made, and not for one that does not match
  await make('A', 4);
  let names = await byName(lead);
  assert.equal(names['等级A'].count, 2);
  assert.equal(names['等级A三斤'].count, 1);
  await make('B', 3);
  await make('A', 3);
  names = await byName(lead);
  assert.equal(names['等级A'].count, 3);
  assert.equal(names['等级A三斤'].count, 2);
  // the list itself shows what the count says
  const shown = await lead.get(`/api/v1/workorders?view=shop&limit=200&${query}`);
  assert.equal(shown.body.items.length, 3);

  // refused like the list refuses: each a 422 naming query, and nothing kept
  const before = (await list(lead)).length;
  for (const [q, msg] of [
    [`field[nope]=1`, /nope/],
    [`field[${w}]=heavy`, /number/],
    [`field[${f}]=A&field[${f}]=B`, /twice/],
    [`field[${f}=A`, /field\[/],
    [`field[${f}]=A&field[${w}]=3&field[a]=1&field[b]=2`, /at most 3/],
  ]) {
    const r = await lead.post('/api/v1/savedfilters', { name: '坏字段', view: 'shop', query: q }, INVALID);
    assert.equal(r.status, 422, JSON.stringify([q, r.body]));
    assert.equal(r.body.error.field, 'query', JSON.stringify([q, r.body]));
    assert.match(r.body.error.message, msg, JSON.stringify([q, r.body]));
  }
  const patched = await lead.patch(`/api/v1/savedfilters/${saved.body.id}`, { view: 'shop', query: 'field[nope]=1' }, INVALID);
  assert.equal(patched.status, 422);
  assert.equal(patched.body.error.field, 'query');
  assert.equal((await list(lead)).length, before, 'a refused filter is not kept');
  assert.equal((await byName(lead))['等级A'].query, query, 'a refused change keeps the filter');

  // another shop has no such field: its lead may not save a filter on it
  const other = await otherLead.post('/api/v1/savedfilters', { name: '别家', view: 'shop', query: `field[${f}]=A` }, INVALID);
  assert.equal(other.status, 422);
  assert.equal(other.body.error.field, 'query');
});
