// What a newcomer meets on the command line: `gongdan export` writes the format its file name says,
// `gongdan stats` lines up Chinese names by their display width and names work order types in
// Chinese, and the team statistics keep platform staff out of the shop's own handlers.
// `gongdan serve` refuses a malformed --db URL with a message naming what is wrong.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, client, startServer } from './lib.mjs';

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
