// Work order types and custom fields a shop defines (docs/types.md): an owner or lead adds a type
// (names in Chinese and English, default deadline and handler, colour) and its fields of every
// kind; work orders of the type carry the values, checked on the server (422 naming the field,
// nothing written); lists filter on a field through its index; a type or field is retired,
// never deleted, and what was made with it stays.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BACKEND, client, INVALID, sqlRows, startServer } from './lib.mjs';

let srv, owner, lead, agent1, agent2, otherLead, xiaoer;

before(async () => {
  srv = await startServer();
  [owner, lead, agent1, agent2, otherLead, xiaoer] = await Promise.all(
    ['tea_owner', 'tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1'].map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

const ok = (r, status = 200) => { assert.equal(r.status, status, JSON.stringify(r.body)); return r.body; };
const refused = (r, field, status = 422) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  return r.body.error;
};
const shopList = async (c, query = '') => ok(await c.get(`/api/v1/workorders?view=shop&limit=200${query}`)).items;

// A type with one field of every kind; returns its key.
async function qualityType(name = '质检') {
  const t = ok(await lead.post('/api/v1/workorder_types', {
    name_zh: name, name_en: 'Quality check', default_deadline_hours: 6,
    default_handler_id: agent1.user.id, color: '#FA8C16',
  }), 201);
  const add = async (field) => ok(await lead.post(`/api/v1/workorder_types/${t.key}/fields`, field), 201);
  const p = `${t.key.replace('-', '')}_`;
  await add({ key: `${p}batch`, kind: 'text', label_zh: '批次', label_en: 'Batch', required: true });
  await add({ key: `${p}note`, kind: 'long_text', label_zh: '说明', label_en: 'Notes' });
  await add({ key: `${p}weight`, kind: 'number', label_zh: '重量', label_en: 'Weight' });
  await add({ key: `${p}loss`, kind: 'money', label_zh: '损失', label_en: 'Loss' });
  await add({ key: `${p}day`, kind: 'date', label_zh: '日期', label_en: 'Day' });
  await add({ key: `${p}grade`, kind: 'choice', label_zh: '等级', label_en: 'Grade', options: ['A', 'B', 'C'], required: true });
  await add({ key: `${p}issues`, kind: 'multi_choice', label_zh: '问题', label_en: 'Issues', options: ['破损', '受潮', '错发'] });
  await add({ key: `${p}urgent`, kind: 'bool', label_zh: '加急', label_en: 'Urgent' });
  await add({ key: `${p}checker`, kind: 'user', label_zh: '质检员', label_en: 'Checker' });
  return { key: t.key, p };
}

test('an owner or lead defines a type; every user of the shop reads it, no one else', async () => {
  const t = ok(await owner.post('/api/v1/workorder_types', { name_zh: '返厂维修', name_en: 'Factory repair', default_deadline_hours: 48 }), 201);
  assert.match(t.key, /^x-1[0-9]{3}$/);
  assert.equal(t.builtin, false);
  assert.equal(t.color, '#1677ff', 'a type made without a colour gets the default');
  assert.equal(t.default_deadline_hours, 48);
  assert.equal(t.default_handler_id, null);
  assert.deepEqual(t.fields, []);

  const seen = ok(await agent2.get('/api/v1/workorder_types')).items;
  assert.equal(seen[0].key, 'order_review', 'the built-in types come first, with their names');
  assert.equal(seen[0].name_zh, '审单');
  assert.equal(seen.find((x) => x.key === 'shipping').name_en, 'Shipping');
  assert.ok(seen.some((x) => x.key === t.key && x.name_zh === '返厂维修'));
  assert.ok(!ok(await otherLead.get('/api/v1/workorder_types')).items.some((x) => x.name_zh === '返厂维修'),
    "another shop never sees the type");
  assert.equal((await xiaoer.get('/api/v1/workorder_types')).status, 403);

  // agents define nothing; another shop's lead cannot reach the type
  assert.equal((await agent1.post('/api/v1/workorder_types', { name_zh: '私建', name_en: 'Mine' })).status, 403);
  assert.equal((await agent1.patch(`/api/v1/workorder_types/${t.key}`, { retired: true })).status, 403);
  assert.equal((await otherLead.patch(`/api/v1/workorder_types/${t.key}`, { name_zh: '偷改' })).status, 404);
  assert.equal((await lead.patch('/api/v1/workorder_types/shipping', { name_zh: '改内置' }, INVALID)).status, 404,
    'built-in types stay as they are');

  // every value is checked before anything is written
  refused(await lead.post('/api/v1/workorder_types', { name_zh: '颜色', name_en: 'Colour', color: 'orange' }, INVALID), 'color');
  refused(await lead.post('/api/v1/workorder_types', { name_zh: '长'.repeat(31), name_en: 'Long' }, INVALID), 'name_zh');
  refused(await lead.post('/api/v1/workorder_types', { name_zh: '无英文' }, INVALID), 'name_en');
  refused(await lead.post('/api/v1/workorder_types', { name_zh: '别店', name_en: 'Other', default_handler_id: otherLead.user.id }), 'default_handler_id');
  refused(await lead.post('/api/v1/workorder_types', { name_zh: '期限', name_en: 'Due', default_deadline_hours: 9000 }, INVALID), 'default_deadline_hours');
  const after = ok(await lead.get('/api/v1/workorder_types')).items.filter((x) => !x.builtin);
  assert.deepEqual(after.map((x) => x.name_zh), ['返厂维修'], 'no refused type was stored');

  const changed = ok(await lead.patch(`/api/v1/workorder_types/${t.key}`, { name_en: 'Repair at factory', color: '#52C41A', default_handler_id: agent2.user.id }));
  assert.equal(changed.name_en, 'Repair at factory');
  assert.equal(changed.name_zh, '返厂维修');
  assert.equal(changed.color, '#52c41a');
  assert.equal(changed.default_handler_id, agent2.user.id);
});

test('fields of every kind; a key is unique in the shop; choice fields need options', async () => {
  const { key, p } = await qualityType('质检一');
  const fields = ok(await agent1.get('/api/v1/workorder_types')).items.find((x) => x.key === key).fields;
  assert.deepEqual(fields.map((f) => f.kind),
    ['text', 'long_text', 'number', 'money', 'date', 'choice', 'multi_choice', 'bool', 'user'], 'in order of display');
  assert.deepEqual(fields.map((f) => f.position), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(fields[5].options, ['A', 'B', 'C']);

  refused(await lead.post(`/api/v1/workorder_types/${key}/fields`, { key: `${p}batch`, kind: 'text', label_zh: '再来', label_en: 'Again' }), 'key', 409);
  refused(await lead.post(`/api/v1/workorder_types/${key}/fields`, { key: `${p}c`, kind: 'choice', label_zh: '选', label_en: 'Pick' }), 'options');
  refused(await lead.post(`/api/v1/workorder_types/${key}/fields`, { key: `${p}t`, kind: 'text', label_zh: '文', label_en: 'T', options: ['x'] }), 'options');
  refused(await lead.post(`/api/v1/workorder_types/${key}/fields`, { key: 'Bad-Key', kind: 'text', label_zh: '文', label_en: 'T' }, INVALID), 'key');
  refused(await lead.post(`/api/v1/workorder_types/${key}/fields`, { key: `${p}k`, kind: 'colour', label_zh: '文', label_en: 'T' }, INVALID), 'kind');
  assert.equal((await lead.post('/api/v1/workorder_types/after_sales/fields', { key: 'x1', kind: 'text', label_zh: '文', label_en: 'T' }, INVALID)).status, 404,
    'built-in types take no fields');
  assert.equal((await agent1.post(`/api/v1/workorder_types/${key}/fields`, { key: `${p}a`, kind: 'text', label_zh: '文', label_en: 'T' })).status, 403);

  // labels, options and order change; the kind and the key do not
  const moved = ok(await lead.patch(`/api/v1/workorder_types/${key}/fields/${p}grade`, { position: 0, options: ['A', 'B', 'C', 'D'], label_en: 'Quality grade' }));
  assert.deepEqual(moved.options, ['A', 'B', 'C', 'D']);
  assert.equal(moved.label_en, 'Quality grade');
  refused(await lead.patch(`/api/v1/workorder_types/${key}/fields/${p}grade`, { kind: 'text' }, INVALID), 'kind');
  const order = ok(await lead.get('/api/v1/workorder_types')).items.find((x) => x.key === key).fields.map((f) => f.key);
  assert.equal(order[0], `${p}batch`);
  assert.equal(order[1], `${p}grade`, 'position 0 sorts with the first, then by when it was made');
});

test('a work order of a shop type: defaults, values of every kind, detail and list', async () => {
  const { key, p } = await qualityType('质检二');
  const before = Date.now();
  const wo = ok(await agent2.post('/api/v1/workorders', {
    type: key, title: '一批茶叶受潮',
    fields: {
      [`${p}batch`]: 'B-0412', [`${p}note`]: '仓库漏水', [`${p}weight`]: 12.5, [`${p}loss`]: 38000,
      [`${p}day`]: '2026-11-30', [`${p}grade`]: 'C', [`${p}issues`]: ['受潮', '破损'],
      [`${p}urgent`]: true, [`${p}checker`]: agent2.user.id,
    },
  }), 201);
  assert.equal(wo.type, key);
  assert.equal(wo.handler.id, agent1.user.id, "the type's default handler");
  const due = Date.parse(wo.deadline) - before;
  assert.ok(due > 5.9 * 3600e3 && due < 6.1 * 3600e3, `the type's 6 hour deadline, not ${due} ms`);
  assert.deepEqual(wo.fields, {
    [`${p}batch`]: 'B-0412', [`${p}note`]: '仓库漏水', [`${p}weight`]: 12.5, [`${p}loss`]: 38000,
    [`${p}day`]: '2026-11-30', [`${p}grade`]: 'C', [`${p}issues`]: ['受潮', '破损'],
    [`${p}urgent`]: true, [`${p}checker`]: agent2.user.id,
  });
  const detail = ok(await agent1.get(`/api/v1/workorders/${wo.id}`));
  assert.deepEqual(detail.workorder.fields, wo.fields);
  const listed = (await shopList(lead, `&type=${key}`));
  assert.deepEqual(listed.map((w) => w.id), [wo.id]);
  assert.deepEqual(listed[0].fields, wo.fields);

  // a handler given overrides the default; built-in work orders are as they were
  const mine = ok(await agent2.post('/api/v1/workorders', { type: key, title: '自己处理', handler_id: agent2.user.id, fields: { [`${p}batch`]: 'B-1', [`${p}grade`]: 'A' } }), 201);
  assert.equal(mine.handler.id, agent2.user.id);
  const plain = ok(await agent2.post('/api/v1/workorders', { type: 'task_memo', title: '内置类型' }), 201);
  assert.deepEqual(plain.fields, {});
  refused(await agent2.post('/api/v1/workorders', { type: 'task_memo', title: '内置带字段', fields: { [`${p}batch`]: 'x' } }), 'fields');
  refused(await agent2.post('/api/v1/workorders', { type: 'x-1999', title: '不存在' }), 'type');
  refused(await otherLead.post('/api/v1/workorders', { type: key, title: '别店类型', fields: { [`${p}batch`]: 'x', [`${p}grade`]: 'A' } }), 'type');
});

test('bad values are 422 naming the field, and nothing is written', async () => {
  const { key, p } = await qualityType('质检三');
  const good = { [`${p}batch`]: 'B-9', [`${p}grade`]: 'A' };
  const cases = [
    [{ ...good, [`${p}weight`]: '十二' }, `fields.${p}weight`],
    [{ ...good, [`${p}loss`]: 12.5 }, `fields.${p}loss`],
    [{ ...good, [`${p}loss`]: -1 }, `fields.${p}loss`],
    [{ ...good, [`${p}day`]: '2026-02-30' }, `fields.${p}day`],
    [{ ...good, [`${p}grade`]: 'E' }, `fields.${p}grade`],
    [{ ...good, [`${p}issues`]: ['受潮', '丢件'] }, `fields.${p}issues`],
    [{ ...good, [`${p}issues`]: ['受潮', '受潮'] }, `fields.${p}issues`],
    [{ ...good, [`${p}urgent`]: 'yes' }, `fields.${p}urgent`],
    [{ ...good, [`${p}checker`]: otherLead.user.id }, `fields.${p}checker`],
    [{ ...good, [`${p}batch`]: 'x'.repeat(201) }, `fields.${p}batch`],
    [{ [`${p}grade`]: 'A' }, `fields.${p}batch`],
    [{ [`${p}batch`]: 'B-9' }, `fields.${p}grade`],
    [{ ...good, [`${p}batch`]: '   ' }, `fields.${p}batch`],
    [{ ...good, nope: 1 }, 'fields.nope'],
  ];
  const count = (await shopList(lead, `&type=${key}`)).length;
  for (const [fields, field] of cases) {
    const e = refused(await agent1.post('/api/v1/workorders', { type: key, title: '坏值', fields }, INVALID), field);
    assert.match(e.message, new RegExp(field.replace('.', '\\.')), 'the message names the field');
  }
  assert.equal((await shopList(lead, `&type=${key}`)).length, count, 'no refused work order was written');
  ok(await agent1.post('/api/v1/workorders', { type: key, title: '好值', fields: good }), 201);
  assert.equal((await shopList(lead, `&type=${key}`)).length, count + 1);
});

test('a list filters on a field through its index', async () => {
  const { key, p } = await qualityType('质检四');
  const make = async (grade, issues, weight) => ok(await agent1.post('/api/v1/workorders', {
    type: key, title: `等级${grade}`, fields: { [`${p}batch`]: `B-${grade}`, [`${p}grade`]: grade, [`${p}issues`]: issues, [`${p}weight`]: weight },
  }), 201).id;
  const a = await make('A', ['受潮'], 3);
  const b = await make('B', ['受潮', '破损'], 3.5);
  const c = await make('A', ['错发'], 3.0);
  const ids = async (q) => (await shopList(lead, q)).map((w) => w.id).sort();
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [a, c].sort());
  assert.deepEqual(await ids(`&field[${p}issues]=${encodeURIComponent('受潮')}`), [a, b].sort(), 'a multiple choice lists the option');
  assert.deepEqual(await ids(`&field[${p}issues]=${encodeURIComponent('受潮')}&field[${p}grade]=A`), [a]);
  assert.deepEqual(await ids(`&field[${p}weight]=3`), [a, c].sort(), '3 and 3.0 are one number');
  assert.deepEqual(await ids(`&field[${p}grade]=D`), []);
  // an agent's view filters within what is theirs
  assert.deepEqual((await (ok(await agent2.get(`/api/v1/workorders?view=created&field[${p}grade]=A`))).items), []);
  refused(await lead.get(`/api/v1/workorders?view=shop&field[nope]=1`), 'field[nope]');
  refused(await lead.get(`/api/v1/workorders?view=shop&field[${p}weight]=heavy`), `field[${p}weight]`);
  refused(await lead.get(`/api/v1/workorders?view=shop&field[${p}note]=x`), `field[${p}note]`);

  // the filter is a join on an index of wo_field_values on either backend, never a scan of it;
  // the list's default order (by deadline) and its id order are read from the value's range in
  // order (store/list_order.h), with no sort of the matches
  const join = `FROM workorders w JOIN wo_field_values v0 ON v0.workorder_id = w.id AND v0.shop_id = 1 AND v0.field_id = 2 AND v0.value = 'A' WHERE w.shop_id = 1`;
  const plans = [
    [`SELECT w.id ${join} ORDER BY v0.due_key ASC, v0.workorder_id ASC LIMIT 50`, 'wo_field_values_due'],
    [`SELECT w.id ${join} ORDER BY v0.due_key DESC, v0.workorder_id DESC LIMIT 50`, 'wo_field_values_due'],
    [`SELECT w.id ${join} ORDER BY v0.workorder_id DESC LIMIT 50`, 'wo_field_values_pkey'],
  ];
  for (const [list, index] of plans) {
    if (BACKEND === 'sqlite') {
      const plan = sqlRows(srv.db, `EXPLAIN QUERY PLAN ${list}`).map((r) => r[3]).join('\n');
      const used = index === 'wo_field_values_pkey' ? 'PRIMARY KEY' : `COVERING INDEX ${index}`;
      assert.match(plan, new RegExp(`SEARCH v0 USING ${used} \\(shop_id=\\? AND field_id=\\? AND value=\\?\\)`), `${list}\n${plan}`);
      assert.doesNotMatch(plan, /SCAN v0|TEMP B-TREE/, `${list}\n${plan}`);
    } else {
      const plan = execFileSync('psql', [srv.db, '-Atc', `SET enable_seqscan = off; SET enable_sort = off; EXPLAIN ${list}`], { encoding: 'utf8' });
      assert.match(plan, new RegExp(`Index (Only )?Scan (Backward )?using ${index} on wo_field_values v0`), `${list}\n${plan}`);
      assert.doesNotMatch(plan, /Sort/, `${list}\n${plan}`);
    }
  }
});

test('a filtered list keeps every order and its pages, and follows a deadline or state change', async () => {
  const { key, p } = await qualityType('质检八');
  const hour = 3600e3;
  const make = async (title, hours, grade) => ok(await agent1.post('/api/v1/workorders', {
    type: key, title, deadline: new Date(Date.now() + hours * hour).toISOString(), fields: { [`${p}batch`]: 'B-8', [`${p}grade`]: grade },
  }), 201).id;
  const late = await make('最晚', 30, 'A');
  const early = await make('最早', 10, 'A');
  const other = await make('等级B', 5, 'B');
  const middle = await make('居中', 20, 'A');
  const graded = new Set([late, early, middle]);
  const ids = async (q) => (await shopList(lead, q)).map((w) => w.id);
  // the filtered list is the type's list in the same order with the other grade left out
  const same = async (label) => {
    for (const sort of ['', '&sort=deadline', '&sort=-deadline', '&sort=created', '&sort=-created']) {
      const want = (await ids(`&type=${key}${sort}`)).filter((id) => graded.has(id));
      assert.deepEqual(await ids(`&field[${p}grade]=A${sort}`), want, `${label}, sort ${sort || 'default'}`);
    }
  };
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [early, middle, late], 'by deadline, the default');
  assert.deepEqual(await ids(`&field[${p}grade]=A&sort=-created`), [middle, early, late], 'newest first');
  assert.ok(!(await ids(`&field[${p}grade]=A`)).includes(other));
  await same('as made');

  // pages of one, each after the cursor of the one before
  const paged = [];
  let cursor = '';
  for (let i = 0; i < 5 && cursor !== null; i++) {
    const page = ok(await lead.get(`/api/v1/workorders?view=shop&limit=1&field[${p}grade]=A${cursor ? `&cursor=${cursor}` : ''}`));
    paged.push(...page.items.map((w) => w.id));
    cursor = page.next_cursor;
  }
  assert.deepEqual(paged, [early, middle, late], 'the pages walk the list once, in order');

  // a finished work order sorts last; a moved deadline moves it in the filtered list too
  ok(await agent1.post(`/api/v1/workorders/${early}/complete`, { text: '已处理' }));
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [middle, late, early], 'finished last');
  ok(await lead.patch(`/api/v1/workorders/${late}`, { deadline: new Date(Date.now() + 1 * hour).toISOString() }));
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [late, middle, early], 'its new deadline first');
  ok(await lead.patch(`/api/v1/workorders/${middle}`, { deadline: null }));
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [late, middle, early], 'no deadline after every deadline, before the finished');
  // an edit of its values keeps its place by deadline
  ok(await agent1.patch(`/api/v1/workorders/${other}`, { fields: { [`${p}grade`]: 'A' } }));
  graded.add(other);
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [late, other, middle, early], 'a value given by an edit sorts by its deadline');
  await same('after the changes');
  // the other views keep their own order (their index is narrower than a value's range)
  const todo = async (q) => ok(await agent1.get(`/api/v1/workorders?view=todo&limit=200${q}`)).items.map((w) => w.id);
  assert.deepEqual(await todo(`&field[${p}grade]=A`), (await todo(`&type=${key}`)).filter((id) => graded.has(id)), 'todo, by deadline');
  assert.deepEqual(await todo(`&field[${p}grade]=A&sort=-created`), (await todo(`&type=${key}&sort=-created`)).filter((id) => graded.has(id)), 'todo, newest first');
});

test('an edit changes, clears and re-indexes values; a required one is never cleared', async () => {
  const { key, p } = await qualityType('质检五');
  const wo = ok(await agent1.post('/api/v1/workorders', { type: key, title: '改值', fields: { [`${p}batch`]: 'B-1', [`${p}grade`]: 'A', [`${p}urgent`]: false } }), 201);
  const changed = ok(await agent1.patch(`/api/v1/workorders/${wo.id}`, { fields: { [`${p}grade`]: 'B', [`${p}urgent`]: null, [`${p}loss`]: 500 } }));
  assert.deepEqual(changed.fields, { [`${p}batch`]: 'B-1', [`${p}grade`]: 'B', [`${p}loss`]: 500 });
  const detail = ok(await agent1.get(`/api/v1/workorders/${wo.id}`));
  const edited = detail.events.find((e) => e.kind === 'edited');
  assert.ok(edited, JSON.stringify(detail.events.map((e) => e.kind)));
  assert.deepEqual(edited.data.fields_changed.split(',').sort(), [`${p}grade`, `${p}loss`, `${p}urgent`].sort());
  const ids = async (q) => (await shopList(lead, q)).map((w) => w.id);
  assert.deepEqual(await ids(`&field[${p}grade]=B`), [wo.id]);
  assert.deepEqual(await ids(`&field[${p}grade]=A`), [], 'the old value is no longer found');

  const version = changed.version;
  refused(await agent1.patch(`/api/v1/workorders/${wo.id}`, { fields: { [`${p}batch`]: null } }), `fields.${p}batch`);
  refused(await agent1.patch(`/api/v1/workorders/${wo.id}`, { title: '也改标题', fields: { [`${p}grade`]: 'Z' } }), `fields.${p}grade`);
  const still = ok(await agent1.get(`/api/v1/workorders/${wo.id}`)).workorder;
  assert.equal(still.version, version, 'a refused edit writes nothing');
  assert.equal(still.title, '改值');
});

test('a retired type or field takes nothing new; what was made with it stays', async () => {
  const { key, p } = await qualityType('质检六');
  const old = ok(await agent1.post('/api/v1/workorders', { type: key, title: '退役前', fields: { [`${p}batch`]: 'B-1', [`${p}grade`]: 'A', [`${p}urgent`]: true } }), 201);

  // a retired field is hidden from new work orders but keeps its values and its filter
  ok(await lead.patch(`/api/v1/workorder_types/${key}/fields/${p}urgent`, { retired: true }));
  refused(await agent1.post('/api/v1/workorders', { type: key, title: '用退役字段', fields: { [`${p}batch`]: 'B-2', [`${p}grade`]: 'A', [`${p}urgent`]: true } }), `fields.${p}urgent`);
  assert.deepEqual(ok(await agent1.get(`/api/v1/workorders/${old.id}`)).workorder.fields[`${p}urgent`], true);
  assert.deepEqual((await shopList(lead, `&field[${p}urgent]=true`)).map((w) => w.id), [old.id]);
  // a retired required field is no longer required
  ok(await lead.patch(`/api/v1/workorder_types/${key}/fields/${p}grade`, { retired: true }));
  ok(await agent1.post('/api/v1/workorders', { type: key, title: '等级已退役', fields: { [`${p}batch`]: 'B-3' } }), 201);

  const count = (await shopList(lead, `&type=${key}`)).length;
  const retired = ok(await lead.patch(`/api/v1/workorder_types/${key}`, { retired: true }));
  assert.equal(retired.retired, true);
  const e = refused(await agent1.post('/api/v1/workorders', { type: key, title: '退役后', fields: { [`${p}batch`]: 'B-4' } }), 'type');
  assert.match(e.message, /retired/);
  assert.equal((await shopList(lead, `&type=${key}`)).length, count, 'nothing was written');
  const kept = ok(await agent1.get(`/api/v1/workorders/${old.id}`)).workorder;
  assert.equal(kept.type, key, 'its work orders keep the type');
  ok(await agent1.post(`/api/v1/workorders/${old.id}/complete`, { text: '处理完' }));
  const types = ok(await agent1.get('/api/v1/workorder_types')).items;
  assert.equal(types.find((x) => x.key === key).retired, true, 'the type is listed, marked retired');

  // a type retired while creates run: every create either made its work order before the
  // retirement (201) or was refused naming the type (422), never anything in between
  ok(await lead.patch(`/api/v1/workorder_types/${key}`, { retired: false }));
  const creates = Array.from({ length: 8 }, (_, i) => agent1.post('/api/v1/workorders', { type: key, title: `竞态${i}`, fields: { [`${p}batch`]: `R-${i}` } }));
  const retire = lead.patch(`/api/v1/workorder_types/${key}`, { retired: true });
  const answers = await Promise.all(creates);
  ok(await retire);
  for (const r of answers) {
    if (r.status !== 201) refused(r, 'type');
  }
  const made = answers.filter((r) => r.status === 201).length;
  const listed = (await shopList(lead, `&type=${key}`)).filter((w) => w.title.startsWith('竞态')).length;
  assert.equal(listed, made, 'exactly the answered creates were written');
  refused(await agent1.post('/api/v1/workorders', { type: key, title: '之后', fields: { [`${p}batch`]: 'R-9' } }), 'type');
});

// Reads an export file back as rows of text (CSV with Python's csv, XLSX with openpyxl).
const READ = `
import csv, json, sys, openpyxl
if sys.argv[1].endswith('.csv'):
    with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
        print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
else:
    ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
    print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False, default=str))
`;
async function exported(c, body, ext) {
  let job = ok(await c.post('/api/v1/exports', body), 202);
  for (let i = 0; i < 200 && !['done', 'failed'].includes(job.state); i++) {
    await new Promise((res) => setTimeout(res, 100));
    job = ok(await c.get(`/api/v1/exports/${job.id}`));
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  const r = await fetch(`${srv.base}/api/v1/exports/${job.id}/file`, { headers: c.headers });
  assert.equal(r.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'gd-types-'));
  writeFileSync(join(dir, 'read.py'), READ);
  try {
    writeFileSync(join(dir, `x.${ext}`), Buffer.from(await r.arrayBuffer()));
    return JSON.parse(execFileSync('/usr/bin/python3', [join(dir, 'read.py'), join(dir, `x.${ext}`)], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("an export has a column per field of the types exported; statistics by type name the shop's types", async () => {
  const { key, p } = await qualityType('质检七');
  ok(await agent1.post('/api/v1/workorders', {
    type: key, title: '导出质检',
    fields: { [`${p}batch`]: 'B-7', [`${p}grade`]: 'B', [`${p}issues`]: ['受潮', '错发'], [`${p}loss`]: 12345,
      [`${p}urgent`]: true, [`${p}weight`]: 2.5, [`${p}checker`]: agent2.user.id, [`${p}day`]: '2026-12-01' },
  }), 201);
  ok(await agent1.post('/api/v1/workorders', { type: key, title: '导出空值', fields: { [`${p}batch`]: 'B-8', [`${p}grade`]: 'A' } }), 201);

  const rows = await exported(lead, { format: 'csv', view: 'shop', type: key }, 'csv');
  const head = rows[0];
  const col = (label) => { const i = head.indexOf(label); assert.ok(i >= 0, `${label} in ${head}`); return i; };
  for (const label of ['批次', '说明', '重量', '损失', '日期', '等级', '问题', '加急', '质检员']) col(label);
  assert.equal(head.length, 18 + 9, 'one column per field of the type, after the fixed ones');
  const full = rows.find((r) => r.includes('导出质检'));
  assert.equal(full[col('类型')], '质检七', "the type column holds the shop's name for it");
  assert.equal(full[col('批次')], 'B-7');
  assert.equal(full[col('等级')], 'B');
  assert.equal(full[col('问题')], '受潮; 错发');
  assert.equal(full[col('损失')], '123.45', 'money in yuan, as the paid amount');
  assert.equal(full[col('加急')], '是');
  assert.equal(full[col('重量')], '2.5');
  assert.equal(full[col('质检员')], agent2.user.display_name, 'a user field by name');
  assert.equal(full[col('日期')], '2026-12-01');
  const empty = rows.find((r) => r.includes('导出空值'));
  assert.equal(empty[col('损失')], '');
  assert.equal(empty[col('加急')], '');

  // in English, the labels are the English ones; a built-in type's export has no field columns
  const xlsx = await exported(lead, { format: 'xlsx', view: 'shop', type: key, headers: 'en' }, 'xlsx');
  assert.ok(xlsx[0].includes('Batch') && xlsx[0].includes('Checker'), JSON.stringify(xlsx[0]));
  assert.equal(xlsx.find((r) => r.includes('导出质检'))[xlsx[0].indexOf('Type')], 'Quality check');
  const builtin = await exported(lead, { format: 'csv', view: 'shop', type: 'after_sales' }, 'csv');
  assert.equal(builtin[0].length, 18);

  // statistics by type: the shop's type is its own group, under its name
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const stats = ok(await lead.get(`/api/v1/stats?from=${day}&to=${day}&group=type`));
  const g = stats.groups.find((x) => x.key === key);
  assert.ok(g, JSON.stringify(stats.groups.map((x) => x.key)));
  assert.equal(g.label, '质检七');
  assert.equal(g.created, 2);
  const only = ok(await lead.get(`/api/v1/stats?from=${day}&to=${day}&group=handler&type=${key}`));
  assert.equal(only.totals.created, 2);
});
