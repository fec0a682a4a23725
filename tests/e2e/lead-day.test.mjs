// A lead's day in the workbench, against the real server:
// home counts → list → create from an order → transfer to an agent → the work order goes overdue
// (server test clock) and the lead's 已超期 badge rises → the agent (second browser) completes it →
// the lead's 已超期 badge drops and the lead's open page shows 已完结, live, without a reload.
import assert from 'node:assert/strict';
import { animationsDone, badgeCount, login, openBrowser, pickOption, settledBadge, test, waitForBadge } from './browser.mjs';
import { leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile({ testClock: true });

// This suite keeps the workbench's animations (the others run with reduced motion, see openBrowser), so
// the animated path stays tested: each dialog and drawer is used once it has finished opening.
const motion = true;

test("a lead's day: create from order, transfer, agent completes, counts update live", { timeout: 180_000 }, async () => {
  const { lead, agent } = leadAndAgent(srv.accounts);
  const A = await openBrowser({ motion });
  const B = await openBrowser({ motion });
  try {
    const a = A.page;
    const b = B.page;

    // Home: the four counts, and the menu badges filled from /counts and the stream.
    await login(a, srv.url, lead);
    await a.getByTestId('count-todo').waitFor();
    await waitForBadge(a, 'todo', (n) => n !== null);
    for (const k of ['todo', 'due_soon', 'overdue', 'collab_awaiting']) {
      const txt = await a.getByTestId(`count-${k}`).innerText();
      assert.match(txt, /\d/, `home card ${k} shows a number: ${txt}`);
    }
    await A.shot('01-lead-home');

    // Clicking a count opens its list.
    await a.getByTestId('count-todo').click();
    await a.waitForURL(/\/list\/todo/);

    // The whole-shop list, with rows from the demo.
    await a.goto(`${srv.url}/list/shop`);
    // generous: under ASan on a loaded machine the first list query and its chunks take long
    await a.locator('.ant-table-row').first().waitFor({ timeout: 60_000 });
    const rows = await a.locator('.ant-table-row').count();
    assert.ok(rows > 0, 'shop list has rows');
    await A.shot('02-lead-shop-list');

    // The agent signs in in a second browser and waits on the home page.
    await login(b, srv.url, agent);
    const agentTodo0 = await waitForBadge(b, 'todo', (n) => n !== null);

    // Create from an order: search, pick, type 审单 (deadline preset 2 h), handler = the lead, a unique title.
    await a.goto(`${srv.url}/new`);
    await pickOption(a, a.getByTestId('order-search'), undefined);
    await a.getByTestId('order-card').waitFor();
    const amount = await a.getByTestId('order-amount').innerText();
    assert.match(amount, /^¥[\d,]+\.\d\d$/, `amount shown in yuan: ${amount}`);
    await pickOption(a, a.getByTestId('type-select'), '审单');
    await pickOption(a, a.getByTestId('create-handler'), lead.username);
    const unique = `E2E${Date.now()}`;
    await a.getByTestId('title-input').fill(`大额订单审核 ${unique}`);
    await a.getByTestId('content-input').fill('买家备注要开发票，请核对抬头和地址后再发货。');
    await A.shot('03-lead-create');
    await a.getByTestId('create-submit').click();
    await a.waitForURL(/\/wo\/[^/]+$/, { timeout: 15_000 });
    const woUrl = a.url();
    await a.getByTestId('wo-title').waitFor();
    assert.match(await a.getByTestId('wo-title').innerText(), new RegExp(unique));
    await a.getByTestId('order-card').waitFor();
    await A.shot('04-lead-workorder');

    // 编辑 (its dialog loads when first opened): filled in with the work order as it is; a new title is saved.
    await a.getByTestId('act-edit').click();
    const edlg = a.locator('.ant-modal:visible');
    const titleBox = edlg.locator('#title');
    await titleBox.waitFor();
    await animationsDone(a);
    assert.equal(await titleBox.inputValue(), `大额订单审核 ${unique}`);
    await titleBox.fill(`大额订单审核（已编辑） ${unique}`);
    await edlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await a.locator('[data-kind=edited]').first().waitFor({ timeout: 15_000 });
    await a.getByTestId('wo-title').filter({ hasText: '（已编辑）' }).waitFor();
    // opened again, it shows the saved title
    await a.getByTestId('act-edit').click();
    await a.locator('.ant-modal:visible #title').waitFor();
    await animationsDone(a);
    assert.equal(await a.locator('.ant-modal:visible #title').inputValue(), `大额订单审核（已编辑） ${unique}`);
    await a.locator('.ant-modal:visible .ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();
    await a.locator('.ant-modal:visible').waitFor({ state: 'detached' });

    // Transfer to the agent with a reason.
    await a.getByTestId('act-transfer').click();
    const dlg = a.locator('.ant-modal:visible');
    await dlg.waitFor();
    await animationsDone(a);
    await pickOption(a, dlg.getByTestId('handler-picker'), agent.username);
    await dlg.locator('textarea').fill('请审单同事处理');
    await A.shot('05-lead-transfer-dialog');
    await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await a.locator('[data-kind=transferred]').first().waitFor({ timeout: 15_000 });

    // The agent's 待我处理 badge goes up live (no reload on the agent's side).
    await waitForBadge(b, 'todo', (n) => n === agentTodo0 + 1);
    await B.shot('06-agent-home-live');

    // Time passes on the server (test clock: 2.5 h) and the 审单 work order (2 h) goes overdue:
    // the lead's 已超期 badge rises live; wait until it settles (other demo work orders fall due too).
    const overdue0 = await badgeCount(a, 'overdue');
    await srv.advanceClock(2.5 * 3600_000);
    await waitForBadge(a, 'overdue', (n) => n > overdue0);
    const overdue1 = await settledBadge(a, 'overdue');
    await A.shot('07a-lead-overdue-live');

    // The agent finds it by keyword, starts and completes it.
    await b.goto(`${srv.url}/list/todo?q=${unique}`);
    await b.getByRole('link', { name: /^GD-/ }).first().waitFor({ timeout: 15_000 });
    await B.shot('07-agent-list');
    await b.getByTestId('wo-link').first().click();
    await b.getByTestId('wo-title').waitFor();
    assert.match(await b.getByTestId('wo-title').innerText(), new RegExp(unique));
    if (await b.getByTestId('act-start').count()) {
      await b.getByTestId('act-start').click();
      await b.locator('[data-kind=state_changed]').first().waitFor({ timeout: 15_000 });
    }
    await b.getByTestId('act-complete').click();
    const cdlg = b.locator('.ant-modal:visible');
    await cdlg.waitFor();
    await animationsDone(b);
    await cdlg.locator('textarea').fill('已核对发票抬头和地址，审核通过');
    await cdlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await b.getByTestId('wo-state').filter({ hasText: '已完结' }).waitFor({ timeout: 15_000 });
    await B.shot('08-agent-completed');

    // Back on the lead's screen, without a reload: the page shows 已完结 and 已超期 dropped by one.
    assert.equal(a.url(), woUrl);
    await a.getByTestId('wo-state').filter({ hasText: '已完结' }).waitFor({ timeout: 15_000 });
    const overdue2 = await waitForBadge(a, 'overdue', (n) => n !== overdue1);
    assert.equal(overdue2, overdue1 - 1, "the lead's overdue count dropped by one, live");
    await A.shot('09-lead-live-done');

    // Timeline tells the story.
    for (const kind of ['created', 'transferred', 'state_changed']) assert.ok((await a.locator(`[data-kind=${kind}]`).count()) > 0, `timeline has ${kind}`);

    A.assertClean();
    B.assertClean();
  } finally {
    await A.close();
    await B.close();
  }
});

test('phone width: home, list and a work order are usable', { timeout: 120_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const P = await openBrowser({ width: 390, height: 844, motion });
  try {
    const p = P.page;
    await login(p, srv.url, lead);
    await p.getByTestId('count-todo').waitFor();
    await P.shot('20-phone-home');
    await p.getByRole('button', { name: /导航|Navigation/ }).first().click();
    await p.locator('.ant-drawer-open').waitFor();
    await animationsDone(p);
    await P.shot('21-phone-menu');
    await p.locator('.ant-drawer-open .ant-menu-item').filter({ hasText: '全店工单' }).click();
    await p.getByTestId('wo-link').first().waitFor({ timeout: 15_000 });
    await P.shot('22-phone-list');
    await p.getByTestId('wo-link').first().click();
    await p.getByTestId('wo-title').waitFor();
    await P.shot('23-phone-workorder');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal page scroll at phone width (overflow ${overflow}px)`);
    P.assertClean();
  } finally {
    await P.close();
  }
});

