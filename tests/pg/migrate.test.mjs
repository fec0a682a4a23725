// gongdan migrate (docs/migrate.md): a demo installation on SQLite, with attachments, a pending
// timer, a webhook outbox and an export job added, copied into a fresh PostgreSQL database and
// served from there: people sign in with their old passwords and see the same work orders and
// timelines, the attachment and the export file have the same bytes (carried into PostgreSQL:
// the target serves them with an empty data directory), the timer fires at the same instant. And the
// refusals: a non-empty target, a database with a table the copy does not know, a tampered
// copy found by --verify-only, a malformed URL. Needs the throwaway cluster of ctest's fixture
// "pg" (GONGDAN_TEST_PG_DIR).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, client, until } from '../api/lib.mjs';

const CLUSTER = process.env.GONGDAN_TEST_PG_DIR;
const PG_CLUSTER = new URL('../../scripts/pg-test-cluster', import.meta.url).pathname;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
let databases = 0;
const createdb = () => execFileSync(PG_CLUSTER, ['createdb', CLUSTER, `migrate_${process.pid}_${++databases}`], { encoding: 'utf8' }).trim();
const migrate = (...args) => spawnSync(BIN, ['migrate', ...args], { encoding: 'utf8' });
const psql = (url, sql) => execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' }).trim();
const servers = [];
after(async () => { for (const s of servers.reverse()) await s.cleanup(); });

const source = await startServer();
servers.push(source);
const [leadName] = Object.keys(source.logins).filter((u) => source.logins[u].role === 'shop_lead');
const [agentName] = Object.keys(source.logins).filter((u) => source.logins[u].role === 'shop_agent' && source.logins[u].shop === source.logins[leadName].shop);
const lead = await client(source, leadName);
const agent = await client(source, agentName);

// what the demo lacks: a webhook endpoint (then an outbox), a timer far ahead, a note, an
// attachment, an export job, an idempotency record
execFileSync(BIN, ['webhook', 'add', 'http://127.0.0.1:9/hook', '--user', leadName, '--db', source.db], { stdio: 'pipe' });
const deadline = Date.parse('2031-03-04T05:06:07.089Z');
const created = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '迁移测试 退款', content: '买家申请退款', handler_id: agent.user.id, deadline: new Date(deadline).toISOString() }, { 'idempotency-key': 'migrate-test-1' });
assert.equal(created.status, 201, JSON.stringify(created.body));
const wo = created.body;
assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/notes`, { text: '已联系买家，等待照片' })).status, 200);
const fd = new FormData();
fd.append('file', new Blob([PNG], { type: 'image/png' }), '凭证.png');
const upload = await lead.post('/api/v1/attachments', fd);
assert.equal(upload.status, 201, JSON.stringify(upload.body));
const job = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' });
assert.equal(job.status, 202, JSON.stringify(job.body));
assert.ok(await until(async () => (await lead.get(`/api/v1/exports/${job.body.id}`)).body.state === 'done', 20000), 'the export finished');
const exportBytes = Buffer.from(await (await fetch(`${source.base}/api/v1/exports/${job.body.id}/file`, { headers: lead.headers })).arrayBuffer());
assert.ok(exportBytes.length > 100);
// a type of the shop with a field, and a work order holding a value (docs/types.md)
const shopType = (await lead.post('/api/v1/workorder_types', { name_zh: '质检', name_en: 'Quality check', default_deadline_hours: 6 })).body;
assert.equal((await lead.post(`/api/v1/workorder_types/${shopType.key}/fields`, { key: 'grade', kind: 'choice', label_zh: '等级', label_en: 'Grade', options: ['A', 'B'] })).status, 201);
const graded = await lead.post('/api/v1/workorders', { type: shopType.key, title: '迁移质检', fields: { grade: 'B' } });
assert.equal(graded.status, 201, JSON.stringify(graded.body));
const hookState = () => execFileSync(BIN, ['webhook', 'list', '--user', leadName, '--db', source.db], { encoding: 'utf8' }).replace(/ (failures|last|status|next)=\S*| error=.*/g, '');
const before = {
  list: (await lead.get('/api/v1/workorders?view=shop&limit=100')).body,
  detail: (await lead.get(`/api/v1/workorders/${wo.id}`)).body,
  hooks: hookState(),
  types: (await lead.get('/api/v1/workorder_types')).body,
};
assert.ok(before.list.items.length > 10);
assert.ok(before.detail.events.length >= 2);
await source.stop();

test('a demo installation moves to PostgreSQL and is served from there as it was', async () => {
  const url = createdb();
  const r = migrate('--from', source.db, '--to', url, '--data-dir', source.dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /copied \d+ rows of \d+ tables/);
  assert.match(r.stdout, /every table's row count and checksum match/);
  assert.match(r.stdout, /attachments: 1 contents in the target's storage, each hashing to its SHA-256; export files: 1 /);
  assert.match(r.stdout, /pending timers: [1-9]\d* in both/);
  assert.match(r.stderr, /^copy workorders: \d+ rows$/m, 'quiet lines when not on a terminal');
  assert.doesNotMatch(r.stderr, /\r/);

  // the copy loads without the secondary indexes and builds them again at the end: the target
  // has exactly the indexes of a database its migrations made
  const indexes = (db) => psql(db, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname").split('\n');
  const fresh = createdb();
  execFileSync(BIN, ['init', '--db', fresh, '--admin-password', 'Fresh-admin-pass-1'], { stdio: 'pipe' });
  const made = indexes(fresh);
  assert.ok(made.length > 30 && made.some((d) => /USING gin \(grams\)/.test(d)), made.join('\n'));
  assert.deepEqual(indexes(url), made);

  // another data directory, empty: the bytes are in PostgreSQL now
  const target = await startServer({ db: url, dir: mkdtempSync(join(tmpdir(), 'gd-migrated-')), testClock: true });
  servers.push(target);
  target.logins = source.logins;
  // the old password signs in (sessions were not copied: people sign in again)
  const lead2 = await client(target, leadName, { cookie: true });
  assert.equal(lead2.user.id, lead.user.id);
  assert.equal((await fetch(target.base + '/api/v1/me', { headers: lead.headers })).status, 401, 'API tokens were not copied');
  assert.deepEqual((await lead2.get('/api/v1/workorders?view=shop&limit=100')).body, before.list);
  assert.deepEqual((await lead2.get(`/api/v1/workorders/${wo.id}`)).body, before.detail);
  assert.deepEqual((await lead2.get('/api/v1/workorder_types')).body, before.types);
  const byField = await lead2.get('/api/v1/workorders?view=shop&field[grade]=B');
  assert.deepEqual(byField.body.items.map((w) => w.id), [graded.body.id], 'field values and their index came along');
  assert.equal(execFileSync(BIN, ['webhook', 'list', '--user', leadName, '--db', url], { encoding: 'utf8' }).replace(/ (failures|last|status|next)=\S*| error=.*/g, ''), before.hooks, 'endpoint, cursor and pending events');
  const file = await fetch(`${target.base}/api/v1/attachments/${upload.body.id}`, { headers: lead2.headers });
  assert.equal(file.status, 200);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
  const exp = await lead2.get(`/api/v1/exports/${job.body.id}`);
  assert.equal(exp.status, 200);
  assert.equal(exp.body.state, 'done');
  const expFile = await fetch(`${target.base}/api/v1/exports/${job.body.id}/file`, { headers: lead2.headers });
  assert.equal(expFile.status, 200);
  assert.deepEqual(Buffer.from(await expFile.arrayBuffer()), exportBytes);
  assert.deepEqual(readdirSync(target.dir).filter((f) => f === 'attachments' || f === 'exports'), [], 'nothing read from files');
  const sha = psql(url, `SELECT sha256 FROM attachments WHERE id = ${upload.body.id}`);
  assert.equal(psql(url, `SELECT size FROM blobs WHERE folder = 'attachments' AND key = '${sha}'`), String(PNG.length));
  const replay = await lead2.post('/api/v1/workorders', { type: 'after_sales', title: '迁移测试 退款', content: '买家申请退款', handler_id: agent.user.id, deadline: new Date(deadline).toISOString() }, { 'idempotency-key': 'migrate-test-1' });
  assert.equal(replay.body.id, wo.id, 'the idempotency record came along');

  // new writes continue the copied numbering: a note (a search piece), a work order (its number)
  assert.equal((await lead2.post(`/api/v1/workorders/${wo.id}/notes`, { text: '迁移之后的备注' })).status, 200);
  const found = await lead2.get(`/api/v1/workorders?view=shop&q=${encodeURIComponent('迁移之后')}`);
  assert.deepEqual(found.body.items.map((w) => w.id), [wo.id]);
  const next = await lead2.post('/api/v1/workorders', { type: 'after_sales', title: '新工单' });
  assert.equal(next.status, 201);
  assert.ok(Number(next.body.number.replace(/\D/g, '')) > Math.max(...before.list.items.map((w) => Number(w.number.replace(/\D/g, '')))));

  // the timer is due at the same instant: not half a minute before (the test clock keeps
  // running once set), at it (read with an API token: years ahead, the session has expired)
  const lead3 = await client(target, leadName);
  const clock = (now) => fetch(target.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ now: new Date(now).toISOString() }) });
  assert.equal((await clock(deadline - 30000)).status, 200);
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal((await lead3.get(`/api/v1/workorders/${wo.id}`)).body.workorder.overdue, false);
  assert.equal((await clock(deadline)).status, 200);
  assert.ok(await until(async () => (await lead3.get(`/api/v1/workorders/${wo.id}`)).body.workorder.overdue === true, 20000), 'the timer fired');
  const fired = (await lead3.get(`/api/v1/workorders/${wo.id}`)).body.events.find((e) => e.kind === 'overdue');
  assert.ok(Date.parse(fired.at) >= deadline && Date.parse(fired.at) < deadline + 30000, fired.at);

  // a copy that was changed afterwards: --verify-only names the table
  const again = migrate('--from', source.db, '--to', url, '--verify-only');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /verify failed: table (workorders|events|search|deadlines|stats_\w+|counters) differs/);
});

test('refusals: a non-empty target, a table the copy does not know, a tampered copy, bad URLs', async () => {
  const url = createdb();
  assert.equal(migrate('--from', source.db, '--to', url).status, 0);
  const twice = migrate('--from', source.db, '--to', url);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /error: to: the target database is not empty: table shops has \d+ rows/);

  assert.equal(migrate('--from', source.db, '--to', url, '--verify-only').status, 0);
  psql(url, `UPDATE workorders SET title = title || '!' WHERE id = ${wo.id}`);
  const tampered = migrate('--from', source.db, '--to', url, '--verify-only');
  assert.equal(tampered.status, 1);
  assert.match(tampered.stderr, /error: to: verify failed: table workorders differs: (\d+) rows in the source, \1 in the target; checksum [0-9a-f]{32} against [0-9a-f]{32}/);

  // stored bytes changed in the target: --verify-only hashes them again
  const withFiles = createdb();
  assert.equal(migrate('--from', source.db, '--to', withFiles, '--data-dir', source.dir).status, 0);
  psql(withFiles, "UPDATE blob_chunks SET data = '\\x00' WHERE folder = 'attachments'");
  const damaged = migrate('--from', source.db, '--to', withFiles, '--verify-only', '--data-dir', source.dir);
  assert.equal(damaged.status, 1);
  assert.match(damaged.stderr, /error: to: verify failed: the target's attachments\/[0-9a-f]{64} is 1 bytes \(\d+ recorded\)/);

  const copy = join(source.dir, 'extra.db');
  copyFileSync(source.db.replace(/^sqlite:/, ''), copy);
  execFileSync('sqlite3', [copy, 'CREATE TABLE notes_extra (id INTEGER PRIMARY KEY, body TEXT)']);
  const fresh = createdb();
  const extra = migrate('--from', `sqlite:${copy}`, '--to', fresh);
  assert.equal(extra.status, 1);
  assert.match(extra.stderr, /error: from: the source database has table notes_extra, which migrate does not copy/);
  assert.equal(psql(fresh, 'SELECT count(*) FROM shops'), '0', 'nothing was copied');
  execFileSync('sqlite3', [copy, 'DROP TABLE notes_extra; ALTER TABLE workorders ADD COLUMN extra TEXT']);
  assert.match(migrate('--from', `sqlite:${copy}`, '--to', fresh).stderr, /has column workorders\.extra, which migrate does not copy/);

  const bad = migrate('--from', source.db, '--to', 'postgresql://localhost:5x/db');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /error: to: malformed PostgreSQL url 'postgresql:\/\/localhost:5x\/db': the port '5x' is not a number/);
  assert.match(migrate('--from', 'mysql://x/y', '--to', url).stderr, /error: from: unsupported database url scheme 'mysql'/);
  assert.match(migrate('--from', url, '--to', `sqlite:${join(source.dir, 'back.db')}`).stderr, /not from PostgreSQL to SQLite/);
  assert.equal(migrate('--to', url).status, 2);
});
