// playwright-core driving Debian's chromium; no browser download ever.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './server.mjs';

const require = createRequire(path.join(repoRoot, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const outDir = path.join(repoRoot, 'tests', 'e2e', 'out');
fs.mkdirSync(outDir, { recursive: true });

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * One browser with a fresh temporary profile. Records console errors and page errors;
 * `assertClean()` fails the test if there were any.
 */
export async function openBrowser({ width = 1280, height = 800 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongdan-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width, height },
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems = [];
  const watch = (p) => {
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  };
  watch(page);
  ctx.on('page', watch);
  return {
    ctx,
    page,
    problems,
    /**
     * Take back console lines a test provoked on purpose (e.g. Chromium's "Failed to load resource ... 422"
     * for a request the server is meant to refuse). Removes at most `n` lines matching `re`; asserts one was there.
     */
    expectedConsole(re, n = 1) {
      let removed = 0;
      for (let i = 0; i < problems.length && removed < n; ) {
        if (re.test(problems[i])) {
          problems.splice(i, 1);
          removed++;
        } else i++;
      }
      assert.ok(removed > 0, `expected a console line matching ${re}, got:\n${problems.join('\n')}`);
      return removed;
    },
    assertClean() {
      assert.deepEqual(problems, [], `browser console errors:\n${problems.join('\n')}`);
    },
    async shot(name) {
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
    },
    async close() {
      await ctx.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function login(page, url, account) {
  await page.goto(`${url}/login`);
  await page.locator('#username').fill(account.username);
  await page.locator('#password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
}

/**
 * Pick an option of an antd Select (the popup is rendered at the end of <body>). A click that lands while
 * the popup is still opening can be lost on a loaded machine, so the pick is checked: the popup has closed
 * and the Select shows the option; else the option is clicked again.
 */
export async function pickOption(page, selectLocator, text) {
  const input = selectLocator.locator('input').first();
  const open = async () => {
    await selectLocator.click();
    if (text && (await input.isEditable({ timeout: 1000 }).catch(() => false))) await input.fill(text);
  };
  await open();
  const opt = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text ?? '' }).first();
  const picked = async () => (await input.getAttribute('aria-expanded')) === 'false' && (!text || (await selectLocator.innerText()).includes(text));
  for (let attempt = 0; ; attempt++) {
    await opt.waitFor({ state: 'visible', timeout: 10_000 });
    await opt.click();
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      ok = await picked();
      if (!ok) await page.waitForTimeout(100);
    }
    if (ok) break;
    assert.ok(attempt < 2, `the Select did not take the option ${text ?? '(first)'}`);
    if ((await input.getAttribute('aria-expanded')) !== 'true') await open();
  }
  // let the popup close (its animation) so the next Select does not see this one's options
  await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)') || [...document.querySelectorAll('.ant-select-dropdown')].every((d) => d.offsetParent === null || getComputedStyle(d).opacity === '0' || d.classList.contains('ant-select-dropdown-hidden')), null, { timeout: 5000 }).catch(() => undefined);
}

/**
 * Wait for antd's open/close animations of what is shown (modal zoom, drawer slide, popover, fades) to finish,
 * so a screenshot shows the end state. (A button's loading-icon motion can stay classed after the button is
 * re-rendered; it is not what a screenshot is about.)
 */
const ANIMATING = () =>
  [...document.querySelectorAll('[class*="-appear"], [class*="-enter"], [class*="-leave"]')]
    .filter((el) => /(^|\s)ant-[\w-]+-(appear|enter|leave)(\s|$)/.test(el.className) && !el.closest('.ant-btn') && el.checkVisibility())
    .map((el) => el.className);
export async function animationsDone(p) {
  await p.waitForFunction(`(${ANIMATING})().length === 0`, null, { timeout: 10_000 }).catch(async (e) => {
    throw new Error(`${e.message}: still animating ${JSON.stringify(await p.evaluate(ANIMATING))}`);
  });
}

/**
 * Confirm an antd confirmation dialog (its OK button is data-testid confirm-ok): once it has finished
 * opening, since a click taken while it zooms in was lost now and then (the dialog stayed open), and
 * then see it close.
 */
export async function confirmDialog(page) {
  const dialog = page.locator('.ant-modal-confirm').filter({ has: page.getByTestId('confirm-ok') });
  await dialog.waitFor();
  await animationsDone(page);
  await dialog.getByTestId('confirm-ok').click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
}

/** Read a menu badge number (data-testid badge-VIEW). */
export async function badgeCount(page, view) {
  const v = await page.getByTestId(`badge-${view}`).getAttribute('data-count', { timeout: 5000 }).catch(() => null);
  return v === null ? null : Number(v);
}

export async function waitForBadge(page, view, predicate, timeout = 15_000) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    last = await badgeCount(page, view);
    if (predicate(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`badge ${view} stayed at ${last}`);
}

/** Wait until a badge keeps the same value for `quietMs`. */
export async function settledBadge(page, view, quietMs = 1500, timeout = 20_000) {
  const start = Date.now();
  let last = await badgeCount(page, view);
  let since = Date.now();
  while (Date.now() - start < timeout) {
    await page.waitForTimeout(200);
    const v = await badgeCount(page, view);
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return v;
  }
  return last;
}
