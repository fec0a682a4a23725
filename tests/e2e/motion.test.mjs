// The workbench honours the "reduce motion" setting (prefers-reduced-motion: reduce): a dialog is fully
// open the moment it appears (antd's zoom is off), a chart draws at once, our own transitions are off;
// without the setting the dialog zooms in as before; and a change of the setting is followed live.
// (The other browser suites run with the setting on, as openBrowser asks for it; lead-day keeps motion.)
import assert from 'node:assert/strict';
import { animationsDone, login, openBrowser, test } from './browser.mjs';
import { leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

/**
 * Opens the list's 保存筛选 dialog and returns how it looked at each change from the moment it was added to
 * the page: its class list, transform and opacity (a MutationObserver records them as they happen, so a
 * loaded machine cannot make the test miss the zoom). With motion antd steps the dialog through
 * ant-zoom-appear-prepare, -start and -active (scale(0) growing to full size); with motion off only
 * through -prepare, for one frame, at full size (antd places the dialog there), and no zoom runs.
 */
async function openDialog(page) {
  await page.evaluate(() => {
    const seen = (window.__dialogSeen = []);
    const note = (el) => {
      const cs = getComputedStyle(el);
      seen.push({ classes: el.className, transform: cs.transform, animation: cs.animationName });
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.target.classList?.contains('ant-modal')) note(r.target);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          for (const el of [n, ...n.querySelectorAll('.ant-modal')]) if (el.classList.contains('ant-modal')) note(el);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
  await page.getByTestId('save-filter').click();
  await page.locator('.ant-modal:visible').getByTestId('save-filter-form').waitFor();
  await animationsDone(page);
  const seen = await page.evaluate(() => window.__dialogSeen);
  const opacity = await page.locator('.ant-modal:visible').evaluate((el) => getComputedStyle(el).opacity);
  return { seen, opacity };
}

async function closeDialog(page) {
  await page.locator('.ant-modal:visible .ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();
  await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
}

async function openFilteredList(page) {
  await page.goto(`${srv.url}/list/shop?q=${encodeURIComponent('退款')}`);
  await page.getByTestId('save-filter').waitFor({ timeout: 60_000 });
}

/** Whether the dialog went through the zoom's animated steps (scale(0) growing to full size). */
const zoomed = ({ seen }) => seen.some((s) => /\bant-zoom-(appear|enter)-(start|active)\b/.test(s.classes) || s.animation.includes('Zoom'));
/** Whether the dialog was at full size whenever it changed. */
const fullSize = ({ seen }) => seen.length > 0 && seen.every((s) => s.transform === 'none');

test('with reduced motion a dialog is fully open when it appears; without it, it zooms in; a change is followed live', { timeout: 180_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);

  const R = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = R.page;
    assert.equal(await p.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true, 'openBrowser asks for reduced motion');
    await login(p, srv.url, lead);
    await openFilteredList(p);
    const still = await openDialog(p);
    assert.equal(zoomed(still), false, `no zoom with reduced motion: ${JSON.stringify(still.seen)}`);
    assert.ok(fullSize(still), `the dialog is at full size from the moment it is added: ${JSON.stringify(still.seen)}`);
    assert.equal(still.opacity, '1');
    await closeDialog(p);
    R.assertClean();
  } finally {
    await R.close();
  }

  const M = await openBrowser({ width: 1440, height: 900, motion: true });
  try {
    const p = M.page;
    await login(p, srv.url, lead);
    await openFilteredList(p);
    const moving = await openDialog(p);
    assert.ok(zoomed(moving), `the dialog zooms in without the setting: ${JSON.stringify(moving.seen)}`);
    assert.ok(!fullSize(moving), 'it starts small');
    assert.equal(moving.opacity, '1');
    await closeDialog(p);

    // the user turns the setting on while the workbench is open: the next dialog opens at once
    await p.emulateMedia({ reducedMotion: 'reduce' });
    const after = await openDialog(p);
    assert.equal(zoomed(after), false, `no zoom once the setting is on: ${JSON.stringify(after.seen)}`);
    assert.ok(fullSize(after), `at full size at once: ${JSON.stringify(after.seen)}`);
    await closeDialog(p);
    M.assertClean();
  } finally {
    await M.close();
  }
});

test("at phone width, with reduced motion, our own buttons' transitions are off, and on without it", { timeout: 120_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  for (const motion of [false, true]) {
    const B = await openBrowser({ width: 390, height: 844, motion });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/list/shop`);
      const button = p.locator('.pbtn').first();
      await button.waitFor({ timeout: 60_000 });
      const duration = await button.evaluate((el) => getComputedStyle(el).transitionDuration);
      if (motion) assert.notEqual(duration, '0s', 'a plain button eases its colour without the setting');
      else assert.equal(duration, '0s', 'a plain button changes colour at once with the setting');
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});
