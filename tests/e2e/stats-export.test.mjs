// Statistics render with ECharts; an export runs as a job with progress and downloads a file that parses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { login, openBrowser, outDir, test } from './browser.mjs';
import { leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

test('statistics page renders charts and the table, in Chinese and English', { timeout: 120_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const A = await openBrowser();
  try {
    const p = A.page;
    await login(p, srv.url, lead);
    await p.goto(`${srv.url}/stats`);
    await p.getByTestId('chart-counts').locator('canvas').waitFor({ timeout: 15_000 });
    await p.getByTestId('stats-totals').waitFor({ timeout: 15_000 });
    await p.waitForTimeout(800); // let the bars finish growing
    const rows = await p.locator('[data-testid=stats-table] .ant-table-row').count();
    assert.ok(rows > 0, 'stats table has a row per type');
    // the chart really drew something: the canvas is not blank
    const inked = await p.getByTestId('chart-counts').locator('canvas').first().evaluate((c) => {
      const ctx = c.getContext('2d');
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `chart canvas has ink (${inked} px)`);
    await A.shot('30-stats-by-type');

    await p.getByText('按处理人').click();
    await p.waitForTimeout(1000);
    await A.shot('31-stats-by-handler');

    await p.getByTestId('lang-switch').click();
    await p.getByRole('heading', { name: 'Statistics by type' }).waitFor();
    await p.getByText('Work orders', { exact: true }).first().waitFor();
    await A.shot('32-stats-english');
    await p.getByTestId('lang-switch').click();
    await p.getByRole('heading', { name: '分类型任务统计' }).waitFor();
    A.assertClean();
  } finally {
    await A.close();
  }
});

async function runExport(p, format, headers) {
  await p.goto(`${srv.url}/export`);
  const form = p.getByTestId('export-form');
  await form.waitFor();
  await form.getByText(format === 'csv' ? 'CSV' : 'Excel (XLSX)', { exact: true }).click();
  await form.getByText(headers === 'zh' ? '中文' : 'English', { exact: true }).click();
  await p.getByTestId('export-start').click();
  await p.locator('[data-testid=export-job] .ant-progress').waitFor({ timeout: 15_000 });
  const dl = p.getByTestId('export-download');
  await dl.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([p.waitForEvent('download'), dl.click()]);
  const file = path.join(outDir, `export-${headers}.${format}`);
  await download.saveAs(file);
  return file;
}

/** RFC 4180 parse (quotes, doubled quotes, CRLF inside quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

test('export: CSV with Chinese headers and XLSX download and parse', { timeout: 180_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const A = await openBrowser();
  try {
    const p = A.page;
    await login(p, srv.url, lead);

    const csvFile = await runExport(p, 'csv', 'zh');
    await A.shot('40-export-csv-done');
    const buf = fs.readFileSync(csvFile);
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
    const rows = parseCsv(buf.subarray(3).toString('utf8')).filter((r) => r.length > 1 || r[0] !== '');
    assert.ok(rows.length >= 2, `CSV has a header and rows (${rows.length})`);
    assert.ok(/[\u4e00-\u9fff]/.test(rows[0].join('')), `Chinese headers: ${rows[0].join(',')}`);
    for (const r of rows) assert.equal(r.length, rows[0].length, 'every row has the header\'s column count');

    const xlsxFile = await runExport(p, 'xlsx', 'en');
    const x = fs.readFileSync(xlsxFile);
    assert.equal(x.subarray(0, 2).toString('latin1'), 'PK', 'XLSX is a zip');
    // Parse it for real where openpyxl is installed (scripts/install-deps installs python3-openpyxl).
    let parsed = null;
    try {
      parsed = execFileSync('python3', ['-c', 'import sys,openpyxl; ws=openpyxl.load_workbook(sys.argv[1], read_only=True).active; rows=list(ws.iter_rows(values_only=True)); print(len(rows)); print("|".join(str(c) for c in rows[0]))', xlsxFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (!/No module named/.test(String(e.stderr ?? ''))) throw e;
    }
    if (parsed !== null) {
      const [n, header] = parsed.trim().split('\n');
      assert.ok(Number(n) >= 2, `XLSX has a header and rows (${n})`);
      assert.match(header, /[A-Za-z]/, `English headers: ${header}`);
      assert.equal(Number(n), rows.length, 'XLSX and CSV of the same view have the same number of rows');
    }
    await A.shot('41-export-xlsx-done');
    A.assertClean();
  } finally {
    await A.close();
  }
});
