// Assignment rules and availability in Chinese at 1440 px and 390 px (docs/assignment.md): a lead
// sets a type's rule on 分派规则 (how, which members in which order, moving work when someone goes
// offline) and sees the team's status there; an agent switches their own status in the header
// (忙碌, then back to 在线); a work order created without a handler then goes to the member who is
// online, and its timeline says which rule placed it. Nothing is wider than a 390 px screen.
// Screenshots: tests/e2e/out/assign-*.png.
import assert from 'node:assert/strict';
import { animationsDone, login, openBrowser, test } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

/** Adds `name` to the antd multiple Select `select` (its popup stays open between picks): typed, clicked, and checked
 * in the Select's tags; a click lost while the popup opens is made again. */
async function addMember(page, select, name) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    await select.locator('input').first().fill(name);
    const opt = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).first();
    await opt.waitFor({ state: 'visible', timeout: 10_000 });
    await opt.click();
    for (let i = 0; i < 20; i++) {
      if ((await select.locator('.ant-select-selection-item').allInnerTexts()).some((t) => t.includes(name))) {
        await page.keyboard.press('Escape');
        return;
      }
      await page.waitForTimeout(100);
    }
  }
  assert.fail(`the member ${name} was not added`);
}

const noWiderThanScreen = async (p) =>
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'nothing wider than the screen');

test('a lead sets a rule on 分派规则, an agent switches their status, and a new work order goes by the rule to who is online', { timeout: 300_000 }, async () => {
  const lead = srv.accounts.find((a) => a.role === 'shop_lead');
  const agents = srv.accounts.filter((a) => a.role === 'shop_agent' && a.shop === lead.shop).slice(0, 2);
  assert.equal(agents.length, 2, "two agents of the lead's shop");
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const [one, two] = await Promise.all(agents.map(async (a) => (await apiLogin(srv.url, a.username, a.password)).user));
  // a type of the shop's own is offered beside the built-in ones, by its name
  const own = await L.call('POST', '/workorder_types', { name_zh: '返厂维修', name_en: 'Factory repair' });
  assert.equal(own.status, 201, own.text);

  for (const [width, height, type, typeZh] of [[1440, 900, 'after_sales', '售后处理'], [390, 844, 'waybill', '打单']]) {
    // the lead's page: the team, then the type's rule set through the form
    let B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/assignment`);
      await p.getByTestId('assign-team').getByTestId('assign-person').first().waitFor({ timeout: 15_000 });
      assert.match(await p.locator(`[data-testid="assign-rule"][data-type="${own.json.key}"]`).innerText(), /返厂维修[\s\S]*未设置/);
      assert.equal(await p.locator('[data-testid="assign-rule"][data-type="collab"]').count(), 0, "the platform's type takes no rule");
      const row = p.locator(`[data-testid="assign-rule"][data-type="${type}"]`);
      assert.match(await row.innerText(), /未设置/);
      await row.getByTestId('assign-edit').click();
      // the dialog finishes opening first: a click taken while it zooms in can be lost (a CI run under ASan lost the OK)
      await animationsDone(p);
      await p.getByTestId('assign-kind-round_robin').check();
      // nobody chosen: the form says so before the server does
      await p.getByTestId('assign-submit').click();
      await p.getByText('请至少选择一位成员').waitFor();
      const members = p.getByTestId('assign-members-input');
      await addMember(p, members, one.display_name);
      await addMember(p, members, two.display_name);
      await p.getByTestId('assign-reassign').check();
      await B.shot(`assign-form-${width}`);
      await p.getByTestId('assign-submit').click();
      await row.getByTestId('assign-kind').filter({ hasText: '轮流分派' }).waitFor({ timeout: 10_000 });
      assert.equal(await row.getByTestId('assign-members').innerText(), `${one.display_name} → ${two.display_name}`);
      await noWiderThanScreen(p);
      await B.shot(`assign-rules-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }

    // the first agent: 忙碌 from the header's switch
    B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, agents[0]);
      const sw = p.getByTestId('status-switch');
      await sw.waitFor({ timeout: 15_000 });
      assert.equal(await sw.getAttribute('data-status'), 'online');
      await sw.click();
      await p.getByTestId('status-busy').click();
      await p.locator('[data-testid="status-switch"][data-status="busy"]').waitFor({ timeout: 10_000 });
      await p.getByText('状态已改为忙碌').waitFor();
      await p.locator('.ant-dropdown-menu').waitFor({ state: 'hidden' });
      // At 390 px the message lies over the header's switch, and it stays while the pointer (left where the menu
      // item was) rests on it: move away, as a person's finger does, and let it go before the switch is used again.
      await p.mouse.move(1, height - 1);
      await p.getByText('状态已改为忙碌').waitFor({ state: 'hidden', timeout: 15_000 });
      await noWiderThanScreen(p);
      await B.shot(`assign-status-${width}`);

      // busy: the rule gives new work to the other member, and says so on the timeline
      const wo = await L.call('POST', '/workorders', { type, title: `按规则分派 ${width}` });
      assert.equal(wo.status, 201, wo.text);
      assert.equal(wo.json.handler.id, two.id);
      const lp = await openBrowser({ width, height });
      try {
        await login(lp.page, srv.url, lead);
        await lp.page.goto(`${srv.url}/assignment`);
        await lp.page.locator(`[data-testid="assign-person"][data-user="${one.id}"][data-status="busy"]`).waitFor({ timeout: 15_000 });
        await lp.page.goto(`${srv.url}/wo/${wo.json.id}`);
        await lp.page.getByText(`按分派规则「${typeZh} · 轮流分派」指派给 ${two.display_name}`).waitFor({ timeout: 15_000 });
        await noWiderThanScreen(lp.page);
        await lp.shot(`assign-timeline-${width}`);
        lp.assertClean();
      } finally {
        await lp.close();
      }

      // back to 在线: the round goes on with them
      await sw.click();
      await p.getByTestId('status-online').click();
      await p.locator('[data-testid="status-switch"][data-status="online"]').waitFor({ timeout: 10_000 });
      const next = await L.call('POST', '/workorders', { type, title: `轮到 ${width}` });
      assert.equal(next.json.handler.id, one.id);
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});
