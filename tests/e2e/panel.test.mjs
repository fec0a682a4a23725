// The chat-side panel in a frame of a chat tool (docs/panel.md): a page served from another origin
// (a second loopback port) that the shop lists frames /panel, opened by a signed link; the agent
// lead sees the buyer's orders, open work orders and case with the time left, and creates a work
// order on the order for an agent with the content, the handler and one click. The same panel in a page of an
// origin the shop does not list is refused by the browser. Screenshots: tests/e2e/out/panel-*.png
// (the chat tool at 1440 px with the 400 px panel; the panel alone at 390 px).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { after, before } from 'node:test';
import { openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();
let chat, stranger, L, lead, agent, secret, typeKey;

// A stand-in for the shop's chat tool: a conversation and, at the right, the panel in a 400 px frame.
function chatTool() {
  const server = http.createServer((req, res) => {
    const src = new URL(req.url, 'http://x').searchParams.get('panel') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>千牛 · 聊天</title>
<body style="margin:0;display:flex;height:100vh;font:14px sans-serif">
<div style="flex:1;padding:16px;background:#f5f5f5"><p><b>聊天买家小周</b>：你好，我的龙井怎么还没发货？</p>
<p><b>客服</b>：亲，马上帮您登记加急。</p></div>
<iframe title="工单侧边栏" src="${src.replace(/"/g, '&quot;')}" style="width:400px;border:0;border-left:1px solid #ddd;height:100%"></iframe>
</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

function signedLink(user, orderNo) {
  const exp = Math.floor(Date.now() / 1000) + 120;
  const sig = createHmac('sha256', secret).update(['gongdan-panel-v1', lead.shop_id, user, orderNo, '', exp].join('\n')).digest('hex');
  return `${srv.url}/panel?${new URLSearchParams({ shop: lead.shop_id, user, order_no: orderNo, exp, sig })}`;
}

before(async () => {
  [chat, stranger] = await Promise.all([chatTool(), chatTool()]);
  await srv.ready;
  const accounts = leadAndAgent(srv.accounts);
  L = await apiLogin(srv.url, accounts.lead.username, accounts.lead.password);
  lead = L.user;
  agent = accounts.agent;
  assert.equal((await L.call('PUT', '/panel/settings', { origins: [chat.origin] })).status, 200);
  secret = (await L.call('POST', '/panel/secret')).json.secret;
  const order = (at, status) => ({ buyer_nick: '聊天买家小周', status, paid_amount: 26800, created_at: at,
    items: [{ title: '明前龙井 250g', sku: 'LJ-250', quantity: 1, price: 26800 }] });
  assert.equal((await L.call('PUT', '/orders/CHAT-1', order('2026-03-02T09:00:00+08:00', 'paid'))).status, 201);
  assert.equal((await L.call('PUT', '/orders/CHAT-0', order('2026-01-05T09:00:00+08:00', 'signed'))).status, 201);
  const users = (await L.call('GET', '/users')).json.items;
  agent.id = users.find((u) => u.username === agent.username).id;
  const wo = await L.call('POST', '/workorders', { type: 'shipping', title: '催发货', content: '买家催发货',
    order_no: 'CHAT-1', handler_id: agent.id });
  assert.equal(wo.status, 201, wo.text);
  // a work order of a type the shop defined reads as the type's name, never its key (x-1000)
  const qt = await L.call('POST', '/workorder_types', { name_zh: '质检', name_en: 'Quality check' });
  assert.equal(qt.status, 201, qt.text);
  typeKey = qt.json.key;
  const q = await L.call('POST', '/workorders', { type: typeKey, title: '包装破损', order_no: 'CHAT-1', handler_id: agent.id });
  assert.equal(q.status, 201, q.text);
  const xe = srv.accounts.find((a) => a.role === 'platform_agent');
  const P = await apiLogin(srv.url, xe.username, xe.password);
  const c = await P.call('POST', '/collab', { shop_id: lead.shop_id, order_no: 'CHAT-0', category: '质量问题',
    complaint: '茶叶有碎末', remedy: 'refund' });
  assert.equal(c.status, 201, c.text);
});
after(async () => {
  chat?.server.close();
  stranger?.server.close();
});

test('in a frame of a listed origin, a signed link opens the panel and one click creates a work order', { timeout: 300_000 }, async () => {
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await p.goto(`${chat.origin}/?panel=${encodeURIComponent(signedLink(lead.username, 'CHAT-1'))}`);
    const f = p.frameLocator('iframe');
    await f.getByTestId('panel-create').waitFor({ timeout: 20_000 });
    assert.match(await f.locator('.panel-buyer').innerText(), /聊天买家小周/);
    const orders = await f.getByTestId('panel-orders').innerText();
    assert.ok(orders.indexOf('CHAT-1') < orders.indexOf('CHAT-0'), 'newest order first');
    assert.equal(await f.locator('input[name=order][value="CHAT-1"]').isChecked(), true, 'the link\'s order is chosen');
    const wos = f.getByTestId('panel-workorders');
    assert.match(await wos.innerText(), /催发货/);
    assert.match(await wos.innerText(), /质检 · 包装破损/, "the shop's type by its name");
    assert.ok(!(await wos.innerText()).includes(typeKey), 'never by its key');
    assert.match(await wos.getByTestId('panel-countdown').first().innerText(), /^剩余 \d/);
    const cases = f.getByTestId('panel-cases');
    assert.match(await cases.innerText(), /待商家处理/);
    assert.match(await cases.getByTestId('panel-countdown').innerText(), /^剩余 \d/);
    assert.match(await f.locator('.panel-disputes').innerText(), /历史投诉 1 次/);
    await B.shot('panel-chat-1440');

    // one click without content asks for it, and sends nothing
    await f.getByTestId('panel-create').click();
    assert.match(await f.locator('#panel-content-help').innerText(), /请输入工单内容/);
    await f.locator('#panel-content').fill('买家要求加急发货\n请仓库今天下午发出');
    await f.locator('#panel-handler').selectOption(agent.id);
    await f.getByTestId('panel-create').click();
    const created = f.getByTestId('panel-created');
    await created.waitFor({ timeout: 15_000 });
    const number = (await created.innerText()).match(/GD-\d+/)[0];
    assert.match(await wos.innerText(), /买家要求加急发货/, 'the new work order is listed with the open ones');
    await B.shot('panel-created-1440');

    const list = (await L.call('GET', '/workorders?view=shop&order_no=CHAT-1')).json.items;
    const made = list.find((w) => w.number === number);
    assert.ok(made, `${number} exists`);
    assert.equal(made.type, 'after_sales');
    assert.equal(made.title, '买家要求加急发货');
    assert.equal(made.content, '买家要求加急发货\n请仓库今天下午发出');
    assert.equal(made.handler.id, agent.id);
    assert.equal(made.creator.id, lead.id);
    assert.equal(list.filter((w) => w.title === '买家要求加急发货').length, 1, 'one work order for one click');
    B.assertClean();
  } finally {
    await B.close();
  }
});

test('the panel alone at 390 px, and a used link explained', { timeout: 300_000 }, async () => {
  const B = await openBrowser({ width: 390, height: 844 });
  try {
    const p = B.page;
    const link = signedLink(agent.username, 'CHAT-1');
    await p.goto(link);
    await p.getByTestId('panel-create').waitFor({ timeout: 20_000 });
    await B.shot('panel-390');
    // in English (the language the workbench stored), the type's English name; the link signed
    // the agent in, so the panel opens on the session
    const en = await B.ctx.newPage();
    await en.addInitScript(() => localStorage.setItem('gongdan.lang', 'en'));
    await en.goto(`${srv.url}/panel?order_no=CHAT-1`);
    const wos = en.getByTestId('panel-workorders');
    await wos.waitFor({ timeout: 20_000 });
    assert.match(await wos.innerText(), /Quality check · 包装破损/);
    assert.ok(!(await wos.innerText()).includes(typeKey), 'never by its key');
    await en.evaluate(() => localStorage.removeItem('gongdan.lang')); // the pages after it read Chinese again
    await en.close();
    const again = await B.ctx.newPage();
    await again.goto(link);
    assert.match(await again.getByTestId('panel-notice').innerText(), /链接已使用过/);
    await again.close();
    B.assertClean();
  } finally {
    await B.close();
  }
});

test('in a frame of an origin the shop does not list, the browser refuses the panel', { timeout: 300_000 }, async () => {
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await p.goto(`${stranger.origin}/?panel=${encodeURIComponent(signedLink(agent.username, 'CHAT-1'))}`);
    await p.waitForLoadState('load');
    await p.waitForTimeout(1500);
    const frame = p.frames().find((fr) => fr !== p.mainFrame());
    assert.equal(await frame.locator('[data-testid=panel-create]').count(), 0, 'no panel inside the frame');
    B.expectedConsole(/frame-ancestors/);
    await B.shot('panel-refused-1440');
    B.assertClean();
  } finally {
    await B.close();
  }
});
