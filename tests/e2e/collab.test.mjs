// COLLABORATIVE WORK ORDERS (协同工单) — written against the assumed contract while the server side is
// being built. The whole file skips, and only then, when GET /api/v1/rules answers 404 (not built yet).
// Flow: a platform agent opens a case about a shop's order → the shop lead sees the big reply countdown
// and replies "not agreed" with evidence (drag-drop upload) → platform intervention queue → judgement →
// the shop sees the judgement and the appeal form.
import assert from 'node:assert/strict';
import { confirmDialog, login, openBrowser, pickOption, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

// 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const srv = serverForFile();

const pad = (n) => String(n).padStart(2, '0');
/** local time as the DatePicker shows it (browser time zone Asia/Shanghai) */
function shanghai(d) {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

test('collaborative work order: reply with evidence, intervention, judgement (skips only if /rules is 404)', { timeout: 240_000 }, async (t) => {
  const { lead } = leadAndAgent(srv.accounts);
  const shop = await apiLogin(srv.url, lead.username, lead.password);
  const rules = await shop.call('GET', '/rules');
  if (rules.status === 404) {
    t.skip('collaborative work orders not built yet: GET /api/v1/rules is 404');
    return;
  }
  assert.equal(rules.status, 200, `GET /rules: ${rules.text}`);
  const pa = srv.accounts.find((a) => a.role === 'platform_agent');
  assert.ok(pa, 'demo has a platform agent');
  const plat = await apiLogin(srv.url, pa.username, pa.password);

  const orders = await shop.call('GET', '/orders?limit=1');
  assert.equal(orders.status, 200, orders.text);
  const order = orders.json.items[0];
  const created = await plat.call(
    'POST',
    '/workorders',
    {
      type: 'collab',
      title: '买家投诉：商品与描述不符',
      content: '消费者申请平台协助',
      order_no: order.order_no,
      shop_id: shop.user.shop_id,
      collab: { category: '描述不符', complaint: '收到的商品颜色与图片不一致，要求退货退款', remedy: 'return_refund' },
    },
    { 'Idempotency-Key': `e2e-collab-${Date.now()}` },
  );
  assert.equal(created.status, 201, `platform creates a collaborative work order: ${created.text}`);
  const id = created.json.id;

  const S = await openBrowser();
  const P = await openBrowser();
  try {
    // Shop side: big countdown and the reply form whose required fields follow the option.
    const s = S.page;
    await login(s, srv.url, lead);
    await s.goto(`${srv.url}/wo/${id}`);
    await s.getByTestId('collab-panel').waitFor({ timeout: 15_000 });
    await s.locator('.big-countdown').waitFor();
    await s.getByTestId('reply-form').waitFor();
    await S.shot('50-collab-shop-reply-form');

    await s.getByTestId('opt-not_agreed').click();
    await s.getByTestId('reply-form').locator('textarea').first().fill('已电话联系消费者，消费者坚持全额退款，商家同意退货退款但不承担运费。');
    await new Promise((r) => setTimeout(r, 1500)); // contact time strictly after creation
    const contact = s.getByTestId('reply-form').locator('.ant-picker input').first();
    await contact.click();
    await contact.fill(shanghai(new Date()));
    await s.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await s.getByTestId('evidence-input').setInputFiles({ name: '聊天记录.png', mimeType: 'image/png', buffer: PNG });
    await s.getByTestId('thumb').locator('.ant-progress-status-success').waitFor({ timeout: 15_000 });
    await S.shot('51-collab-shop-reply-filled');
    await s.getByTestId('reply-submit').click();
    await s.locator('.confirm-final').getByText('未达成一致').waitFor(); // what is about to be sent, once more
    await S.shot('51b-collab-shop-reply-confirm');
    await confirmDialog(s);
    await s.getByTestId('reply-form').waitFor({ state: 'detached', timeout: 15_000 });
    await S.shot('52-collab-shop-replied');

    // Platform side: the case is in the intervention queue; judge it.
    const p = P.page;
    await login(p, srv.url, pa);
    await p.goto(`${srv.url}/platform/intervention`);
    await p.locator('.ant-table-row').first().waitFor({ timeout: 15_000 });
    await P.shot('53-platform-intervention-queue');
    await p.goto(`${srv.url}/wo/${id}`);
    await p.getByTestId('judge-form').waitFor({ timeout: 15_000 });
    const jf = p.getByTestId('judge-form');
    await jf.getByText('支持消费者', { exact: true }).click();
    await pickOption(p, jf.getByTestId('remedy-select'), '退货退款');
    await jf.getByText('商家', { exact: true }).click();
    await jf.locator('textarea').fill('商品颜色与详情页不符，商家责任。');
    await jf.locator('#rule_article').fill('《争议处理规范》第十八条');
    await P.shot('54-platform-judge-form');
    await jf.getByRole('button', { name: '判责' }).click();
    await confirmDialog(p);
    await p.getByTestId('judge-form').waitFor({ state: 'detached', timeout: 15_000 });
    await P.shot('55-platform-judged');

    // Shop sees the judgement and may appeal.
    await s.reload();
    await s.getByTestId('collab-panel').getByText('商品颜色与详情页不符').waitFor({ timeout: 15_000 });
    await s.getByTestId('appeal-form').waitFor({ timeout: 15_000 });
    await S.shot('56-collab-shop-judged-appeal');
    S.assertClean();
    P.assertClean();
  } finally {
    await S.close();
    await P.close();
  }
});

test('rules editor: a platform admin saves a new rules version (skips only if /rules is 404)', { timeout: 120_000 }, async (t) => {
  const admin = srv.accounts.find((a) => a.role === 'platform_admin');
  assert.ok(admin, 'demo has a platform admin');
  const api = await apiLogin(srv.url, admin.username, admin.password);
  const before = await api.call('GET', '/rules');
  if (before.status === 404) {
    t.skip('collaborative work orders not built yet: GET /api/v1/rules is 404');
    return;
  }
  const A = await openBrowser();
  try {
    const p = A.page;
    await login(p, srv.url, admin);
    await p.goto(`${srv.url}/rules`);
    const win = p.locator('.ant-input-number input').first();
    await win.waitFor({ timeout: 15_000 });
    await win.fill(String(before.json.reply_window_hours + 1));
    await A.shot('60-rules-editor');
    await p.getByRole('button', { name: '保存为新版本' }).first().click();
    await p.getByText(/已保存，新版本/).waitFor({ timeout: 15_000 });
    const after = await api.call('GET', '/rules');
    assert.ok(Number(after.json.version) > Number(before.json.version), 'a new version');
    assert.equal(after.json.reply_window_hours, before.json.reply_window_hours + 1);
    A.assertClean();
  } finally {
    await A.close();
  }
});
