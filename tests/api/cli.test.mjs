// What a newcomer meets on the command line: `gongdan export` writes the format its file name says,
// `gongdan stats` lines up Chinese names by their display width and names work order types in
// Chinese, and the team statistics keep platform staff out of the shop's own handlers.
// `gongdan serve` refuses a malformed --db URL with a message naming what is wrong, and `init` and
// `serve` refuse a database a newer build has migrated. An operator's own check of a SQLite file
// (`PRAGMA integrity_check`) finds nothing to report.
// `gongdan user deactivate|reactivate|reset-password --by MANAGER` follows the rules of the API.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BACKEND, BIN, client, sqlExec, sqlRows, startServer } from './lib.mjs';

const SHOP = '江南茶舍旗舰店';
let srv;
let tmp;
before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'gd-cli-'));
});
after(async () => {
  await srv?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const exportTo = (out, ...extra) =>
  spawnSync(BIN, ['export', '--db', srv.db, '--shop', SHOP, '--user', 'tea_lead', '--view', 'shop', '--out', out, ...extra], { encoding: 'utf8' });
const isXlsx = (f) => readFileSync(f).subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'));
const isCsv = (f) => readFileSync(f).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])); // the BOM

test('export: the format follows the file name, and a contradicting --format is refused', () => {
  const x = join(tmp, 'x.xlsx');
  let r = exportTo(x);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(isXlsx(x), 'x.xlsx without --format is an XLSX workbook (a ZIP), not CSV');

  const c = join(tmp, 'c.CSV');
  r = exportTo(c);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(isCsv(c), 'c.CSV is CSV');

  const other = join(tmp, 'orders.txt');
  r = exportTo(other);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(isCsv(other), 'any other name gets the default, CSV');

  const mismatch = join(tmp, 'wrong.xlsx');
  r = exportTo(mismatch, '--format', 'csv');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format csv does not match the file name .*wrong\.xlsx/);
  assert.ok(!existsSync(mismatch), 'nothing is written when refused');

  const both = join(tmp, 'both.xlsx');
  r = exportTo(both, '--format', 'xlsx');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(isXlsx(both));
});

test('export: 已超期 reads 是/否 in XLSX as in CSV (not TRUE/FALSE)', () => {
  const x = join(tmp, 'overdue.xlsx');
  const c = join(tmp, 'overdue.csv');
  assert.equal(exportTo(x).status, 0);
  assert.equal(exportTo(c).status, 0);
  const py = `
import csv, json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
rows = list(ws.iter_rows(values_only=True))
col = list(rows[0]).index('已超期')
with open(sys.argv[2], newline='', encoding='utf-8-sig') as f:
    crows = list(csv.reader(f))
print(json.dumps({'xlsx': sorted({r[col] for r in rows[1:]}, key=str), 'csv': sorted({r[col] for r in crows[1:]})}, ensure_ascii=False))`;
  const got = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, x, c], { encoding: 'utf8' }));
  assert.deepEqual(got.xlsx, ['否', '是'], 'the demo has overdue and on-time work orders, written as 是/否');
  assert.deepEqual(got.xlsx, got.csv, 'the same words in both formats');
});

test('stats: columns line up for Chinese names; types by their Chinese names', () => {
  for (const group of ['handler', 'type']) {
    const out = execFileSync(BIN, ['stats', '--db', srv.db, '--shop', SHOP, '--group', group], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = out.split('\n').filter((l) => l && !l.startsWith('collaborative:'));
    assert.ok(lines.length >= 3, out);
    // display width: a 汉字 (or a fullwidth bracket) takes two columns
    const width = (s) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    const widths = new Set(lines.map(width));
    assert.equal(widths.size, 1, `every row as wide as the header (--group ${group}):\n${out}`);
    // the figures start in the same column: the first number ends where the header's "created" ends
    if (group === 'type') {
      assert.match(out, /^协同工单\s/m, out);
      assert.doesNotMatch(out, /^(collab|shipping|after_sales|memo)\s/m, 'no English type codes');
    }
  }
});

test('stats by handler: platform staff share one row, not listed as the shop team', async () => {
  const lead = await client(srv, 'tea_lead');
  const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * 3600_000 - 89 * 86400_000).toISOString().slice(0, 10);
  const r = await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=handler`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const users = (await lead.get('/api/v1/users')).body.items;
  const shopIds = new Set(users.map((u) => String(u.id)));
  const keys = r.body.groups.map((g) => g.key);
  for (const g of r.body.groups) {
    assert.ok(g.key === 'none' || g.key === 'platform' || shopIds.has(g.key), `group ${g.key} (${g.label}) is the shop's own`);
  }
  const plat = r.body.groups.find((g) => g.key === 'platform');
  assert.ok(plat, `the demo's collaborative work orders handled by the platform appear as one row: ${keys}`);
  assert.equal(plat.label, '平台人员（协同工单）');
  assert.doesNotMatch(r.body.groups.map((g) => g.label).join(' '), /小二|平台主管/);
  const sum = r.body.groups.reduce((s, g) => s + g.created, 0);
  assert.equal(sum, r.body.totals.created, 'the rows still add up to the totals');
});

test('serve refuses a malformed --db URL, naming the part that is wrong, before it listens', () => {
  const cases = [
    ['postgresql://localhost:notaport/gongdan', "the port 'notaport' is not a number"],
    ['postgres://localhost/', 'names no database'],
    ['postgresql:///gongdan?nosuchoption=1', 'invalid URI query parameter: "nosuchoption"'],
    ['mysql://localhost/gongdan', "unsupported database url scheme 'mysql'"],
    ['sqlite:', 'names no file'],
  ];
  for (const [url, says] of cases) {
    const r = spawnSync(BIN, ['serve', '--db', url, '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, `${url}: ${r.stdout}${r.stderr}`);
    assert.ok(r.stderr.includes(says), `${url}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /listening/);
  }
});

test('init and serve refuse a database a newer build migrated, naming both versions, and change nothing', () => {
  const versions = () => sqlRows(srv.db, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => Number(r[0]));
  const known = versions();
  sqlExec(srv.db, "INSERT INTO schema_migrations VALUES (99999, '99999_from_a_newer_build', 0)");
  try {
    for (const cmd of [['init'], ['serve', '--listen', '127.0.0.1:0']]) {
      const r = spawnSync(BIN, [...cmd, '--db', srv.db], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.signal, null, `${cmd[0]} exits by itself, before it serves: ${r.stdout}`);
      assert.equal(r.status, 1, `${cmd[0]}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`migration 99999 \\(99999_from_a_newer_build\\), newer than this build knows \\(its newest is ${known.at(-1)}\\)`), r.stderr);
      assert.doesNotMatch(r.stdout, /listening|database ready/);
    }
    assert.deepEqual(versions(), [...known, 99999], 'no migration was applied or removed');
  } finally {
    sqlExec(srv.db, 'DELETE FROM schema_migrations WHERE version = 99999');
  }
});

const userCmd = (...args) => spawnSync(BIN, ['user', ...args, '--db', srv.db], { encoding: 'utf8' });
const signIn = (username, password) => fetch(srv.base + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

test('user deactivate|reactivate|reset-password act as the --by manager, with the API\'s rules and audit', async () => {
  const agent = await client(srv, 'tea_agent2');
  const owner = await client(srv, 'tea_owner');
  const lead = await client(srv, 'tea_lead');
  assert.equal((await agent.get('/api/v1/me')).status, 200);
  const wo = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '盘点库存', content: '请今天盘点', handler_id: agent.user.id });
  assert.equal(wo.status, 201, JSON.stringify(wo.body));

  let r = userCmd('deactivate', 'tea_agent2', '--by', 'tea_lead');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /user tea_agent2 deactivated/);
  assert.equal((await agent.get('/api/v1/me')).status, 401, 'their token ends at once');
  assert.equal((await signIn('tea_agent2', srv.logins.tea_agent2.password)).status, 401);
  const reassign = (await lead.get('/api/v1/workorders?view=reassign')).body.items.map((w) => w.id);
  assert.ok(reassign.includes(wo.body.id), 'their open work order waits in 待重新分配');
  const ev = (await owner.get('/api/v1/audit?limit=1')).body.items[0];
  assert.equal(ev.action, 'user.deactivated');
  assert.equal(ev.actor.id, lead.user.id, 'the audit names the --by manager');
  assert.equal(ev.target_user_id, agent.user.id);

  r = userCmd('reactivate', 'tea_agent2', '--by', 'tea_lead');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await signIn('tea_agent2', srv.logins.tea_agent2.password)).status, 200);

  r = userCmd('reset-password', 'tea_agent2', '--by', 'tea_lead');
  assert.equal(r.status, 0, r.stderr);
  const pw = r.stdout.match(/^password (\S+)$/m)?.[1];
  assert.ok(pw && pw.length >= 8, r.stdout);
  const s = await signIn('tea_agent2', pw);
  assert.equal(s.status, 200, 'the printed one-time password signs in');
  const cookie = s.headers.get('set-cookie').split(';')[0];
  const list = await fetch(srv.base + '/api/v1/workorders', { headers: { cookie } });
  assert.equal(list.status, 403);
  assert.equal((await list.json()).error.code, 'password_change_required');
  r = userCmd('reset-password', 'tea_agent2', '--by', 'tea_lead', '--password', 'chosen-pw-1');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await signIn('tea_agent2', 'chosen-pw-1')).status, 200);
});

test('user commands refuse what the API refuses, and change nothing', async () => {
  const owner = await client(srv, 'tea_owner');
  const before = (await owner.get('/api/v1/audit?limit=1')).body.items[0].id;
  const cases = [
    [['deactivate', 'tea_owner', '--by', 'tea_lead'], /only the owner and platform admins manage an owner/],
    [['deactivate', 'tea_lead', '--by', 'tea_lead'], /^error: active: you cannot change your own role, deactivate yourself/m],
    [['reset-password', 'baby_agent1', '--by', 'tea_lead'], /no such user/],
    [['deactivate', 'tea_owner', '--by', 'tea_owner'], /deactivate yourself/],
    [['deactivate', 'tea_agent1', '--by', 'tea_agent2'], /you may not manage this user/],
    [['deactivate', 'nobody_here', '--by', 'tea_lead'], /USERNAME: no user 'nobody_here'/],
    [['deactivate', 'tea_agent1', '--by', 'nobody_here'], /--by: no user 'nobody_here'/],
    [['reset-password', 'tea_agent1', '--by', 'tea_lead', '--password', 'short'], /password must be 8 to 256 bytes/],
  ];
  for (const [args, says] of cases) {
    const r = userCmd(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, says, args.join(' '));
  }
  const usage = userCmd('deactivate', 'tea_agent1');
  assert.equal(usage.status, 2, 'no --by is a usage error');
  assert.match(usage.stderr, /usage: gongdan user deactivate USERNAME --by MANAGER/);
  assert.equal((await owner.get('/api/v1/audit?limit=1')).body.items[0].id, before, 'no audit event: nothing changed');
  assert.equal((await signIn('tea_agent1', srv.logins.tea_agent1.password)).status, 200);

  // a deactivated manager acts no more from the shell either
  assert.equal(userCmd('deactivate', 'tea_warehouse', '--by', 'tea_owner').status, 0);
  const r = userCmd('reactivate', 'tea_warehouse', '--by', 'tea_warehouse');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--by: 'tea_warehouse' is deactivated/);
});

test('SQLite\'s integrity check passes on the demo database after the tests\' writes', { skip: BACKEND !== 'sqlite' }, () => {
  assert.deepEqual(sqlRows(srv.db, 'PRAGMA integrity_check'), [['ok']]);
});
