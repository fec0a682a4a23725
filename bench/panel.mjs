// The chat-side panel's first paint in Chromium (docs/panel.md): how long from the start of the
// navigation until the create button is on the screen, at 400 px, with the demo data.
//   node bench/panel.mjs            (RUNS, default 10)
// Two ways in, each RUNS times with a fresh browser context: opened by a signed link (the 303,
// the session made from it, then the page; empty cache, as the chat tool's first open of the day)
// and opened again with the session and the cache of a previous open (the next conversation).
// The time is read in the page: the first animation frame in which [data-testid=panel-create]
// exists (performance.now(), from the navigation's start, the redirect included), with First
// Contentful Paint beside it; medians and the slowest run, in ms, and the host's load average.
import { createHmac } from 'node:crypto';
import os from 'node:os';
import { apiLogin, leadAndAgent, startServer } from '../tests/e2e/server.mjs';
import { launch } from './web-pages.mjs';

const RUNS = Number(process.env.RUNS || 10);
const VIEWPORT = { width: 400, height: 800 };

const srv = await startServer();
const browser = await launch();
const rows = [];
const loads = [];
try {
  const { lead } = leadAndAgent(srv.accounts);
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const secret = (await L.call('POST', '/panel/secret')).json.secret;
  const order = (await L.call('GET', '/orders?limit=1')).json.items[0].order_no;
  // a signed link opens the panel once (docs/panel.md), and runs can start within the same second:
  // each run's link expires a second later than the one before, so no two are the same link
  let runs = 0;
  const link = () => {
    const exp = Math.floor(Date.now() / 1000) + 120 + runs++;
    const f = { shop: L.user.shop_id, user: lead.username, order_no: order, exp };
    const sig = createHmac('sha256', secret).update(['gongdan-panel-v1', f.shop, f.user, f.order_no, '', exp].join('\n')).digest('hex');
    return `${srv.url}/panel?${new URLSearchParams({ ...f, sig })}`;
  };
  const measure = async (page, url) => {
    await page.goto(url);
    await page.waitForFunction(() => window.__panelReady !== undefined, null, { timeout: 30_000 });
    return page.evaluate(() => ({
      ready: window.__panelReady,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    }));
  };
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    loads.push(os.loadavg()[0]);
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await ctx.addInitScript(() => {
      const look = () => {
        if (document.querySelector('[data-testid="panel-create"]')) window.__panelReady = performance.now();
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    const page = await ctx.newPage();
    cold.push(await measure(page, link()));
    warm.push(await measure(page, `${srv.url}/panel?order_no=${encodeURIComponent(order)}`));
    await ctx.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, runs] of [['signed link, empty cache', cold], ['session and cache of a previous open', warm]]) {
    rows.push(`| ${name} | ${median(runs.map((r) => r.ready)).toFixed(0)} | ${Math.max(...runs.map((r) => r.ready)).toFixed(0)} | ${median(runs.map((r) => r.fcp)).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await srv.stop();
}
const load = loads.reduce((a, b) => a + b, 0) / loads.length;
console.log(`chat-side panel, first paint at 400 px: ${RUNS} runs each, load average ${load.toFixed(1)} (${os.cpus().length} cores)\n`);
console.log('| opened by | create button on screen, median ms | slowest ms | first contentful paint, median ms |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
