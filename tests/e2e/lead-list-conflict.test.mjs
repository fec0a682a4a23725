// A shop lead in the workbench:
// 1. bulk transfer: select two rows in 全店工单, transfer them to an agent with a reason through the bulk
//    path (docs/bulk.md); the agent's 待我处理 count rises by two and each work order's timeline has the
//    transfer (one of them was changed behind the list's back meanwhile: bulk work acts on each work
//    order as it is, so that one is transferred too);
// 2. a conflict (412) explained: the page holds an old version (live updates blocked), someone else
//    changes the work order over the API, the lead's action is refused with an explanation and the page
//    reloads to the new version with the other change visible; the action then succeeds.
import assert from 'node:assert/strict';
import { login, openBrowser, pickOption, test, waitForBadge } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

const account = srv.account;

const OPEN = new Set(['open', 'in_progress']);

/**
 * Stands in for GET /api/v1/stream: answers but never says anything and asks the browser not to reconnect
 * for an hour, so the page keeps the versions it loaded (no live reload behind the test's back).
 * (Aborting the request instead would log a console error.)
 */
const silentStream = (route) =>
  route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }, body: 'retry: 3600000\n\n' });

test('bulk transfer: two rows of 全店工单 to an agent, with a reason', { timeout: 180_000 }, async () => {
  const lead = account('tea_lead');
  const agent = account('tea_agent1');
  const lapi = await apiLogin(srv.url, lead.username, lead.password);
  const aapi = await apiLogin(srv.url, agent.username, agent.password);

  // Two open shop work orders (not collaborative) that the agent does not handle yet, from the first page
  // the browser shows (same view, same default sort — 全店工单 opens newest first — same page size).
  const list = await lapi.call('GET', '/workorders?view=shop&sort=-created&limit=50');
  assert.equal(list.status, 200, list.text);
  const picks = list.json.items.filter((w) => w.type !== 'collab' && OPEN.has(w.state) && w.handler?.id !== aapi.user.id).slice(0, 2);
  assert.equal(picks.length, 2, 'two transferable work orders in the first page of 全店工单');
  const before = (await aapi.call('GET', '/workorders/counts')).json;

  const A = await openBrowser();
  const L = await openBrowser();
  try {
    // The agent watches the 待我处理 badge.
    const a = A.page;
    await login(a, srv.url, agent);
    await waitForBadge(a, 'todo', (n) => n === before.todo);

    const p = L.page;
    // The lead's list keeps the versions it loaded (live updates silenced), so that a change made
    // behind its back (below) reaches the bulk transfer as a stale version.
    await p.route('**/api/v1/stream', silentStream);
    await login(p, srv.url, lead);
    await p.goto(`${srv.url}/list/shop`);
    await p.locator('.ant-table-row').first().waitFor({ timeout: 15_000 });
    const bulk = p.getByTestId('bulk-transfer');
    assert.equal(await bulk.isDisabled(), true, 'bulk transfer waits for a selection');
    // the header's checkbox selects the rows loaded so far, and says so to a screen reader
    assert.equal(await p.getByRole('checkbox', { name: '全选本页', exact: true }).count(), 1);
    for (const w of picks) {
      const row = p.locator('.ant-table-row').filter({ has: p.getByRole('link', { name: w.number, exact: true }) });
      await row.locator('.ant-checkbox-input').check();
    }
    await p.getByText('已选 2 条').waitFor();
    await L.shot('90-lead-bulk-selected');
    // Meanwhile the shop owner adds a note to the first one: its version moves on. Bulk work takes each
    // work order as it is at that moment, so the newer version is transferred all the same.
    const oapi = await apiLogin(srv.url, account('tea_owner').username, account('tea_owner').password);
    const noted = await oapi.call('POST', `/workorders/${picks[0].id}/notes`, { text: '店主：这单优先处理' });
    assert.equal(noted.status, 200, `note: ${noted.text}`);
    await bulk.click();
    const dlg = p.locator('.ant-modal:visible');
    await dlg.getByText('批量转交（2）').waitFor();
    await pickOption(p, dlg.getByTestId('handler-picker'), agent.username);
    const reason = `批量转交测试：请售后同事跟进 ${Date.now()}`;
    await dlg.locator('textarea').fill(reason);
    await L.shot('91-lead-bulk-dialog');
    await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await p.locator('[data-testid=bulk-progress][data-finished=true]').waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('bulk-summary').innerText(), '成功 2 条，失败 0 条');
    await L.shot('92-lead-bulk-done');
    await p.getByTestId('bulk-close').click();
    await p.getByText('已选 2 条').waitFor({ state: 'detached' });

    // The agent's 待我处理: +2 over the API, and live on the agent's badge.
    const afterCounts = (await aapi.call('GET', '/workorders/counts')).json;
    assert.equal(afterCounts.todo, before.todo + 2, "the agent's 待我处理 rose by two");
    await waitForBadge(a, 'todo', (n) => n === before.todo + 2);

    // Each work order: handled by the agent now, and a transferred event with the reason.
    for (const w of picks) {
      const d = await lapi.call('GET', `/workorders/${w.id}`);
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.workorder.handler?.id, aapi.user.id, `${w.number} handled by the agent`);
      const ev = d.json.events.filter((e) => e.kind === 'transferred').pop();
      assert.ok(ev, `${w.number} has a transferred event`);
      assert.equal(ev.data.reason, reason);
    }
    // And in the browser's timeline.
    await p.goto(`${srv.url}/wo/${picks[0].id}`);
    const tr = p.locator('[data-kind=transferred]').filter({ hasText: reason });
    await tr.first().waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('wo-handler').innerText(), aapi.user.display_name);
    await L.shot('93-lead-bulk-timeline');

    A.assertClean();
    L.assertClean();
  } finally {
    await A.close();
    await L.close();
  }
});

test('412 explained: a change behind the page\'s back is shown, the page reloads, the action then works', { timeout: 180_000 }, async () => {
  const lead = account('tea_lead');
  const other = account('tea_owner');
  const lapi = await apiLogin(srv.url, lead.username, lead.password);
  const oapi = await apiLogin(srv.url, other.username, other.password);

  // An open work order the lead may start.
  const list = await lapi.call('GET', '/workorders?view=shop&state=open&limit=50');
  assert.equal(list.status, 200, list.text);
  let wo = null;
  for (const w of list.json.items.filter((x) => x.type !== 'collab')) {
    const d = await lapi.call('GET', `/workorders/${w.id}`);
    if (d.json.allowed_actions.includes('start')) {
      wo = d.json.workorder;
      break;
    }
  }
  assert.ok(wo, 'an open work order the lead may start');

  const B = await openBrowser();
  try {
    const p = B.page;
    // Keep this page on its version: no live reload behind the test's back.
    await p.route('**/api/v1/stream', silentStream);
    await login(p, srv.url, lead);
    await p.goto(`${srv.url}/wo/${wo.id}`);
    await p.getByTestId('act-start').waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('wo-state').innerText(), '待处理');

    // Someone else adds a note over the API.
    const note = `店主备注：该订单买家已来电催促 ${Date.now()}`;
    const n = await oapi.call('POST', `/workorders/${wo.id}/notes`, { text: note }, { 'If-Match': `"${wo.version}"` });
    assert.equal(n.status, 200, `note: ${n.text}`);
    await p.waitForTimeout(500);
    assert.equal(await p.locator('[data-kind=noted]').filter({ hasText: note }).count(), 0, 'the page still shows the old version');

    // The lead starts it: refused (412), explained, and the page now shows the note.
    await p.getByTestId('act-start').click();
    const modal = p.locator('.stale-dialog');
    await modal.waitFor({ timeout: 15_000 });
    await modal.locator('.ant-modal-confirm-title').filter({ hasText: '工单已被他人修改' }).waitFor();
    const text = await modal.getByTestId('stale-explained').innerText();
    assert.match(text, /其他人修改过/, 'says someone else changed it');
    assert.match(text, new RegExp(oapi.user.display_name), 'names who changed it');
    assert.match(text, new RegExp(note.split(' ')[1]), 'and what the change was');
    assert.match(text, /请求编号 \S+/, 'and keeps the request id, for support');
    await p.locator('[data-kind=noted]').filter({ hasText: note }).waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('wo-state').innerText(), '待处理', 'the action was not applied');
    await p.waitForTimeout(500); // the modal's zoom-in animation, for the screenshot
    await B.shot('95-lead-412-explained');
    B.expectedConsole(/status of 412/); // Chromium logs the refused request; nothing else may be logged

    // Acknowledge; on the new version the same action works.
    await modal.locator('.ant-btn-primary').click();
    await modal.waitFor({ state: 'hidden' });
    await p.getByTestId('act-start').click();
    await p.getByTestId('wo-state').filter({ hasText: '处理中' }).waitFor({ timeout: 15_000 });
    await B.shot('96-lead-412-then-started');
    const d = await lapi.call('GET', `/workorders/${wo.id}`);
    assert.equal(d.json.workorder.state, 'in_progress');
    assert.ok(d.json.events.some((e) => e.kind === 'noted' && e.data.text === note), 'the other change is kept');
    B.assertClean();
  } finally {
    await B.close();
  }
});
