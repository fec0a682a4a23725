// Platform staff in the workbench (协同工单):
// 1. a platform agent opens a collaborative work order from the browser (新建协同工单) for 江南茶舍旗舰店;
//    a wrong order number is refused on its field in the server's words; the case lands live, with its
//    countdown, in the 待我处理 list of the shop's after-sales handler (tea_agent2 in the demo);
// 2. platform_verify: the shop replies "other" in the browser → a platform agent rejects the verification
//    in the browser → the case is in platform intervention;
// 3. an appeal is decided in the browser by the supervisor, who is not the judge.
import assert from 'node:assert/strict';
import { confirmDialog, login, openBrowser, pickOption, test, waitForBadge } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const SHOP = '江南茶舍旗舰店';

const srv = serverForFile();

const account = srv.account;

/** Order numbers of the tea shop, from the demo, as its lead sees them over the API. */
async function teaOrders(n) {
  const lead = account('tea_lead');
  const api = await apiLogin(srv.url, lead.username, lead.password);
  const r = await api.call('GET', `/orders?limit=${n}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= n, `tea shop has ${n} orders`);
  return { api, orders: r.json.items.map((o) => o.order_no) };
}

test('a platform agent opens a collaborative work order in the browser; it lands live in the handler\'s 待我处理', { timeout: 180_000 }, async () => {
  const pa = account('xiaoer1');
  const handler = account('tea_agent2'); // the demo's after-sales handler of 江南茶舍旗舰店
  const { orders } = await teaOrders(1);
  const orderNo = orders[0];
  const marker = `E2E${Date.now()}`;

  const P = await openBrowser();
  const H = await openBrowser();
  try {
    // The shop's after-sales handler watches 待我处理, filtered to this test's marker (empty for now).
    const h = H.page;
    await login(h, srv.url, handler);
    const todo0 = await waitForBadge(h, 'todo', (n) => n !== null);
    await h.goto(`${srv.url}/list/todo?q=${marker}`);
    await h.getByTestId('wo-table').waitFor();
    await h.getByText('没有符合条件的工单').first().waitFor({ timeout: 15_000 });

    // The platform agent: menu → 新建协同工单.
    const p = P.page;
    await login(p, srv.url, pa);
    await p.getByTestId('nav-new-collab').click();
    await p.waitForURL(/\/collab\/new$/);
    const form = p.getByTestId('collab-create-form');
    await form.waitFor();
    await pickOption(p, p.getByTestId('collab-shop'), SHOP);

    // Required fields are asked for before anything is sent.
    await p.getByTestId('collab-submit').click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    assert.ok((await form.locator('.ant-form-item-explain-error').count()) >= 3, 'order, category, complaint, remedy are required');

    // An order number the shop does not have: the server says so (422, field order_no), explained under that field.
    await p.getByTestId('collab-order').fill('TB0000000000');
    await p.getByTestId('collab-category').getByText('描述不符', { exact: true }).click();
    await p.getByTestId('collab-complaint').fill(`收到的茶叶罐与详情页图片颜色不一致，买家要求退货退款。${marker}`);
    await p.getByTestId('collab-remedy').getByText('退货退款', { exact: true }).click();
    await p.getByTestId('collab-submit').click();
    const orderItem = p.locator('.ant-form-item').filter({ has: p.getByTestId('collab-order') });
    const orderErr = orderItem.locator('.ant-form-item-explain-error');
    await orderErr.waitFor({ timeout: 15_000 });
    const orderErrText = await orderErr.innerText();
    assert.match(orderErrText, /该店铺没有订单号 TB0000000000/, 'the error is explained in Chinese on the order field');
    assert.match(orderErrText, /TB0000000000/, 'the sentence names the order number');
    assert.doesNotMatch(orderErrText, /the shop has no/, 'the server\'s English words are not shown in Chinese');
    assert.match(orderErrText, /请求编号 \S+/, 'with the request id, for support');
    assert.match(p.url(), /\/collab\/new$/, 'still on the form');
    P.expectedConsole(/status of 422/); // Chromium logs the refused request; nothing else may be logged
    await P.shot('70-platform-new-collab-bad-order');

    // The right order number: created, and its page opens.
    await p.getByTestId('collab-order').fill(orderNo);
    await orderErr.waitFor({ state: 'detached' }).catch(() => undefined);
    await P.shot('71-platform-new-collab-filled');
    await p.getByTestId('collab-submit').click();
    await p.waitForURL(/\/wo\/\d+$/, { timeout: 15_000 });
    const id = p.url().split('/').pop();
    await p.getByTestId('collab-panel').waitFor({ timeout: 15_000 });
    await p.getByTestId('collab-panel').getByText(marker).waitFor();
    assert.equal(await p.getByTestId('wo-state').innerText(), '待商家处理');
    await p.locator('.big-countdown').waitFor();
    const title = await p.getByTestId('wo-title').innerText();
    // platform staff see every shop: the title names the shop first, then its number
    const [shopName, number] = title.split(' · ');
    assert.doesNotMatch(shopName, /^GD-/);
    assert.match(number, /^GD-/);
    await P.shot('72-platform-new-collab-created');

    // Over the API: the case is about that order, with what was entered, handled by tea_agent2.
    const papi = await apiLogin(srv.url, pa.username, pa.password);
    const d = await papi.call('GET', `/workorders/${id}`);
    assert.equal(d.status, 200, d.text);
    const w = d.json.workorder;
    assert.equal(w.order_no, orderNo);
    assert.equal(w.collab.category, '描述不符');
    assert.equal(w.collab.remedy, 'return_refund');
    assert.equal(w.handler?.display_name, (await apiLogin(srv.url, handler.username, handler.password)).user.display_name, 'the shop\'s after-sales handler has it');

    // The handler's side, without a reload: the badge rises and the row appears with its countdown.
    await waitForBadge(h, 'todo', (n) => n === todo0 + 1);
    const row = h.locator('.ant-table-row').filter({ hasText: number });
    await row.waitFor({ timeout: 15_000 });
    const cd = row.locator('.countdown');
    await cd.waitFor();
    assert.match(await cd.innerText(), /\d/, 'a countdown in the row');
    assert.equal(await cd.getAttribute('data-overdue'), 'false');
    assert.match(await row.innerText(), new RegExp(orderNo));
    await H.shot('73-handler-todo-live-collab');

    // The handler opens it: the big reply countdown and the reply form.
    await row.getByTestId('wo-link').click();
    await h.getByTestId('collab-panel').waitFor({ timeout: 15_000 });
    await h.locator('.big-countdown').waitFor();
    await h.getByTestId('reply-form').waitFor();
    await H.shot('74-handler-collab-page');

    P.assertClean();
    H.assertClean();
  } finally {
    await P.close();
    await H.close();
  }
});

test('platform_verify: the shop replies "other", a platform agent rejects → platform intervention', { timeout: 180_000 }, async () => {
  const pa = account('xiaoer2');
  const handler = account('tea_agent2');
  const { orders } = await teaOrders(3);
  const papi = await apiLogin(srv.url, pa.username, pa.password);
  const shops = await papi.call('GET', '/shops');
  const shopId = shops.json.items.find((s) => s.name === SHOP).id;
  const created = await papi.call('POST', '/collab', { shop_id: shopId, order_no: orders[1], category: '质量问题', complaint: '茶饼受潮发霉，买家要求补发。', remedy: 'reship' });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;

  const S = await openBrowser();
  const P = await openBrowser();
  try {
    // The shop replies "其他" with a description.
    const s = S.page;
    await login(s, srv.url, handler);
    await s.goto(`${srv.url}/wo/${id}`);
    await s.getByTestId('reply-form').waitFor({ timeout: 15_000 });
    await s.getByTestId('opt-other').click();
    await s.getByTestId('reply-form').locator('textarea').first().fill('已与买家电话沟通，改为补发一饼新茶并赠送茶样，买家口头同意。');
    await s.getByTestId('reply-submit').click();
    await confirmDialog(s); // a reply is final: asked once more
    await s.getByTestId('reply-form').waitFor({ state: 'detached', timeout: 15_000 });
    await s.getByTestId('wo-state').filter({ hasText: '平台核实' }).waitFor({ timeout: 15_000 });
    await S.shot('75-shop-replied-other');

    // A platform agent finds it in 平台核实 and rejects the verification with a remark.
    const p = P.page;
    await login(p, srv.url, pa);
    await p.goto(`${srv.url}/platform/platform_verify`);
    const row = p.locator('.ant-table-row').filter({ hasText: created.json.number });
    await row.waitFor({ timeout: 15_000 });
    await P.shot('76-platform-verify-queue');
    await row.getByTestId('wo-link').click();
    const vf = p.getByTestId('verify-form');
    await vf.waitFor({ timeout: 15_000 });
    await vf.getByText('核实不通过', { exact: true }).click();
    await vf.locator('textarea').fill('回访买家：买家否认同意补发，仍要求退款。');
    await P.shot('77-platform-verify-form');
    await vf.getByRole('button', { name: '确定' }).click();
    await confirmDialog(p);
    await p.getByTestId('verify-form').waitFor({ state: 'detached', timeout: 15_000 });
    await p.getByTestId('wo-state').filter({ hasText: '平台介入' }).waitFor({ timeout: 15_000 });
    const panel = p.getByTestId('collab-panel');
    await panel.getByText('平台核实未通过').waitFor();
    await panel.getByText('回访买家：买家否认同意补发').waitFor();
    await p.getByTestId('judge-form').waitFor();
    await P.shot('78-platform-verify-rejected-intervention');

    // The shop's open page follows live: intervention, reason verify_rejected.
    await s.getByTestId('wo-state').filter({ hasText: '平台介入' }).waitFor({ timeout: 15_000 });
    await s.getByTestId('collab-panel').getByText('平台核实未通过').waitFor();
    const d = await papi.call('GET', `/workorders/${id}`);
    assert.equal(d.json.workorder.collab.state, 'intervention');
    assert.equal(d.json.workorder.collab.intervention.reason, 'verify_rejected');
    assert.equal(d.json.workorder.collab.verification.result, 'rejected');
    S.assertClean();
    P.assertClean();
  } finally {
    await S.close();
    await P.close();
  }
});

test('appeal review: the supervisor, not the judge, decides the appeal in the browser', { timeout: 180_000 }, async () => {
  const judge = account('xiaoer1');
  const sup = account('supervisor');
  const { api: shop, orders } = await teaOrders(3);
  const japi = await apiLogin(srv.url, judge.username, judge.password);
  const created = await japi.call('POST', '/collab', { shop_id: shop.user.shop_id, order_no: orders[2], category: '物流问题', complaint: '包裹显示签收但买家未收到。', remedy: 'refund' });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const replied = await shop.call('POST', `/workorders/${id}/reply`, { option: 'not_agreed', description: '物流显示本人签收，商家不同意退款。' });
  assert.equal(replied.status, 200, replied.text);
  const judged = await japi.call('POST', `/workorders/${id}/judge`, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: '签收凭证不足', rule_article: '《争议处理规范》第二十一条' });
  assert.equal(judged.status, 200, judged.text);
  const appealed = await shop.call('POST', `/workorders/${id}/appeal`, { reason: '已补充快递员签收照片' });
  assert.equal(appealed.status, 200, appealed.text);
  assert.equal(appealed.json.state, 'appeal_review');

  const J = await openBrowser();
  const V = await openBrowser();
  try {
    // The judge sees the case but no decision form.
    const j = J.page;
    await login(j, srv.url, judge);
    await j.goto(`${srv.url}/wo/${id}`);
    await j.getByTestId('collab-panel').getByText('已补充快递员签收照片').waitFor({ timeout: 15_000 });
    assert.equal(await j.getByTestId('decide-form').count(), 0, 'the judge may not decide the appeal');

    // The supervisor: 申诉审核 queue → the case → 改判 with a remark.
    const v = V.page;
    await login(v, srv.url, sup);
    await v.goto(`${srv.url}/platform/appeal_review`);
    const row = v.locator('.ant-table-row').filter({ hasText: created.json.number });
    await row.waitFor({ timeout: 15_000 });
    await V.shot('80-supervisor-appeal-queue');
    await row.getByTestId('wo-link').click();
    const df = v.getByTestId('decide-form');
    await df.waitFor({ timeout: 15_000 });
    await df.getByText('改判（申诉成立，原判责撤销）', { exact: true }).click();
    await df.locator('textarea').fill('快递员签收照片清晰，改判支持商家。');
    await V.shot('81-supervisor-decide-form');
    await df.getByRole('button', { name: '确定' }).click();
    // asked once more, with what is about to be decided
    const confirm = v.locator('.confirm-final');
    await confirm.getByText('改判（申诉成立，原判责撤销）').waitFor();
    await V.shot('81b-supervisor-decide-confirm');
    await confirmDialog(v);
    await v.getByTestId('decide-form').waitFor({ state: 'detached', timeout: 15_000 });
    await v.getByTestId('wo-state').filter({ hasText: '已结案' }).waitFor({ timeout: 15_000 });
    await v.getByTestId('collab-panel').getByText('快递员签收照片清晰').waitFor();
    // which way it went is plain: a banner over the judgement, the judgement marked as withdrawn, the history in words
    assert.match(await v.getByTestId('appeal-outcome').innerText(), /申诉成立，已改判/);
    assert.match(await v.getByTestId('judgement').innerText(), /原判责结果（已被改判撤销）/);
    const history = await v.getByTestId('timeline').innerText();
    assert.match(history, /作出判责：支持消费者 · 仅退款，责任方 商家/);
    assert.match(history, /完成申诉审核：改判（申诉成立，原判责撤销）/);
    assert.doesNotMatch(history, /已判责$|：已结案/m, 'no step reads as just its new state');
    await V.shot('82-supervisor-decided');

    // The judge's open page follows live.
    await j.getByTestId('wo-state').filter({ hasText: '已结案' }).waitFor({ timeout: 15_000 });
    const d = await japi.call('GET', `/workorders/${id}`);
    assert.equal(d.json.workorder.collab.state, 'final');
    assert.equal(d.json.workorder.collab.appeal.decision, 'overturned');
    J.assertClean();
    V.assertClean();
  } finally {
    await J.close();
    await V.close();
  }
});
