// What bench/style-diff.mjs and bench/main-thread.mjs share: Debian's chromium through
// playwright-core, a lead's session on a real `gongdan serve` with the demo data, the three pages
// issue 13 measures (sign-in, 全店工单, a work order), and a way to put any build of web/dist in
// front of the same server and data, so two builds (before/after a change) see the same pages.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { leadAndAgent, repoRoot } from '../tests/e2e/server.mjs';

const fromWeb = createRequire(path.join(repoRoot, 'web', 'package.json'));
export const { chromium } = fromWeb('playwright-core');

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** A lead's session cookie and a work order of the shop, asked of the API (no page loaded). */
export async function leadSession(srv) {
  const { lead } = leadAndAgent(srv.accounts);
  const r = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: srv.url },
    body: JSON.stringify({ username: lead.username, password: lead.password }),
  });
  if (r.status !== 200) throw new Error(`sign-in as ${lead.username}: ${r.status}`);
  const [name, value] = r.headers.get('set-cookie').split(';')[0].split('=');
  const list = await (await fetch(`${srv.url}/api/v1/workorders?view=shop&sort=-created&limit=100`, { headers: { cookie: `${name}=${value}` } })).json();
  // besides the newest (the one Lighthouse measures: a case in 平台介入 after the seller's time ran out), one
  // of each kind whose page draws different cards: a case's states show different blocks and forms
  const find = (ok) => list.items.find((w, i) => i > 0 && ok(w))?.id;
  const kinds = {
    plain: find((w) => w.type !== 'collab' && w.buyer_nick),
    awaiting: find((w) => w.state === 'awaiting_seller'),
    intervention: find((w) => w.state === 'intervention'), // after the seller's reply: its reply block too
    judged: find((w) => w.state === 'judged'),
    appealed: find((w) => w.state === 'appeal_review'),
    final: find((w) => w.state === 'final'), // the appeal decided: its banner
  };
  return { cookie: { name, value, url: srv.url }, woId: list.items[0].id, kinds };
}

/** The pages, each with what shows it is rendered. */
export function pages(srv, woId, kinds = {}) {
  return [
    { name: 'login', url: `${srv.url}/login`, signedIn: false, ready: '#username' },
    { name: 'list', url: `${srv.url}/list/shop`, signedIn: true, ready: '[data-testid="wo-link"]' },
    // a work order is ready with its timeline, the last card it draws (its rest comes after the first paint)
    { name: 'workorder', url: `${srv.url}/wo/${woId}`, signedIn: true, ready: '[data-testid="timeline"]' },
    // with `kinds` (leadSession's): a plain work order, a case in each state
    ...Object.entries(kinds)
      .filter(([, id]) => id)
      .map(([kind, id]) => ({ name: `workorder-${kind}`, url: `${srv.url}/wo/${id}`, signedIn: true, ready: '[data-testid="timeline"]' })),
  ];
}

/**
 * A fresh browser context (empty cache) whose page shows `page`: the session cookie and the flag the
 * workbench keeps in localStorage are set when the page is a signed-in one.
 */
export async function newContext(browser, { width, height }, session, page) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (page.signedIn) {
    await ctx.addCookies([session.cookie]);
    await ctx.addInitScript(() => localStorage.setItem('gongdan.session', '1'));
  }
  return ctx;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2' };

/**
 * Answer the context's requests for the web app from the build in `dir` instead of the server's web
 * root (the API still goes to the server): an unknown path gets index.html, as the server does.
 */
export async function serveDist(ctx, origin, dir) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'index.html'))) throw new Error(`${root}/index.html missing: build web/ first`);
  await ctx.route(`${origin}/**`, async (route) => {
    const u = new URL(route.request().url());
    if (u.pathname.startsWith('/api/') || u.pathname === '/healthz') return route.fallback();
    let f = path.join(root, decodeURIComponent(u.pathname));
    if (!f.startsWith(root + path.sep) || !fs.existsSync(f) || fs.statSync(f).isDirectory()) f = path.join(root, 'index.html');
    return route.fulfill({ body: fs.readFileSync(f), contentType: TYPES[path.extname(f)] ?? 'application/octet-stream' });
  });
}
