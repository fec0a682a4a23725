// Time targets (时效目标, docs/targets.md) in Chinese at 1440 px and 390 px: a lead sets the
// after-sales targets on the 时效目标 page; an agent sees a new work order's targets beside it,
// puts it to 等待买家 and sees the resolution clock paused (the action also met the first-response
// target); the lead's statistics show the targets met by type. A shop's own type is offered beside
// the built-in ones, takes a target, and its statistics row shows its name. Nothing is wider than
// the screen.
// Screenshots: tests/e2e/out/targets-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile({ testClock: true });

const overflow = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a lead sets targets per type; an agent sees them on the work order and pauses the clock with 等待买家; statistics show them met', { timeout: 300_000 }, async () => {
  const { lead, agent } = leadAndAgent(srv.accounts);
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const A = await apiLogin(srv.url, agent.username, agent.password);
  const me = (await A.call('GET', '/me')).json.user;

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    let B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.getByTestId('nav-targets').first().click({ timeout: 15_000 }).catch(async () => p.goto(`${srv.url}/targets`));
      await p.waitForURL(/\/targets$/);
      await p.getByTestId('targets-start').waitFor({ timeout: 15_000 });
      if (width === 1440) {
        // the picker adds a card and stays empty (it offers the types left), so the card is what is waited for
        const card = p.getByTestId('target-after_sales');
        for (let attempt = 0; attempt < 3 && !(await card.isVisible()); attempt++) {
          await p.getByTestId('targets-add').click();
          const opt = p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '售后处理' }).first();
          await opt.waitFor({ state: 'visible', timeout: 10_000 });
          await opt.click();
          await card.waitFor({ timeout: 3000 }).catch(() => undefined);
        }
        await card.waitFor();
        await p.getByTestId('fr-after_sales').fill('30');
        await p.getByTestId('res-after_sales').fill('480');
        await p.getByTestId('remind-after_sales').fill('10');
        await p.getByTestId('escalate-after_sales').click();
        await p.getByTestId('targets-save').click();
        await p.getByText('已保存').first().waitFor({ timeout: 10_000 });
        const saved = (await L.call('GET', '/targets')).json;
        assert.deepEqual(saved.types, [{ type: 'after_sales', first_response_minutes: 30, resolution_minutes: 480, remind_before_minutes: 10, escalate_to_queue: true }]);
      } else {
        // what was saved is what the page shows
        assert.equal(await p.getByTestId('res-after_sales').inputValue(), '480');
      }
      assert.ok((await overflow(p)) <= 0, `the targets page is wider than ${width} px`);
      await B.shot(`targets-settings-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }

    const wo = await L.call('POST', '/workorders', { type: 'after_sales', title: `买家退款 ${width}`, content: '商品破损，申请退款', handler_id: me.id });
    assert.equal(wo.status, 201, wo.text);

    B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, agent);
      await p.goto(`${srv.url}/wo/${wo.json.id}`);
      const card = p.getByTestId('targets-card');
      await card.waitFor({ timeout: 15_000 });
      await p.getByTestId('target-first_response').getByText('进行中').waitFor();
      await p.getByTestId('target-resolution').getByText(/剩余工作时间/).waitFor();
      await p.getByTestId('act-wait_buyer').click();
      const dlg = p.locator('.ant-modal:visible');
      await dlg.locator('textarea').fill('已请买家补充破损照片');
      await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
      await p.locator('[data-state="waiting_buyer"]').first().waitFor({ timeout: 15_000 });
      await p.getByTestId('target-resolution').getByText('已暂停：等待买家').waitFor({ timeout: 15_000 });
      await p.getByTestId('target-first_response').getByText('已达成').waitFor();
      assert.ok((await overflow(p)) <= 0, `the work order page is wider than ${width} px`);
      await B.shot(`targets-workorder-${width}`);
      // an hour later (the server's test clock) the buyer answers: back to work, the clock runs again
      const moved = await fetch(`${srv.url}/api/v1/_test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance_ms":3600000}' });
      assert.equal(moved.status, 200);
      await p.getByTestId('act-start').click();
      await p.locator('[data-state="in_progress"]').first().waitFor({ timeout: 15_000 });
      await p.getByTestId('target-resolution').getByText(/截止/).waitFor({ timeout: 15_000 });
      await p.getByTestId('target-paused').getByText('累计暂停 1小时').waitFor({ timeout: 15_000 });
      B.assertClean();
    } finally {
      await B.close();
    }

    B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/stats`);
      const byType = p.getByTestId('target-stats-type');
      await byType.waitFor({ timeout: 20_000 });
      await byType.getByText('售后处理').waitFor();
      await byType.getByText('100.0%').first().waitFor();
      assert.ok((await overflow(p)) <= 0, `the statistics page is wider than ${width} px`);
      await B.shot(`targets-stats-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});

test("the shop's own type is listed beside the built-in ones, takes targets, and its statistics show its name", { timeout: 300_000 }, async () => {
  const { lead, agent } = leadAndAgent(srv.accounts);
  // the test before moved the server's clock an hour ahead; the statistics page asks for the
  // browser's days, so between 23:00 and midnight in Shanghai the work order below would fall on
  // the server's tomorrow: the server's clock goes back to the browser's
  const reset = await fetch(`${srv.url}/api/v1/_test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: new Date().toISOString() }) });
  assert.equal(reset.status, 200);
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const A = await apiLogin(srv.url, agent.username, agent.password);
  const me = (await A.call('GET', '/me')).json.user;
  const made = await L.call('POST', '/workorder_types', { name_zh: '退货质检', name_en: 'Return inspection', default_deadline_hours: 0 });
  assert.equal(made.status, 201, made.text);
  const key = made.json.key;

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/targets`);
      await p.getByTestId('targets-start').waitFor({ timeout: 15_000 });
      const card = p.getByTestId(`target-${key}`);
      if (width === 1440) {
        for (let attempt = 0; attempt < 3 && !(await card.isVisible()); attempt++) {
          await p.getByTestId('targets-add').click();
          const opt = p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '退货质检' }).first();
          await opt.waitFor({ state: 'visible', timeout: 10_000 });
          await opt.click();
          await card.waitFor({ timeout: 3000 }).catch(() => undefined);
        }
        await card.getByText('退货质检').waitFor();
        await p.getByTestId(`res-${key}`).fill('240');
        await p.getByTestId('targets-save').click();
        await p.getByText('已保存').first().waitFor({ timeout: 10_000 });
        const saved = (await L.call('GET', '/targets')).json.types.find((x) => x.type === key);
        assert.deepEqual(saved, { type: key, first_response_minutes: 0, resolution_minutes: 240, remind_before_minutes: 0, escalate_to_queue: false });
        // a work order of the type, resolved in time, for the statistics below
        const wo = await L.call('POST', '/workorders', { type: key, title: '退货待质检', content: '买家退回商品', handler_id: me.id });
        assert.equal(wo.status, 201, wo.text);
        const done = await A.call('POST', `/workorders/${wo.json.id}/complete`, { text: '质检通过' });
        assert.equal(done.status, 200, done.text);
      } else {
        await card.getByText('退货质检').waitFor({ timeout: 15_000 });
        assert.equal(await p.getByTestId(`res-${key}`).inputValue(), '240');
      }
      assert.ok((await overflow(p)) <= 0, `the targets page is wider than ${width} px`);
      await B.shot(`targets-shop-type-${width}`);
      await p.goto(`${srv.url}/stats`);
      const byType = p.getByTestId('target-stats-type');
      await byType.waitFor({ timeout: 20_000 });
      await byType.getByText('退货质检').waitFor({ timeout: 15_000 });
      assert.ok((await overflow(p)) <= 0, `the statistics page is wider than ${width} px`);
      await B.shot(`targets-shop-type-stats-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});
