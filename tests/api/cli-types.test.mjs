// `gongdan types list|add|retire|restore|field-add` (docs/types.md, "From the command line"): a
// shop admin scripts the shop's own work order types and fields with the API's rules — any user
// of the shop lists them, owners and leads change them, a bad value is refused naming the field
// and writes nothing, another shop's type is out of reach — and the API sees what the command did.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { BIN, client, startServer } from './lib.mjs';

let srv, lead;
before(async () => {
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
});
after(async () => { await srv?.cleanup(); });

const types = (...args) => spawnSync(BIN, ['types', ...args, '--db', srv.db], { encoding: 'utf8' });
const done = (r) => { assert.equal(r.status, 0, r.stderr); return r.stdout; };
const apiTypes = async () => (await lead.get('/api/v1/workorder_types')).body.items.filter((t) => !t.builtin);

test('a lead adds a type and its fields; every user of the shop lists them as the API does', async () => {
  const key = done(types('add', '--user', 'tea_lead', '--name-zh', '返修', '--name-en', 'Repair', '--deadline-hours', '6',
    '--handler', 'tea_agent1', '--color', '#FA8C16')).trim();
  assert.match(key, /^x-1\d{3}$/);
  assert.equal(done(types('field-add', key, '--user', 'tea_lead', '--key', 'cli_grade', '--kind', 'choice', '--label-zh', '等级',
    '--label-en', 'Grade', '--required', '--options', 'A,B,C')), `${key} field cli_grade\n`);
  done(types('field-add', key, '--user', 'tea_owner', '--key', 'cli_note', '--kind', 'long_text', '--label-zh', '说明', '--label-en', 'Notes'));

  const t = (await apiTypes()).find((x) => x.key === key);
  assert.ok(t, 'the API lists the new type');
  assert.equal(t.name_zh, '返修');
  assert.equal(t.default_deadline_hours, 6);
  assert.equal(t.color, '#fa8c16');
  assert.deepEqual(t.fields.map((f) => [f.key, f.kind, f.required, f.options]),
    [['cli_grade', 'choice', true, ['A', 'B', 'C']], ['cli_note', 'long_text', false, []]]);

  const out = done(types('list', '--user', 'tea_agent1'));
  const lines = out.split('\n');
  const at = lines.indexOf(`${key}\tactive\t返修\tRepair\tdeadline=6h\thandler=tea_agent1\tcolor=#fa8c16`);
  assert.ok(at >= 0, out);
  assert.equal(lines[at + 1], '\tcli_grade\tchoice\t等级\tGrade\tactive\trequired\toptions=["A","B","C"]');
  assert.equal(lines[at + 2], '\tcli_note\tlong_text\t说明\tNotes\tactive\toptional');
  assert.equal(out.split('\n').filter((l) => l && !l.startsWith('\t')).length, (await apiTypes()).length, 'one line per type of the shop');
  assert.doesNotMatch(done(types('list', '--user', 'baby_lead')), /返修/, "another shop's user never sees it");
});

test('the API\'s rules: agents change nothing, bad values are refused naming the field, nothing is written', async () => {
  const before = (await apiTypes()).length;
  let r = types('add', '--user', 'tea_agent1', '--name-zh', '私建', '--name-en', 'Mine');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: only the shop's owners and leads/);
  r = types('add', '--user', 'tea_lead', '--name-zh', '颜色', '--name-en', 'Colour', '--color', 'orange');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: color: color must be #rrggbb/);
  r = types('add', '--user', 'tea_lead', '--name-zh', '无英文');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: name_en: name_en is required/);
  r = types('add', '--user', 'tea_lead', '--name-zh', '别店处理人', '--name-en', 'Other', '--handler', 'baby_lead');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: default_handler_id: /);
  r = types('add', '--name-zh', '无人', '--name-en', 'Nobody');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--user USERNAME \(the acting user\) is required/);
  assert.equal((await apiTypes()).length, before, 'no refused type was written');

  const key = done(types('add', '--user', 'tea_lead', '--name-zh', '抽检', '--name-en', 'Spot check')).trim();
  r = types('field-add', key, '--user', 'tea_lead', '--key', 'Bad-Key', '--kind', 'text', '--label-zh', '坏', '--label-en', 'Bad');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: key: /);
  r = types('field-add', key, '--user', 'tea_lead', '--key', 'spot', '--kind', 'colour', '--label-zh', '色', '--label-en', 'Colour');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--kind must be one of text, long_text, number/);
  r = types('field-add', key, '--user', 'tea_lead', '--key', 'spot', '--kind', 'choice', '--label-zh', '选', '--label-en', 'Pick');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: options: /, 'a choice needs its options');
  assert.deepEqual((await apiTypes()).find((x) => x.key === key).fields, []);
  r = types('retire', 'shipping', '--user', 'tea_lead');
  assert.equal(r.status, 2, 'a built-in type is not a key this command takes');
  assert.match(r.stderr, /usage: gongdan types retire KEY/);
});

test('retire and restore a type or one field; another shop\'s lead cannot reach it', async () => {
  const key = done(types('add', '--user', 'tea_lead', '--name-zh', '退换', '--name-en', 'Returns')).trim();
  done(types('field-add', key, '--user', 'tea_lead', '--key', 'cli_reason', '--kind', 'text', '--label-zh', '原因', '--label-en', 'Reason'));
  const wo = await lead.post('/api/v1/workorders', { type: key, title: '退换一件', fields: { cli_reason: '尺码不合' } });
  assert.equal(wo.status, 201, JSON.stringify(wo.body));

  assert.equal(done(types('retire', key, '--field', 'cli_reason', '--user', 'tea_lead')), `${key} field cli_reason retired\n`);
  assert.equal((await apiTypes()).find((x) => x.key === key).fields[0].retired, true);
  const refused = await lead.post('/api/v1/workorders', { type: key, title: '再退换', fields: { cli_reason: '颜色' } });
  assert.equal(refused.status, 422, 'a retired field takes no new value');
  done(types('restore', key, '--field', 'cli_reason', '--user', 'tea_lead'));

  let r = types('retire', key, '--user', 'baby_lead');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: /);
  assert.equal((await apiTypes()).find((x) => x.key === key).retired, false, "another shop's lead changed nothing");

  assert.equal(done(types('retire', key, '--user', 'tea_owner')), `${key} retired\n`);
  assert.match(done(types('list', '--user', 'tea_agent2')), new RegExp(`^${key}\tretired\t退换\tReturns\t`, 'm'));
  assert.equal((await lead.post('/api/v1/workorders', { type: key, title: '退役后', fields: {} })).status, 422);
  const kept = await lead.get(`/api/v1/workorders/${wo.body.id}`);
  assert.equal(kept.body.workorder.fields.cli_reason, '尺码不合', 'what was made with it stays');
  done(types('restore', key, '--user', 'tea_lead'));
  assert.equal((await apiTypes()).find((x) => x.key === key).retired, false);
});
