// The notification centre and group robots in the browser, in Chinese at 1440 px and 390 px: an
// agent's bell goes up live when their lead chases a work order of theirs (nothing reloads), the
// list shows the chase with the lead's words, marking all read brings the bell to 0, and a kind
// can be turned off; a lead adds a WeCom group robot on 群机器人 (an http:// address is refused in
// the form first). Screenshots: tests/e2e/out/notify-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

const bellCount = async (page) => {
  const v = await page.getByTestId('bell').getAttribute('data-count');
  return v === '' || v === null ? null : Number(v);
};
/** Waits until the bell shows `want` (it moves by the live stream alone). */
async function bellReaches(page, want, timeout = 15_000) {
  await page.waitForFunction((n) => document.querySelector('[data-testid=bell]')?.getAttribute('data-count') === String(n), want, { timeout });
}

test('the bell counts up live when the lead chases; the list shows it; mark all read; turn a kind off', { timeout: 300_000 }, async () => {
  const { lead, agent } = leadAndAgent(srv.accounts);
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const A = await apiLogin(srv.url, agent.username, agent.password);
  const me = (await A.call('GET', '/me')).json.user;

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const b = await openBrowser({ width, height });
    try {
      const p = b.page;
      const wo = (await L.call('POST', '/workorders', { type: 'after_sales', title: `退款 ${width}`, handler_id: me.id })).json;
      assert.ok(wo.id, JSON.stringify(wo));
      await login(p, srv.url, agent);
      await p.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid=bell]')?.getAttribute('data-count') ?? ''), null, { timeout: 15_000 });
      const before = await bellCount(p);
      assert.ok(before >= 1, 'the assignment is unread');

      // another user chases: the bell moves by itself
      const chase = await L.call('POST', `/workorders/${wo.id}/chase`, { text: `买家第三次来问了 ${width}` });
      assert.equal(chase.status, 200, chase.text);
      await bellReaches(p, before + 1);

      await p.getByTestId('bell').click();
      await p.waitForURL(/\/notifications$/);
      const first = p.getByTestId('notify-item').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('data-kind'), 'chased');
      assert.equal(await first.getAttribute('data-read'), 'false');
      const text = await first.innerText();
      assert.ok(text.includes(wo.number) && text.includes(`买家第三次来问了 ${width}`) && text.includes('催办'), text);
      await p.getByTestId('notify-unread').filter({ hasText: `${before + 1} 条未读` }).waitFor();
      await b.shot(`notify-list-${width}`);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal scroll at ${width} px (overflow ${overflow}px)`);

      await p.getByTestId('notify-read-all').click();
      await bellReaches(p, 0);
      await p.locator('[data-testid=notify-item][data-read=false]').first().waitFor({ state: 'detached' });
      assert.equal((await A.call('GET', '/notifications')).json.unread, 0);
    } finally {
      b.assertClean();
      await b.close();
    }
  }

  // a kind turned off on the page is not told any more
  const b = await openBrowser({ width: 390, height: 844 });
  try {
    const p = b.page;
    await login(p, srv.url, agent);
    await p.goto(`${srv.url}/notifications`);
    const sw = p.getByTestId('pref-chased');
    await p.waitForFunction(() => document.querySelector('[data-testid=pref-chased]')?.getAttribute('aria-checked') === 'true');
    await sw.click();
    await p.waitForFunction(() => document.querySelector('[data-testid=pref-chased]')?.getAttribute('aria-checked') === 'false');
    for (let i = 0; i < 50 && !(await A.call('GET', '/notifications/preferences')).json.muted.includes('chased'); i++) await p.waitForTimeout(100);
    assert.deepEqual((await A.call('GET', '/notifications/preferences')).json.muted, ['chased']);
    await b.shot('notify-prefs-390');
  } finally {
    b.assertClean();
    await b.close();
  }
});

test('a lead adds a WeCom group robot on 群机器人', { timeout: 300_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const b = await openBrowser({ width, height });
    try {
      const p = b.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/robots`);
      await p.locator('label.ant-radio-button-wrapper').filter({ hasText: '企业微信' }).click();
      await p.locator('label.ant-radio-button-wrapper-checked').filter({ hasText: '企业微信' }).waitFor();
      await p.getByTestId('robot-secret').waitFor({ state: 'detached' }); // WeCom has no secret
      await p.getByTestId('robot-url').fill('http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x');
      await p.getByTestId('robot-add').click();
      await p.getByText('群机器人地址须以 https:// 开头').waitFor();
      // the e2e server allows private addresses (--webhook-allow-private): a loopback robot is taken
      await p.getByTestId('robot-url').fill(`https://127.0.0.1:9/cgi-bin/webhook/send?key=e2e${width}`);
      await p.getByTestId('robot-add').click();
      await p.getByTestId('robot').filter({ hasText: `key=e2e${width}` }).waitFor();
      assert.ok((await p.getByTestId('robot').filter({ hasText: `key=e2e${width}` }).innerText()).includes('企业微信'));
      await b.shot(`notify-robots-${width}`);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal scroll at ${width} px (overflow ${overflow}px)`);
    } finally {
      b.assertClean();
      await b.close();
    }
  }
});
