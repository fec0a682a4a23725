// Quick replies (快捷短语) in Chinese at 1440 px and 390 px: a lead keeps the shop-wide replies on
// the 快捷短语 page and adds one there; an agent sees them (without edit buttons) beside their own,
// and inserts one into a note and into a transfer reason with the buyer, the order number and the
// deadline filled from the work order; a lead inserts one into a collaborative reply.
// Screenshots: tests/e2e/out/qr-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

/** Picks the reply titled `title` in the quick reply picker `picker` and waits for it in the text box `box` (the picker's
 * own value stays empty). A click that lands while the popup is still opening can be lost on a loaded machine: then the
 * box is unchanged and the pick is made again. Returns the box's text. */
async function pickReply(page, picker, title, box) {
  const was = await box.inputValue();
  for (let attempt = 0; attempt < 3; attempt++) {
    await picker.click();
    const opt = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: title }).first();
    await opt.waitFor({ state: 'visible', timeout: 10_000 });
    await opt.click();
    for (let i = 0; i < 30; i++) {
      const now = await box.inputValue();
      if (now !== was) return now;
      await page.waitForTimeout(100);
    }
    await page.keyboard.press('Escape');
  }
  assert.fail(`the quick reply ${title} did not reach the text box`);
}

test('leads keep shop-wide replies; an agent inserts them, filled from the work order, into a note and a transfer reason; a lead into a collaborative reply', { timeout: 300_000 }, async () => {
  const { lead, agent } = leadAndAgent(srv.accounts);
  const xe = srv.accounts.find((a) => a.role === 'platform_agent');
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const A = await apiLogin(srv.url, agent.username, agent.password);
  const P = await apiLogin(srv.url, xe.username, xe.password);
  const me = (await A.call('GET', '/me')).json.user;
  const shared = await L.call('POST', '/quickreplies', { title: '催发货', body: '{买家} 您好，订单 {订单号} 已催仓库，{截止时间} 前发出。', shared: true });
  assert.equal(shared.status, 201, shared.text);
  assert.equal((await L.call('POST', '/quickreplies', { title: '协同说明', body: '已联系买家，订单 {订单号} 按约定处理。', shared: true })).status, 201);
  assert.equal((await A.call('POST', '/quickreplies', { title: '转交说明', body: '{买家} 的订单 {订单号} 需要仓库核实，请跟进。' })).status, 201);
  const nick = '常买茶的小陈';
  const order = (at) => ({ buyer_nick: nick, status: 'paid', paid_amount: 9900, created_at: at, items: [{ title: '龙井 100g', sku: 'LJ-100', quantity: 1, price: 9900 }] });
  assert.equal((await L.call('PUT', '/orders/QR-E2E-1', order('2026-02-01T09:00:00+08:00'))).status, 201);
  assert.equal((await L.call('PUT', '/orders/QR-E2E-2', order('2026-02-02T09:00:00+08:00'))).status, 201);
  const c = await P.call('POST', '/collab', { shop_id: me.shop_id, order_no: 'QR-E2E-2', category: '物流问题', complaint: '迟迟不发货', remedy: 'refund' });
  assert.equal(c.status, 201, c.text);

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const due = new Date(Date.now() + 2 * 86400_000).toISOString();
    const wo = await L.call('POST', '/workorders', { type: 'shipping', title: `催发货 ${width}`, content: '买家催促发货', order_no: 'QR-E2E-1', handler_id: me.id, deadline: due });
    assert.equal(wo.status, 201, wo.text);
    const deadline = wo.json.deadline;
    assert.ok(deadline, 'a shipping work order has a deadline');

    // the lead's page: shop-wide replies with edit buttons; a new one of their own added through the form
    let B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/quickreplies`);
      const sharedCard = p.getByTestId('qr-shared');
      await sharedCard.getByTestId('qr-item').first().waitFor({ timeout: 15_000 });
      assert.match(await sharedCard.innerText(), /催发货[\s\S]*\{买家\} 您好/);
      assert.ok((await sharedCard.getByTestId('qr-edit').count()) >= 2, 'a lead edits shop-wide replies');
      await p.getByTestId('qr-add-mine').click();
      await p.getByTestId('qr-title-input').fill(`主管回复 ${width}`);
      await p.getByTestId('qr-body-input').fill('亲，');
      await p.getByTestId('qr-placeholder').filter({ hasText: '{买家}' }).click();
      assert.equal(await p.getByTestId('qr-body-input').inputValue(), '亲，{买家}');
      await p.getByTestId('qr-submit').click();
      await p.getByTestId('qr-mine').getByText(`主管回复 ${width}`).waitFor();
      // over the title limit: the form says so before the server does
      await p.getByTestId('qr-add-mine').click();
      await p.getByTestId('qr-title-input').fill('长'.repeat(30));
      assert.equal((await p.getByTestId('qr-title-input').inputValue()).length, 30, 'the box takes at most 30 characters');
      await p.getByTestId('qr-body-input').fill('');
      await p.getByTestId('qr-submit').click();
      await p.getByText('请输入内容').waitFor();
      await p.keyboard.press('Escape');
      await B.shot(`qr-page-lead-${width}`);

      // a collaborative reply: the lead inserts a shop-wide reply into the description
      await p.goto(`${srv.url}/wo/${c.json.id}`);
      // a phone opens a case's form with 填写 (its antd loads on first use; docs/decisions.md)
      if (width < 768) await p.getByTestId('open-reply').click();
      const form = p.getByTestId('reply-form');
      await form.waitFor({ timeout: 15_000 });
      assert.equal(await pickReply(p, form.getByTestId('quickreply-picker-reply'), '协同说明', form.locator('textarea').first()), '已联系买家，订单 QR-E2E-2 按约定处理。');
      await form.scrollIntoViewIfNeeded();
      await B.shot(`qr-collab-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }

    // the agent: the shop-wide replies without edit buttons, their own with them
    B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, agent);
      await p.goto(`${srv.url}/quickreplies`);
      const sharedCard = p.getByTestId('qr-shared');
      await sharedCard.getByTestId('qr-item').first().waitFor({ timeout: 15_000 });
      assert.equal(await sharedCard.getByTestId('qr-edit').count(), 0, 'an agent does not edit shop-wide replies');
      assert.equal(await p.getByTestId('qr-add-shared').count(), 0);
      assert.match(await p.getByTestId('qr-mine').innerText(), /转交说明/);
      assert.doesNotMatch(await p.locator('main').innerText(), /主管回复/, "the lead's own replies are the lead's");
      await B.shot(`qr-page-agent-${width}`);

      // a note: the reply goes in with the buyer, the order and the deadline filled
      await p.goto(`${srv.url}/wo/${wo.json.id}`);
      await p.getByTestId('act-note').click();
      const dlg = p.getByTestId('dialog-note');
      await dlg.waitFor();
      const box = dlg.locator('textarea');
      await box.fill('您好。');
      await box.evaluate((el) => el.setSelectionRange(2, 2));
      const text = await pickReply(p, dlg.getByTestId('quickreply-picker'), '催发货', box);
      assert.match(text, new RegExp(`^您好${nick} 您好，订单 QR-E2E-1 已催仓库，\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 前发出。。$`), text);
      assert.doesNotMatch(text, /\{/, 'every placeholder filled');
      await B.shot(`qr-note-${width}`);
      await p.locator('.ant-modal-footer .ant-btn-primary').last().click();
      await p.getByText(`${nick} 您好，订单 QR-E2E-1 已催仓库`).first().waitFor({ timeout: 10_000 });

      // a transfer reason, from the agent's own reply
      await p.getByTestId('act-transfer').click();
      const tdlg = p.getByTestId('dialog-transfer');
      await tdlg.waitFor();
      assert.equal(await pickReply(p, tdlg.getByTestId('quickreply-picker'), '转交说明', tdlg.locator('textarea')), `${nick} 的订单 QR-E2E-1 需要仓库核实，请跟进。`);
      await B.shot(`qr-transfer-${width}`);
      await p.keyboard.press('Escape');
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});
