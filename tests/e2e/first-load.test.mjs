// What a first visit downloads: the sign-in page takes only React, the router and its own code,
// compressed (brotli); antd, the shell and each page come after signing in, ECharts only with 统计.
// Before issue 13 the sign-in page took 1.5 MB of JavaScript and CSS, sent as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, openBrowser } from './browser.mjs';
import { leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

/** Every response of the page from now on: url, encoded (transferred) and decoded bytes, encoding. */
function record(page) {
  const seen = [];
  page.on('requestfinished', async (req) => {
    // a request that finishes while the test closes the browser has nothing left to read
    const res = await req.response().catch(() => null);
    const sizes = res && (await req.sizes().catch(() => null));
    if (!sizes) return;
    const body = await res.body().catch(() => Buffer.alloc(0));
    seen.push({ url: new URL(req.url()).pathname, encoded: sizes.responseBodySize, decoded: body.length, encoding: res.headers()['content-encoding'] });
  });
  return seen;
}

test('the sign-in page loads a small, compressed first chunk and no antd; ECharts only with 统计', { timeout: 180_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const B = await openBrowser({ width: 390, height: 844 });
  try {
    const p = B.page;
    const seen = record(p);
    await p.goto(`${srv.url}/login`);
    await p.locator('#username').waitFor();
    await p.waitForLoadState('networkidle');
    const assets = seen.filter((r) => /\.(js|css|html)$/.test(r.url) || r.url === '/login');
    const list = assets.map((r) => `${r.url} ${r.encoded}/${r.decoded} ${r.encoding}`).join('\n');
    for (const r of assets) assert.equal(r.encoding, 'br', `sent with brotli: ${r.url}`);
    const encoded = assets.reduce((n, r) => n + r.encoded, 0);
    const decoded = assets.reduce((n, r) => n + r.decoded, 0);
    // measured at this commit: about 108 KB sent, 386 KB unpacked (before: 487 KB gzip-able, 1.5 MB sent)
    assert.ok(encoded < 150_000, `the sign-in page transfers under 150 KB:\n${list}`);
    assert.ok(decoded < 500_000, `the sign-in page unpacks to under 500 KB:\n${list}`);
    assert.ok(!assets.some((r) => /Workbench-/.test(r.url)), `no workbench (antd) chunk on the sign-in page:\n${list}`);
    assert.equal(await p.locator('[class*="ant-"]').count(), 0, 'no antd element on the sign-in page');

    await login(p, srv.url, lead);
    await p.goto(`${srv.url}/list/shop`);
    await p.getByTestId('wo-link').first().waitFor({ timeout: 30_000 });
    assert.ok(seen.some((r) => /Workbench-/.test(r.url)), 'the workbench chunk loads after signing in');
    assert.ok(!seen.some((r) => /Stats-/.test(r.url)), 'no ECharts before 统计');
    await p.goto(`${srv.url}/stats`);
    await p.getByTestId('chart-counts').locator('canvas').waitFor({ timeout: 30_000 });
    assert.ok(seen.some((r) => /Stats-/.test(r.url)), 'the statistics chunk (ECharts) loads with 统计');
    B.assertClean();
  } finally {
    await B.close();
  }
});
