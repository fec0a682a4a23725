// How much main-thread work the first render of each page costs, for two builds of web/ against
// the same server and data (issue 13: antd computing its styles in the browser on first render).
//   node bench/main-thread.mjs BEFORE_DIST [AFTER_DIST (default web/dist)]
// Each page is loaded RUNS times (default 5) per build, with an empty cache, alternating the
// builds so that both see the same load on a shared machine; a run ends when the page shows its
// content and the network is idle. Chromium's own counters (CDP Performance.getMetrics): all main-
// thread tasks, script, style recalculation and layout, in ms, median of the runs; and the
// <style> elements the page made at run time (antd's CSS-in-JS puts its rules in them). Prints a
// table with the host's load average, writes bench/out/main-thread.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, repoRoot } from '../tests/e2e/server.mjs';
import { launch, leadSession, newContext, pages, serveDist } from './web-pages.mjs';

const [beforeDir, afterDir = path.join(repoRoot, 'web', 'dist')] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/main-thread.mjs BEFORE_DIST [AFTER_DIST]');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS || 5);
const VIEWPORT = { width: 412, height: 823 }; // Lighthouse's mobile screen
const METRICS = { task: 'TaskDuration', script: 'ScriptDuration', style: 'RecalcStyleDuration', layout: 'LayoutDuration' };

const srv = await startServer();
const browser = await launch();
const results = [];
const loads = [];
try {
  const session = await leadSession(srv);
  for (const p of pages(srv, session.woId)) {
    const runs = { before: [], after: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [which, dir] of i % 2 ? [['after', afterDir], ['before', beforeDir]] : [['before', beforeDir], ['after', afterDir]]) {
        loads.push(os.loadavg()[0]);
        const ctx = await newContext(browser, VIEWPORT, session, p);
        await serveDist(ctx, srv.url, dir);
        const page = await ctx.newPage();
        const cdp = await ctx.newCDPSession(page);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        await page.goto(p.url);
        await page.locator(p.ready).first().waitFor({ timeout: 120_000 });
        await page.waitForLoadState('networkidle');
        const { metrics } = await cdp.send('Performance.getMetrics');
        const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
        const styles = await page.evaluate(() => [...document.querySelectorAll('style')].reduce((a, s) => [a[0] + 1, a[1] + (s.textContent?.length ?? 0)], [0, 0]));
        runs[which].push({ ...Object.fromEntries(Object.entries(METRICS).map(([k, n]) => [k, m[n] * 1000])), styleTags: styles[0], styleBytes: styles[1] });
        await ctx.close();
      }
    }
    for (const which of ['before', 'after']) {
      const median = (k) => runs[which].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
      results.push({ page: p.name, which, ...Object.fromEntries([...Object.keys(METRICS), 'styleTags', 'styleBytes'].map((k) => [k, median(k)])) });
    }
  }
} finally {
  await browser.close();
  await srv.stop();
}
const ms = (v) => `${Math.round(v)} ms`;
const lines = [
  `| page, build (median of ${RUNS}, ${VIEWPORT.width} px) | main-thread tasks | script | style recalc | layout | <style> made at run time |`,
  '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.page}, ${r.which} | ${ms(r.task)} | ${ms(r.script)} | ${ms(r.style)} | ${ms(r.layout)} | ${r.styleTags} (${Math.round(r.styleBytes / 1024)} KiB) |`),
  '',
  `load average (1 min) during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores`,
];
fs.mkdirSync(path.join(repoRoot, 'bench', 'out'), { recursive: true });
fs.writeFileSync(path.join(repoRoot, 'bench', 'out', 'main-thread.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
