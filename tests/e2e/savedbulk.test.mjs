// Saved filters and bulk work in the workbench, and the chat panel's settings screen (zh, 1440 px and
// 390 px):
// 1. a lead saves 全店工单 filtered by a keyword as a filter shared with the shop; it shows above the list
//    and in the menu with its count, which moves live when a work order is created over the API;
// 2. the lead selects the page (全选本页) and transfers them all through the bulk path: one progress bar,
//    then 成功 n 条，失败 1 条 with the one cancelled behind the page's back named by number and the reason
//    in Chinese; the others are handled by the new agent, the cancelled one is untouched;
// 3. on 聊天侧边栏设置 the lead sets the origins (a bad one is refused in Chinese) and makes a new secret,
//    shown once; the owner's 操作记录 lists both changes.
// Screenshots: tests/e2e/out/savedbulk-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, pickOption, test } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

const account = srv.account;

/** Nothing on the page is wider than the window. */
async function fitsWidth(page, width) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `page is ${w}px wide at ${width}px`);
}

test('a saved filter with its live count, and a bulk transfer with one progress bar and a result per work order', { timeout: 300_000 }, async () => {
  const lead = account('tea_lead');
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const users = (await L.call('GET', '/users')).json.items;
  const agent1 = users.find((u) => u.username === 'tea_agent1');
  const agent2 = users.find((u) => u.username === 'tea_agent2');

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const word = `批量演练${width}`;
    const made = [];
    for (let i = 0; i < 6; i++) {
      const r = await L.call('POST', '/workorders', { type: 'after_sales', title: `${word} 第${i + 1}单`, content: '退款跟进', handler_id: agent1.id });
      assert.equal(r.status, 201, r.text);
      made.push(r.json);
    }
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/list/shop?q=${encodeURIComponent(word)}`);
      await p.getByRole('link', { name: made[0].number, exact: true }).first().waitFor({ timeout: 15_000 });

      // save the filter, shared with the shop
      await p.getByTestId('save-filter').click();
      const form = p.getByTestId('save-filter-form');
      await form.getByRole('textbox').fill(`售后 ${width}`);
      await p.getByTestId('save-filter-shared').check();
      await p.locator('.ant-modal:visible .ant-modal-footer .ant-btn-primary').click();
      const tag = p.getByTestId('saved-view').filter({ hasText: `售后 ${width}` });
      await tag.and(p.locator('[data-count="6"]')).waitFor({ timeout: 15_000 });
      assert.equal(await tag.locator('a').getAttribute('aria-current'), 'page', 'the list shows that filter now');
      await fitsWidth(p, width);
      await B.shot(`savedbulk-${width}-saved`);

      // live: one more matching work order moves the count without a reload
      const extra = await L.call('POST', '/workorders', { type: 'after_sales', title: `${word} 第7单`, content: '退款跟进', handler_id: agent1.id });
      assert.equal(extra.status, 201, extra.text);
      made.push(extra.json);
      await tag.and(p.locator('[data-count="7"]')).waitFor({ timeout: 15_000 });
      if (width === 1440) {
        const saved = (await L.call('GET', '/savedfilters')).json.items.find((f) => f.name === `售后 ${width}`);
        const badge = p.getByTestId(`badge-saved-${saved.id}`);
        await badge.and(p.locator('[data-count="7"]')).waitFor({ timeout: 15_000 });
      }

      if (width === 390) {
        // the phone's list has no selection: bulk work is a desk's job
        assert.equal(await p.getByTestId('bulk-transfer').count(), 0);
        B.assertClean();
        continue;
      }

      // bulk transfer of the page through the bulk path
      await p.getByRole('link', { name: extra.json.number, exact: true }).first().waitFor({ timeout: 15_000 });
      await p.getByRole('checkbox', { name: '全选本页', exact: true }).check();
      await p.getByText('已选 7 条').waitFor();
      // behind the page's back, one of them is cancelled: its transfer fails alone
      const gone = made[2];
      assert.equal((await L.call('POST', `/workorders/${gone.id}/cancel`, { reason: '买家撤销' })).status, 200);
      await p.getByTestId('bulk-transfer').click();
      const dlg = p.locator('.ant-modal:visible');
      await dlg.getByText('批量转交（7）').waitFor();
      await pickOption(p, dlg.getByTestId('handler-picker'), agent2.username);
      await dlg.locator('textarea').fill('人手调整：转给二号客服');
      await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
      const progress = p.locator('[data-testid=bulk-progress][data-finished=true]');
      await progress.waitFor({ timeout: 30_000 });
      assert.equal(await p.getByTestId('bulk-summary').innerText(), '成功 6 条，失败 1 条');
      const failures = p.getByTestId('bulk-failure');
      assert.equal(await failures.count(), 1);
      const failure = await failures.innerText();
      assert.ok(failure.includes(gone.number), `the failure is named by number: ${failure}`);
      assert.ok(failure.includes('工单当前的状态不允许此操作'), `the reason in Chinese: ${failure}`);
      await p.getByText('已处理 7 / 7 条').waitFor();
      await B.shot(`savedbulk-${width}-bulk-result`);
      await p.getByTestId('bulk-close').click();
      await p.getByTestId('selected-count').waitFor({ state: 'detached' });

      for (const w of made) {
        const d = (await L.call('GET', `/workorders/${w.id}`)).json;
        if (w.id === gone.id) {
          assert.equal(d.workorder.state, 'cancelled');
          assert.equal(d.workorder.handler.id, agent1.id, 'the cancelled one is untouched');
          assert.ok(!d.events.some((e) => e.kind === 'transferred'));
        } else {
          assert.equal(d.workorder.handler.id, agent2.id, `${w.number} went to agent2`);
          assert.equal(d.events.filter((e) => e.kind === 'transferred').pop().data.reason, '人手调整：转给二号客服');
        }
      }
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});

test('聊天侧边栏设置: origins set (a bad one refused in Chinese), a new secret shown once, both in the owner\'s 操作记录', { timeout: 300_000 }, async () => {
  const lead = account('tea_lead');
  const owner = account('tea_owner');
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/panel-settings`);
      const origins = p.getByTestId('panel-origins');
      await origins.waitFor({ timeout: 15_000 });
      const input = origins.locator('input');
      const origin = `https://im${width}.example.com`;
      await input.fill('http://evil.example.com');
      await input.press('Enter');
      await p.getByTestId('panel-origins-save').click();
      const refused = p.getByTestId('error-desc').first();
      await refused.waitFor({ timeout: 15_000 });
      assert.match(await refused.innerText(), /允许嵌入的来源/, 'the refusal names the field in Chinese');
      B.expectedConsole(/422/);
      // take the bad one out, put a good one in
      const bad = origins.locator('.ant-select-selection-item[title="http://evil.example.com"]');
      await bad.locator('.ant-select-selection-item-remove').click();
      await bad.waitFor({ state: 'detached' });
      await input.fill(origin);
      await input.press('Enter');
      await p.getByTestId('panel-origins-save').click();
      await p.locator('.ant-message').getByText('已保存允许嵌入的来源').waitFor({ timeout: 15_000 });

      await p.getByTestId('panel-secret-new').click();
      await p.locator('.ant-modal-confirm .ant-btn-dangerous').click();
      const secret = await p.getByTestId('panel-secret').innerText({ timeout: 15_000 });
      assert.match(secret.trim(), /^gdp_[A-Za-z0-9_-]{43}$/);
      assert.equal(await p.getByTestId('panel-secret-state').innerText(), '已设置');
      await fitsWidth(p, width);
      await B.shot(`savedbulk-${width}-panel-settings`);
      B.assertClean();
    } finally {
      await B.close();
    }
    const O = await openBrowser({ width, height });
    try {
      const p = O.page;
      await login(p, srv.url, owner);
      await p.goto(`${srv.url}/people`);
      await p.getByText('生成侧边栏链接密钥').first().waitFor({ timeout: 15_000 });
      await p.getByText(`https://im${width}.example.com`).first().waitFor({ timeout: 15_000 });
      await p.getByText('修改侧边栏允许嵌入的来源').first().waitFor();
      O.assertClean();
    } finally {
      await O.close();
    }
  }
});
