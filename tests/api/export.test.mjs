// Export (POST /api/v1/exports): jobs with progress, the file round trip read back with Python's
// csv module and openpyxl (Debian's python3-openpyxl, hence /usr/bin/python3) and compared with
// the API's rows, including Chinese text, commas, quotes, newlines and formula-looking cells;
// permissions; a 0-row export; the CLI; finished files survive a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, client, INVALID, startServer } from './lib.mjs';
import { png } from './images.mjs';

const PY = '/usr/bin/python3';
let srv, lead, tmp;

const TRICKY = [
  { title: '=1+2', content: '公式注入 =HYPERLINK("http://x")' },
  { title: '退款, "加急" 处理', content: '第一行\n第二行，含逗号, 和 "引号"\r\n第三行' },
  { title: '+86 138 0000 0000', content: '-5 件' },
  { title: '@SUM(A1:A9)', content: '\t制表符开头' },
  { title: '普通中文标题 茶叶', content: '' },
  // what a first-character check misses: full-width and small forms, white space before the sign
  { title: '＝1+2', content: '＋86 138 0000 0000' },
  { title: '－5 件', content: '＠SUM(A1:A9)' },
  { title: ' =1+2', content: '\n=HYPERLINK("http://x")' },
  { title: '\u3000+1', content: '\r\n@SUM(A1)' },
  { title: '﹦1+2', content: '  -2+3' },
];

const READ_CSV = `
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
`;
const READ_XLSX = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
def cell(v):
    if isinstance(v, datetime.datetime): return {'date': v.strftime('%Y-%m-%d %H:%M:%S')}
    if isinstance(v, bool): return {'bool': v}
    if isinstance(v, (int, float)): return {'num': v}
    return v
print(json.dumps({'freeze': ws.freeze_panes, 'sheets': len(wb.worksheets),
                  'rows': [[cell(c) for c in r] for r in ws.iter_rows(values_only=True)]}, ensure_ascii=False))
`;

before(async () => {
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
  tmp = mkdtempSync(join(tmpdir(), 'gd-export-'));
  writeFileSync(join(tmp, 'read_csv.py'), READ_CSV);
  writeFileSync(join(tmp, 'read_xlsx.py'), READ_XLSX);
  const order = (await lead.get('/api/v1/orders?limit=1')).body.items[0];
  for (const [i, t] of TRICKY.entries()) {
    const body = { type: 'after_sales', title: t.title, content: t.content };
    if (i === 1) body.order_no = order.order_no;
    if (i === 0) body.attachment_ids = await uploads(['破损外箱.png', '=签收单.png']);
    const r = await lead.post('/api/v1/workorders', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await lead.post(`/api/v1/workorders/${r.body.id}/notes`, { text: `最新备注 ${i}: "引号", 逗号\n换行 =SUM(1)` });
  }
});
after(async () => {
  await srv?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Uploads small PNGs (each its own content) and returns their ids.
async function uploads(names) {
  const ids = [];
  for (const [i, name] of names.entries()) {
    const fd = new FormData();
    fd.append('file', new Blob([png(4 + i, 4)], { type: 'image/png' }), name);
    const r = await lead.post('/api/v1/attachments', fd);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  return ids;
}

async function runExport(c, body) {
  const r = await c.post('/api/v1/exports', body);
  if (r.status !== 202) return r;
  assert.equal(r.body.state, 'queued');
  let job = r.body;
  for (let i = 0; i < 200 && !['done', 'failed'].includes(job.state); i++) {
    await new Promise((res) => setTimeout(res, 100));
    job = (await c.get(`/api/v1/exports/${job.id}`)).body;
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.rows_done, job.rows_total);
  return { status: 202, job };
}

async function download(c, job, ext) {
  const r = await fetch(`${srv.base}/api/v1/exports/${job.id}/file`, { headers: c.headers });
  assert.equal(r.status, 200);
  const file = join(tmp, `${job.id}.${ext}`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return { file, headers: r.headers };
}

// Every work order of the shop view as the API lists it, with its newest note.
async function apiRows() {
  const rows = [];
  let cursor = null;
  do {
    const r = await lead.get(`/api/v1/workorders?view=shop&sort=created&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  for (const w of rows) {
    const d = (await lead.get(`/api/v1/workorders/${w.id}`)).body;
    const notes = d.events.filter((e) => e.kind === 'noted');
    w.latest_note = notes.length ? notes[notes.length - 1].data.text : '';
    w.paid = d.order ? d.order.paid_amount : null;
    w.attachments = d.attachments.map((x) => x.filename).join('; ');
  }
  return rows;
}

const local = (iso) => (iso ? new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ') : '');
// OWASP's rule: a tab or CR first, or = + - @ (or their full-width and small forms) as the first
// character after leading white space
const neutral = (s) => (/^([\t\r]|[\s\u00a0\u3000]*[=+\-@＝＋－＠﹦﹢﹣﹫])/.test(s) ? `'${s}` : s);

test('CSV export: every row, RFC 4180, BOM, formulas neutralised, equal to the API', { timeout: 120_000 }, async () => {
  const { job } = await runExport(lead, { format: 'csv', headers: 'zh', view: 'shop' });
  assert.match(job.file_name, /^workorders-\d{8}-\d{6}\.csv$/);
  const { file, headers } = await download(lead, job, 'csv');
  assert.equal(headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(headers.get('content-disposition'), `attachment; filename="${job.file_name}"`);
  const raw = readFileSync(file);
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assert.ok(raw.toString('utf8').split('\r\n').length > 2, 'CRLF line ends');
  const rows = JSON.parse(execFileSync(PY, [join(tmp, 'read_csv.py'), file], { encoding: 'utf8' }));
  assert.deepEqual(rows[0], ['工单编号', '类型', '状态', '标题', '内容', '优先级', '处理人', '创建人', '创建时间', '截止时间', '已超期', '完结时间', '订单号', '买家', '实付金额', '最新备注', '工单ID', '附件']);
  const api = await apiRows();
  assert.equal(rows.length - 1, api.length, 'every work order of the view, no cap');
  assert.equal(job.rows_total, api.length);
  const byId = new Map(rows.slice(1).map((r) => [r[16], r]));
  for (const w of api) {
    const r = byId.get(w.id);
    assert.ok(r, `row for ${w.number}`);
    assert.equal(r[0], w.number);
    assert.equal(r[3], neutral(w.title), `title of ${w.number}`);
    assert.equal(r[4], neutral(w.content), `content of ${w.number}`);
    assert.equal(r[6], w.handler?.display_name ?? '');
    assert.equal(r[7], w.creator.display_name);
    assert.equal(r[8], local(w.created_at));
    assert.equal(r[9], local(w.deadline));
    assert.equal(r[10], w.overdue ? '是' : '否');
    assert.equal(r[11], local(w.done_at));
    assert.equal(r[12], w.order_no ?? '');
    assert.equal(r[13], w.buyer_nick ?? '');
    assert.equal(r[14], w.paid === null ? '' : (w.paid / 100).toFixed(2));
    assert.equal(r[15], neutral(w.latest_note));
    assert.equal(r[17], neutral(w.attachments), `attachments of ${w.number}`);
  }
  assert.ok(rows.some((r) => r[17] === '破损外箱.png; =签收单.png'), 'the file names, in order');
  // the tricky ones made it through literally (after the neutralising quote)
  for (const t of TRICKY) assert.ok(rows.some((r) => r[3] === neutral(t.title) && r[4] === neutral(t.content)), t.title);
});

test('XLSX export: typed cells, frozen header, English headers, equal to the API', { timeout: 120_000 }, async () => {
  const { job } = await runExport(lead, { format: 'xlsx', headers: 'en', view: 'shop' });
  const { file, headers } = await download(lead, job, 'xlsx');
  assert.equal(headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const x = JSON.parse(execFileSync(PY, [join(tmp, 'read_xlsx.py'), file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  assert.equal(x.freeze, 'A2', 'the header row is frozen');
  assert.equal(x.rows[0][0], 'Number');
  assert.equal(x.rows[0][14], 'Paid amount');
  const api = await apiRows();
  assert.equal(x.rows.length - 1, api.length);
  const byId = new Map(x.rows.slice(1).map((r) => [r[16], r]));
  const text = (v) => v ?? '';
  for (const w of api) {
    const r = byId.get(w.id);
    assert.ok(r, `row for ${w.number}`);
    assert.equal(text(r[3]), w.title, 'text cells are never formulas: no neutralising needed');
    assert.equal(text(r[4]).replace(/\r\n/g, '\n'), w.content.replace(/\r\n/g, '\n'));
    assert.deepEqual(r[8], { date: local(w.created_at) }, 'created is a real date');
    assert.deepEqual(r[9], w.deadline ? { date: local(w.deadline) } : null);
    assert.equal(r[10], w.overdue ? 'yes' : 'no', 'overdue in the same words as the CSV (a boolean cell reads TRUE/FALSE)');
    assert.deepEqual(r[14], w.paid === null ? null : { num: w.paid / 100 }, 'amount is a number');
    assert.equal(text(r[15]), w.latest_note);
    assert.equal(text(r[17]), w.attachments);
    assert.equal(r[1], { after_sales: 'After-sales', order_review: 'Order review', shipping: 'Shipping', waybill: 'Waybill', out_of_stock: 'Out of stock', customer_memo: 'Customer memo', task_memo: 'Task memo', collab: 'Collaborative' }[w.type]);
  }
});

test('export: permissions, filters, 0 rows, idempotency, CLI, restart', { timeout: 120_000 }, async () => {
  const agent = await client(srv, 'tea_agent1');
  const baby = await client(srv, 'baby_lead');
  const xiaoer = await client(srv, 'xiaoer1');
  assert.equal((await agent.post('/api/v1/exports', { format: 'csv', view: 'shop' })).status, 403, 'an agent cannot export the whole shop');
  assert.equal((await xiaoer.post('/api/v1/exports', { format: 'csv' })).status, 403);
  assert.equal((await lead.post('/api/v1/exports', { format: 'pdf' }, INVALID)).status, 422);
  assert.equal((await lead.post('/api/v1/exports', { format: 'csv', limit: 5 }, INVALID)).status, 422);
  const mine = await runExport(agent, { format: 'csv', view: 'assigned', headers: 'en' });
  const { job } = await runExport(lead, { format: 'csv', view: 'shop', type: 'after_sales', q: '第三行' });
  assert.equal(job.rows_total, 1, 'filters apply (type + Chinese keyword)');
  // another shop learns nothing
  assert.equal((await baby.get(`/api/v1/exports/${job.id}`)).status, 404);
  assert.equal((await baby.get(`/api/v1/exports/${job.id}/file`)).status, 404);
  assert.equal((await agent.get(`/api/v1/exports/${mine.job.id}`)).status, 200);
  // 0 rows: a valid file with the header only
  const empty = await runExport(lead, { format: 'csv', view: 'shop', q: '没有这样的工单内容' });
  assert.equal(empty.job.rows_total, 0);
  const { file } = await download(lead, empty.job, 'csv');
  assert.deepEqual(JSON.parse(execFileSync(PY, [join(tmp, 'read_csv.py'), file], { encoding: 'utf8' })).length, 1);
  const emptyX = await runExport(lead, { format: 'xlsx', view: 'shop', q: '没有这样的工单内容' });
  const fx = await download(lead, emptyX.job, 'xlsx');
  assert.equal(JSON.parse(execFileSync(PY, [join(tmp, 'read_xlsx.py'), fx.file], { encoding: 'utf8' })).rows.length, 1);
  // a retried POST with the same Idempotency-Key queues nothing new
  const k = { 'idempotency-key': 'export-retry-1' };
  const a1 = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, k);
  const a2 = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, k);
  assert.equal(a1.status, 202);
  assert.equal(a2.body.id, a1.body.id);
  // the CLI writes the same rows as the API job
  const out = join(tmp, 'cli.csv');
  execFileSync(BIN, ['export', '--db', srv.db, '--shop', '江南茶舍旗舰店', '--user', 'tea_lead', '--format', 'csv', '--view', 'shop', '--out', out], { stdio: 'pipe' });
  const cliRows = JSON.parse(execFileSync(PY, [join(tmp, 'read_csv.py'), out], { encoding: 'utf8' }));
  const apiJob = await runExport(lead, { format: 'csv', view: 'shop' });
  const apiRowsCsv = JSON.parse(execFileSync(PY, [join(tmp, 'read_csv.py'), (await download(lead, apiJob.job, 'csv')).file], { encoding: 'utf8' }));
  assert.deepEqual(cliRows, apiRowsCsv);
  // finished jobs and their files survive a restart
  await srv.stop();
  await srv.start();
  const again = await lead.get(`/api/v1/exports/${apiJob.job.id}`);
  assert.equal(again.body.state, 'done');
  const f2 = await download(lead, apiJob.job, 'csv');
  assert.deepEqual(JSON.parse(execFileSync(PY, [join(tmp, 'read_csv.py'), f2.file], { encoding: 'utf8' })), apiRowsCsv);
});
