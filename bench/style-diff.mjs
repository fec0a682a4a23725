// Does a change to how the workbench is styled (issue 13: antd's styles from a stylesheet made at
// build time instead of computed in the browser) change what a user sees? Screenshots of the
// sign-in page, a lead's 全店工单 list and a work order, in Chinese at 1440 and 390 px, from two
// builds of web/ against the same server, data and (frozen) clock, and a picture of where they
// differ; also the list's Select popup, the narrow screen's menu drawer and the work order's
// 备注 dialog, opened.
//   node bench/style-diff.mjs BEFORE_DIST [AFTER_DIST (default web/dist)]
// STYLE_DIFF_PAGES=workorder,workorder-judged,… shoots only those pages (names as in the table).
// e.g. build main's web/ and copy its dist/ aside first. Writes bench/out/style-diff/PAGE-WIDTH-
// [OPENED-]{before,after,diff}.png (diff: the after shot faded, differing pixels red) and prints, per shot,
// how many pixels differ (a channel off by more than 16 of 255). Exits 1 if any do.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, repoRoot } from '../tests/e2e/server.mjs';
import { launch, leadSession, newContext, pages, serveDist } from './web-pages.mjs';

const [beforeDir, afterDir = path.join(repoRoot, 'web', 'dist')] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/style-diff.mjs BEFORE_DIST [AFTER_DIST]');
  process.exit(2);
}
const OUT = path.join(repoRoot, 'bench', 'out', 'style-diff');
fs.mkdirSync(OUT, { recursive: true });
const WIDTHS = [[1440, 900], [390, 844]];
const ONLY = process.env.STYLE_DIFF_PAGES ? process.env.STYLE_DIFF_PAGES.split(',') : null;
const NOW = new Date('2026-12-01T10:00:00+08:00');

// What only shows after a click (antd's popups, drawn from the same stylesheet): each is shot
// in the viewport, then closed with Escape.
const OPEN = {
  list: [
    // a phone shows the filter form behind 筛选 (its Selects are not on the first screen)
    { name: 'select', wide: true, run: (page) => page.locator('.ant-select:visible').first().click() },
    // the drawer's antd loads on first use: wait for it, not only for its motion (a loaded host took over 1 s)
    {
      name: 'drawer',
      narrow: true,
      run: async (page) => {
        await page.getByRole('button', { name: '导航' }).click();
        await page.locator('.ant-drawer-open').waitFor({ timeout: 30_000 });
      },
    },
  ],
  workorder: [{ name: 'dialog', run: (page) => page.getByRole('button', { name: '备注', exact: true }).click() }],
};

/** Pixels of two PNGs (base64) that differ, and a picture of where, drawn by the browser. */
async function compare(browser, a, b) {
  const cmp = await browser.newPage();
  try {
    return await cmp.evaluate(async ({ a, b }) => {
      const img = async (b64) => {
        const i = new Image();
        i.src = `data:image/png;base64,${b64}`;
        await i.decode();
        return i;
      };
      const [x, y] = [await img(a), await img(b)];
      const w = Math.max(x.width, y.width);
      const h = Math.max(x.height, y.height);
      const pixels = (i) => {
        const c = new OffscreenCanvas(w, h);
        const g = c.getContext('2d');
        g.fillStyle = '#000';
        g.fillRect(0, 0, w, h);
        g.drawImage(i, 0, 0);
        return g.getImageData(0, 0, w, h);
      };
      const [da, db] = [pixels(x), pixels(y)];
      const out = new ImageData(w, h);
      let diff = 0;
      for (let k = 0; k < da.data.length; k += 4) {
        const off = [0, 1, 2].some((c) => Math.abs(da.data[k + c] - db.data[k + c]) > 16);
        if (off) diff++;
        out.data.set(off ? [255, 0, 0, 255] : [255 - (255 - db.data[k]) / 4, 255 - (255 - db.data[k + 1]) / 4, 255 - (255 - db.data[k + 2]) / 4, 255], k);
      }
      const c = new OffscreenCanvas(w, h);
      c.getContext('2d').putImageData(out, 0, 0);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let s = '';
      for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
      return { diff, total: w * h, sizes: [`${x.width}×${x.height}`, `${y.width}×${y.height}`], png: btoa(s) };
    }, { a, b });
  } finally {
    await cmp.close();
  }
}

const srv = await startServer();
const browser = await launch();
const rows = [];
try {
  const session = await leadSession(srv);
  for (const p of pages(srv, session.woId, session.kinds).filter((x) => !ONLY || ONLY.includes(x.name))) {
    for (const [width, height] of WIDTHS) {
      const opens = (OPEN[p.name] ?? []).filter((o) => (!o.narrow || width < 768) && (!o.wide || width >= 768));
      const shots = {}; // name -> {before, after}
      for (const [which, dir] of [['before', beforeDir], ['after', afterDir]]) {
        const ctx = await newContext(browser, { width, height }, session, p);
        await serveDist(ctx, srv.url, dir);
        const page = await ctx.newPage();
        await page.clock.setFixedTime(NOW);
        await page.goto(p.url);
        await page.locator(p.ready).first().waitFor({ timeout: 60_000 });
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(500);
        const shoot = async (name, fullPage) => {
          const file = path.join(OUT, `${name}-${which}.png`);
          await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
          (shots[name] ??= {})[which] = fs.readFileSync(file).toString('base64');
        };
        await shoot(`${p.name}-${width}`, true);
        for (const o of opens) {
          await o.run(page);
          await page.waitForTimeout(1000); // the popup's entering motion
          await shoot(`${p.name}-${width}-${o.name}`, false);
          await page.keyboard.press('Escape');
          await page.waitForTimeout(1000);
        }
        await ctx.close();
      }
      for (const [name, { before, after }] of Object.entries(shots)) {
        const r = await compare(browser, before, after);
        fs.writeFileSync(path.join(OUT, `${name}-diff.png`), Buffer.from(r.png, 'base64'));
        rows.push({ shot: name, diff: r.diff, share: r.diff / r.total, sizes: r.sizes });
      }
    }
  }
} finally {
  await browser.close();
  await srv.stop();
}
console.log('| shot | differing pixels | share | size before → after |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.shot} | ${r.diff} | ${(r.share * 100).toFixed(3)}% | ${r.sizes.join(' → ')} |`);
console.log(`screenshots: ${path.relative(process.cwd(), OUT)}/`);
process.exit(rows.some((r) => r.diff) ? 1 : 0);
