// playwright-core driving Debian's chromium; no browser download ever.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { test as nodeTest } from 'node:test';
import { repoRoot } from './server.mjs';

const require = createRequire(path.join(repoRoot, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const outDir = path.join(repoRoot, 'tests', 'e2e', 'out');
fs.mkdirSync(outDir, { recursive: true });

// What Chromium's process said and how it ended, per profile directory. Playwright reports its
// browser process (the command, `<launched> pid=N`, Chromium's stderr, `<process did exit: exitCode=…,
// signal=…>`) to its `pw:browser` debug channel; it is taken here instead of printed, so that a browser
// that exits on its own can be told apart from one we closed, and its last words shown with the test.
const browserLogs = new Map(); // profile dir → { pid, lines[] }
const byPid = new Map();
let launchingDir = null;
{
  const { debug } = require('playwright-core/lib/utilsBundle');
  const passOn = debug.log ?? ((...a) => process.stderr.write(`${util.format(...a)}\n`));
  const asked = process.env.DEBUG; // what the user asked to see printed
  debug.log = (...args) => {
    const line = util.format(...args);
    const at = line.indexOf('pw:browser ');
    if (at < 0 || (asked ?? '').includes('pw:browser')) passOn(...args);
    if (at < 0) return;
    const msg = line
      .slice(at + 'pw:browser '.length)
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/ \+\d+m?s$/, '');
    const dir = msg.match(/^<launching> .*--user-data-dir=(\S+)/)?.[1];
    if (dir) launchingDir = dir;
    const launched = msg.match(/^<launched> pid=(\d+)/)?.[1];
    if (launched && launchingDir && browserLogs.has(launchingDir)) {
      browserLogs.get(launchingDir).pid = Number(launched);
      byPid.set(Number(launched), browserLogs.get(launchingDir));
    }
    const pid = Number(msg.match(/^\[pid=(\d+)\]/)?.[1]);
    const log = byPid.get(pid);
    if (log) {
      log.lines.push(`${new Date().toISOString()} ${msg}`);
      if (log.lines.length > 200) log.lines.splice(0, 100);
    }
  };
  debug.enable([asked, 'pw:browser'].filter(Boolean).join(','));
  // enable() also writes DEBUG into the environment, which the server and Chromium would inherit
  if (asked === undefined) delete process.env.DEBUG;
  else process.env.DEBUG = asked;
}

/** The browsers open in this test file: one that dies takes the others of its test down with it (see close()). */
const openBrowsers = new Set();
/** Every browser death seen in this process ({ what, at, afterS }), for test()'s one rerun. */
const deaths = [];

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

/** Launches Chromium on a fresh profile; a launch that fails is tried once more (said loudly), as no test has touched it yet. */
async function launch(options) {
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongdan-chromium-'));
    const log = { pid: null, lines: [] };
    browserLogs.set(dir, log);
    try {
      const ctx = await chromium.launchPersistentContext(dir, { ...options, args: ARGS });
      return { ctx, dir, log };
    } catch (e) {
      browserLogs.delete(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      if (attempt > 1) throw e;
      process.stderr.write(`\n!!! e2e: Chromium failed to launch; launching it once more. The error was:\n${e.message}\n\n`);
    }
  }
}

/**
 * One browser with a fresh temporary profile. Records console errors and page errors;
 * `assertClean()` fails the test if there were any.
 *
 * It asks pages for reduced motion (prefers-reduced-motion: reduce), as the workbench then opens
 * dialogs, drawers and popups at once (no click lands on a dialog still zooming in); `motion: true`
 * keeps the animations, for the suite that tests the animated path.
 *
 * If Chromium exits without our close() (its process died, or a page crashed), that is recorded, said
 * at once on stderr, and close() fails the test saying so, keeping the profile (and any crash dump) under
 * tests/e2e/out/.
 */
export async function openBrowser({ width = 1280, height = 800, motion = false } = {}) {
  const launchedAt = Date.now();
  const { ctx, dir, log } = await launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: motion ? 'no-preference' : 'reduce',
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems = [];
  let closing = false;
  let died = null;
  const noteDeath = (what) => {
    if (closing || died) return;
    const at = new Date();
    died = { what, at, afterS: ((at.getTime() - launchedAt) / 1000).toFixed(1) };
    deaths.push(died);
    process.stderr.write(`\n!!! e2e: ${describeDeath(died, log)}\n${log.lines.slice(-30).join('\n')}\n\n`);
  };
  const watch = (p) => {
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('crash', () => noteDeath(`a page of Chromium (${p.url()}) crashed`));
  };
  watch(page);
  ctx.on('page', watch);
  ctx.on('close', () => noteDeath('Chromium exited on its own'));
  const B = {
    ctx,
    page,
    problems,
    /** Why this browser went away without close(), if it did: { what, at, afterS }. */
    get died() {
      return died;
    },
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
    /**
     * Closes the browser and removes its profile. If Chromium had gone away on its own, it throws
     * (whatever the test saw after that, e.g. "Target page, context or browser has been closed", followed
     * from it), after closing the test's other browsers (their close() may never be reached) and keeping
     * the profile and Chromium's last log lines under tests/e2e/out/.
     */
    async close() {
      if (closing) return;
      // a test that failed on the dead browser can get here before its 'close' event
      const browser = ctx.browser();
      if ((browser && !browser.isConnected()) || exitOf(log)) noteDeath('Chromium exited on its own');
      closing = true;
      openBrowsers.delete(B);
      await ctx.close().catch(() => undefined);
      // the pipe closes before Playwright sees the process end: wait a little for its exit code or signal
      for (let i = 0; died && i < 50 && !exitOf(log); i++) await new Promise((r) => setTimeout(r, 100));
      browserLogs.delete(dir);
      if (log.pid) byPid.delete(log.pid);
      if (!died) {
        fs.rmSync(dir, { recursive: true, force: true });
        return;
      }
      const kept = path.join(outDir, `chromium-died-${died.at.toISOString().replace(/[:.]/g, '-')}-pid${log.pid ?? 'unknown'}`);
      fs.cpSync(dir, kept, { recursive: true });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.writeFileSync(path.join(kept, 'chromium.log'), `${log.lines.join('\n')}\n`);
      keepCrashDumps(kept, launchedAt);
      for (const other of [...openBrowsers]) await other.close().catch(() => undefined);
      throw new Error(`${describeDeath(died, log)}; its profile, any crash dump and its log are kept in ${path.relative(repoRoot, kept)}`);
    },
  };
  openBrowsers.add(B);
  return B;
}

// Chromium (Debian's build) writes a crash's minidump to its crash database under the user's config
// directory, whatever the profile: those written since this browser's launch go with its profile.
const crashDumps = path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'chromium', 'Crash Reports', 'pending');
function keepCrashDumps(kept, since) {
  let names = [];
  try {
    names = fs.readdirSync(crashDumps);
  } catch {
    return;
  }
  for (const name of names) {
    const from = path.join(crashDumps, name);
    if (fs.statSync(from).mtimeMs >= since - 1000) fs.cpSync(from, path.join(kept, 'crash-reports', name));
  }
}

const exitOf = (log) => log.lines.map((l) => l.match(/<process did exit: (.*)>/)?.[1]).find(Boolean);

/** "Chromium exited on its own at …, N s after launch (pid, exit code, signal)". */
function describeDeath(died, log) {
  const exit = exitOf(log);
  return `${died.what} at ${died.at.toISOString()}, ${died.afterS} s after launch (pid ${log.pid ?? 'unknown'}${exit ? `, ${exit}` : ', still running or exit not yet seen'})`;
}

/**
 * node:test's test(), run once more when Chromium died under it: a test whose browser exited on its own
 * (see openBrowser) is run again, once, said loudly in its output; a test that failed any other way (an
 * assertion, a timeout) fails as it did. Why: Chromium's browser process itself crashed now and then on
 * the loaded CI host (a SIGSEGV in libfontconfig on one of its thread-pool threads; docs/testing.md), not
 * anything the test did. Each run has the test's own time limit.
 */
export function test(name, ...rest) {
  const fn = rest.pop();
  const opts = rest[0] ?? {};
  const limit = opts.timeout ?? Infinity;
  return nodeTest(name, { ...opts, timeout: limit * 2 }, async (t) => {
    for (let run = 1; ; run++) {
      const since = Date.now();
      try {
        await withinLimit(fn(t), limit, name);
        return;
      } catch (e) {
        for (const b of [...openBrowsers]) await b.close().catch(() => undefined);
        const death = deaths.find((d) => d.at.getTime() >= since);
        if (!death || run > 1) throw e;
        process.stderr.write(
          `\n!!!!!!!! e2e: RUNNING THE TEST AGAIN: "${name}" failed after Chromium died under it (${death.what}, ${death.afterS} s after launch).\n` +
            `!!!!!!!! The first run's error was: ${e?.stack ?? e}\n\n`,
        );
      }
    }
  });
}

async function withinLimit(promise, ms, name) {
  if (ms === Infinity) return promise;
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`test "${name}" timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
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
