// The buyer's history on a work order page, in Chinese at 1440 px and 390 px: a lead opens a
// work order and sees, beside it, how often this buyer has disputed (one case still open), the
// buyer's other work order (a link that opens it) and their orders in this shop, newest first.
// Screenshots: tests/e2e/out/bh-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

test("a lead sees the buyer's disputes, other work orders and orders beside a work order", { timeout: 300_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const xe = srv.accounts.find((a) => a.role === 'platform_agent');
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const P = await apiLogin(srv.url, xe.username, xe.password);
  const me = (await L.call('GET', '/me')).json.user;
  const nick = '回头客阿梅';
  const order = (at) => ({ buyer_nick: nick, status: 'signed', paid_amount: 18800, created_at: at,
    items: [{ title: '正山小种 200g', sku: 'ZS-200', quantity: 2, price: 9400 }] });
  assert.equal((await L.call('PUT', '/orders/BH-E2E-1', order('2026-02-01T09:00:00+08:00'))).status, 201);
  assert.equal((await L.call('PUT', '/orders/BH-E2E-2', order('2026-03-01T09:00:00+08:00'))).status, 201);
  const first = await L.call('POST', '/workorders', { type: 'after_sales', title: '少发一盒', content: '买家说只收到一盒',
    order_no: 'BH-E2E-1', handler_id: me.id });
  assert.equal(first.status, 201, first.text);
  const c = await P.call('POST', '/collab', { shop_id: me.shop_id, order_no: 'BH-E2E-2', category: '质量问题',
    complaint: '茶叶受潮结块', remedy: 'refund' });
  assert.equal(c.status, 201, c.text);

  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/wo/${c.json.id}`);
      const card = p.getByTestId('buyer-history');
      await card.waitFor({ timeout: 15_000 });
      assert.match(await card.innerText(), new RegExp(`买家历史 · ${nick}`));
      assert.match(await card.getByTestId('bh-disputes').innerText(), /协同工单 1 起[\s\S]*处理中 1/);
      const others = card.getByTestId('bh-workorders').locator('[data-wo]');
      assert.equal(await others.count(), 1, 'the other work order, not the page\'s own');
      assert.match(await others.first().innerText(), /少发一盒/);
      const orders = await card.getByTestId('bh-orders').innerText();
      assert.ok(orders.indexOf('BH-E2E-2') < orders.indexOf('BH-E2E-1'), 'newest order first');
      assert.match(orders, /188\.00/);
      await card.scrollIntoViewIfNeeded();
      await B.shot(`bh-${width}`);
      // the history's link opens the other work order
      await others.first().getByRole('link').click();
      await p.waitForURL(`**/wo/${first.json.id}`);
      await p.getByTestId('buyer-history').getByTestId('bh-disputes').waitFor();
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});
