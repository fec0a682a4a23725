// What a new user tripped over in the workbench, in Chinese, at 1440 and 390 px:
// - sorting: each list asks for the order its sort control shows (我创建的, 全店工单 newest first; 待我处理 by deadline);
// - home: every card says whose work it counts and opens a list holding exactly that many;
// - the seller's reply: errors clear as their field is filled, a future contact time is refused for that
//   reason (once), and nothing final is sent without a confirmation showing what is sent;
// - no English or raw code on a failed sign-in, on /stats for an agent, in the history, in the rules editor;
// - wording on the collaborative page (判责人, 介入时间, 申诉截止, 回复截止：, the judge's 处理方式);
// - phone width: the order's 单价 on screen, names not broken, who is signed in and where;
// - evidence images as thumbnails with a preview;
// - the rules editor: a window of 0 is refused on the form, reminders are on the form, versions compare.
import assert from 'node:assert/strict';
import { confirmDialog, login, openBrowser, pickOption, test } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const SHOP = '江南茶舍旗舰店';
// 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const srv = serverForFile();

const account = srv.account;
const api = (username) => apiLogin(srv.url, username, account(username).password);

/** snake_case words (codes such as seller_timeout, support_buyer) in a page's visible text */
async function codesOnPage(page) {
  const text = await page.locator('#main').innerText();
  return [...text.matchAll(/\b[a-z]+_[a-z_]+\b/g)].map((m) => m[0]);
}

/** The /api/v1/workorders list requests a page makes. */
function watchLists(page) {
  const seen = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/workorders') seen.push(u.searchParams);
  });
  return seen;
}

async function waitFor(fn, what, timeout = 15_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pad = (n) => String(n).padStart(2, '0');
/** local time as the DatePicker shows it (browser time zone Asia/Shanghai) */
function shanghai(d) {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

test('sorting: the list comes in the order its sort control shows, chosen per view', { timeout: 120_000 }, async () => {
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    const lists = watchLists(p);
    await login(p, srv.url, account('tea_lead'));
    const numbers = async () => (await p.locator('.ant-table-row [data-testid=wo-link]').allInnerTexts()).map((s) => Number(s.replace(/\D/g, '')));

    for (const [view, sort, label] of [
      ['created', '-created', '创建时间 ↓'],
      ['shop', '-created', '创建时间 ↓'],
      ['todo', 'deadline', '截止时间 ↑'],
    ]) {
      lists.length = 0;
      await p.goto(`${srv.url}/list/${view}`);
      const q = await waitFor(() => lists.find((s) => s.get('view') === view), `the ${view} request`);
      assert.equal(q.get('sort'), sort, `${view}: the request names the sort`);
      assert.ok((await p.getByTestId('sort').innerText()).includes(label), `${view}: the control shows ${label}`);
      if (sort === '-created') {
        await p.locator('.ant-table-row').first().waitFor({ timeout: 15_000 });
        const n = await numbers();
        assert.deepEqual(n, [...n].sort((a, b) => b - a), `${view}: newest first, as the control says`);
      }
    }
    // 全店工单 opens on what is new, not on long-finished work orders with the oldest deadlines
    await p.goto(`${srv.url}/list/shop`);
    await p.locator('.ant-table-row').first().waitFor({ timeout: 15_000 });
    await B.shot('90-shop-list-sorted');

    // choosing another order: the request and the control agree
    lists.length = 0;
    await pickOption(p, p.getByTestId('sort'), '截止时间 ↑');
    await p.getByTestId('filter-apply').click();
    const q = await waitFor(() => lists.find((s) => s.get('sort') === 'deadline'), 'the re-sorted request');
    assert.equal(q.get('view'), 'shop');
    assert.ok((await p.getByTestId('sort').innerText()).includes('截止时间 ↑'));
    B.assertClean();
  } finally {
    await B.close();
  }
});

test('home: each card says whose work it counts, and opens a list of exactly that many', { timeout: 150_000 }, async () => {
  for (const [user, titles] of [
    ['tea_agent1', { todo: '待我处理', due_soon: '我的即将超期（4 小时内）', overdue: '我的已超期', collab_awaiting: '我的协同工单待回复' }],
    ['tea_lead', { todo: '待我处理', due_soon: '我的即将超期（4 小时内）', overdue: '全店已超期', collab_awaiting: '全店协同工单待回复' }],
  ]) {
    const B = await openBrowser({ width: 1440, height: 900 });
    try {
      const p = B.page;
      await login(p, srv.url, account(user));
      for (const [key, title] of Object.entries(titles)) {
        const card = p.getByTestId(`count-${key}`);
        await card.waitFor();
        await waitFor(async () => /\d/.test(await card.innerText()), `${key} count`);
        const text = await card.innerText();
        assert.ok(text.startsWith(title), `${user} ${key}: "${text}" names whose work it counts`);
        const n = Number(text.slice(title.length).replace(/\D/g, ''));
        await card.click();
        await p.waitForURL(/\/list\//);
        const table = p.getByTestId('wo-table');
        await table.waitFor();
        // the list holds the card's number once loaded (a loading table can say 没有… for a moment)
        const rows = table.locator('.ant-table-row');
        await waitFor(async () => (n === 0 ? (await p.getByText('没有符合条件的工单').count()) > 0 : (await rows.count()) === n), `${user} ${key}: the list reaches ${n} rows`);
        assert.equal(await table.locator('.ant-table-row').count(), n, `${user} ${key}: the card says ${n}, its list holds as many`);
        await p.goBack();
      }
      // the collaborative list on the home page holds what its card counts
      const collabCard = await p.getByTestId('count-collab_awaiting').innerText();
      const counted = Number(collabCard.slice(titles.collab_awaiting.length).replace(/\D/g, ''));
      const items = p.locator('[data-testid=home-collab] .ant-list-item');
      await waitFor(async () => (await items.count()) === Math.min(8, counted), `${user}: the home list holds what its card counts (${counted})`);
      await B.shot(`91-home-${user}`);
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});

test('the seller reply: errors clear when fixed, the right reason for a future time, a confirmation before the final send', { timeout: 480_000 }, async () => {
  const plat = await api('xiaoer1');
  const lead = await api('tea_lead');
  const orders = await lead.call('GET', '/orders?limit=3');
  const created = await plat.call('POST', '/collab', { shop_id: lead.user.shop_id, order_no: orders.json.items[2].order_no, category: '描述不符', complaint: '颜色与图片不符，买家要求退款。', remedy: 'refund' });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;

  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await login(p, srv.url, account('tea_lead'));
    await p.goto(`${srv.url}/wo/${id}`);
    const form = p.getByTestId('reply-form');
    await form.waitFor({ timeout: 15_000 });
    // 回复截止 with a Chinese colon
    assert.match(await p.getByTestId('collab-panel').innerText(), /回复截止：\d{4}-/);
    assert.doesNotMatch(await p.getByTestId('collab-panel').innerText(), /回复截止:/);

    await p.getByTestId('opt-not_agreed').click();
    await p.getByTestId('reply-submit').click();
    const descItem = form.locator('.ant-form-item').filter({ has: p.locator('textarea') });
    await descItem.getByText('此项必填').waitFor();
    await form.locator('textarea').first().fill('已电话联系买家，买家坚持全额退款。');
    await descItem.getByText('此项必填').waitFor({ state: 'detached', timeout: 5000 });

    // a contact time a few minutes ahead: refused because it is in the future, said once
    const contact = form.locator('.ant-picker input').first();
    // the picker offers no day after today (Shanghai): within five minutes of midnight, wait for
    // the new day so that "five minutes ahead" is still today
    const ahead = new Date(Date.now() + 5 * 60_000);
    if (shanghai(ahead).slice(0, 10) !== shanghai(new Date()).slice(0, 10)) {
      await new Promise((r) => setTimeout(r, ahead.getTime() - Date.now() + 1000));
    }
    await contact.click();
    await contact.fill(shanghai(new Date(Date.now() + 5 * 60_000)));
    await p.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await p.getByTestId('reply-submit').click();
    await form.getByText('联系时间不能晚于现在').waitFor();
    assert.equal(await p.getByText('联系时间不能晚于现在').count(), 1, 'the reason is shown once');
    assert.equal(await p.getByText(/联系时间须晚于工单创建时间|联系时间必须晚于工单创建时间/).count(), 0, 'not the wrong reason');
    await B.shot('92-reply-future-contact');
    // clearing the time clears its error
    await form.locator('.ant-picker-clear').first().click({ force: true });
    await form.getByText('联系时间不能晚于现在').waitFor({ state: 'detached', timeout: 5000 });

    // evidence: an image shows as a thumbnail after the reply
    await p.getByTestId('evidence-input').setInputFiles({ name: '聊天记录.png', mimeType: 'image/png', buffer: PNG });
    await p.getByTestId('thumb').locator('.ant-progress-status-success').waitFor({ timeout: 15_000 });

    // the final send is asked once more, with what is sent; going back sends nothing
    await p.getByTestId('reply-submit').click();
    const confirm = p.locator('.confirm-final');
    await confirm.waitFor();
    const confirmText = await confirm.innerText();
    assert.match(confirmText, /回复提交后不能修改/);
    assert.match(confirmText, /未达成一致/);
    assert.match(confirmText, /买家坚持全额退款/);
    assert.match(confirmText, /1 个文件/);
    await B.shot('93-reply-confirm');
    await p.getByTestId('confirm-back').click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await lead.call('GET', `/workorders/${id}`)).json.workorder.state, 'awaiting_seller', 'going back sent nothing');
    await form.waitFor();

    await p.getByTestId('reply-submit').click();
    await confirmDialog(p);
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal((await lead.call('GET', `/workorders/${id}`)).json.workorder.state, 'intervention');
    await p.getByTestId('timeline').getByText('回复了协同工单：未达成一致').waitFor();

    // the evidence image: a thumbnail, and a click opens the preview
    const thumb = p.getByTestId('evidence-thumb').first();
    await thumb.waitFor();
    const img = thumb.locator('img').first();
    await waitFor(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the thumbnail loads');
    assert.match(await thumb.innerText(), /聊天记录\.png/);
    await img.click();
    await p.locator('.ant-image-preview').first().waitFor({ timeout: 5000 });
    await B.shot('94-evidence-preview');
    await p.keyboard.press('Escape');
    B.assertClean();
  } finally {
    await B.close();
  }
});

test('no English or code reaches a Chinese user: sign-in, /stats, history, rules editor', { timeout: 150_000 }, async () => {
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    // a failed sign-in
    await p.goto(`${srv.url}/login`);
    await p.locator('#username').fill('tea_lead');
    await p.locator('#password').fill('not-the-password');
    await p.getByTestId('login-submit').click();
    const err = p.getByTestId('error-desc');
    await err.waitFor();
    const errText = await err.innerText();
    assert.match(errText, /用户名或密码不正确/);
    assert.doesNotMatch(errText.replace(/请求编号 \S+/, ''), /[A-Za-z]/, `only Chinese besides the request id: ${errText}`);
    B.expectedConsole(/status of 401/);
    await B.shot('95-login-failed');

    // an agent opening /stats
    await login(p, srv.url, account('tea_agent1'));
    await p.goto(`${srv.url}/stats`);
    await p.getByText('团队统计只对客服主管和店主开放').waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await p.locator('#main').innerText(), /statistics are for/);
    B.expectedConsole(/status of 403/);
  } finally {
    await B.close();
  }

  // the history of the demo's timed-out case, as the lead reads it
  const lead = await api('tea_lead');
  const list = await lead.call('GET', '/workorders?view=shop&type=collab&limit=50');
  let timedOut = null;
  for (const w of list.json.items) {
    const d = await lead.call('GET', `/workorders/${w.id}`);
    if (d.json.events.some((e) => e.kind === 'seller_timeout')) timedOut = w.id;
  }
  assert.ok(timedOut, 'the demo has a case the seller let time out');
  const L = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = L.page;
    await login(p, srv.url, account('tea_lead'));
    await p.goto(`${srv.url}/wo/${timedOut}`);
    await p.getByTestId('timeline').getByText('商家超时未回复，视为放弃举证，转平台介入').waitFor({ timeout: 15_000 });
    assert.deepEqual(await codesOnPage(p), [], 'no codes on the page');
    L.assertClean();
  } finally {
    await L.close();
  }

  // the rules editor's table headers
  const A = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = A.page;
    await login(p, srv.url, account('operator'));
    await p.goto(`${srv.url}/rules`);
    const headers = p.locator('.ant-table-thead th');
    await headers.first().waitFor({ timeout: 15_000 });
    const h = await headers.allInnerTexts();
    assert.ok(h.includes('选项代码'), `headers: ${h}`);
    assert.ok(!h.some((x) => /^(code|English)$/.test(x.trim())), `no English headers: ${h}`);
    A.assertClean();
  } finally {
    await A.close();
  }
});

test('wording on the collaborative pages: 判责人, 介入时间, 申诉截止, the judge\'s 处理方式', { timeout: 150_000 }, async () => {
  const lead = await api('tea_lead');
  const find = async (state) => (await lead.call('GET', `/workorders?view=shop&type=collab&state=${state}&limit=1`)).json.items[0];
  const judged = await find('judged');
  const intervention = await find('intervention');
  assert.ok(judged && intervention, 'the demo has judged and intervention cases');

  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await login(p, srv.url, account('tea_lead'));
    await p.goto(`${srv.url}/wo/${judged.id}`);
    const panel = p.getByTestId('collab-panel');
    await panel.getByText('判责结果').waitFor({ timeout: 15_000 });
    const text = await panel.innerText();
    assert.match(text, /判责人\s*\S+/, 'the judge is labelled 判责人');
    assert.match(text, /介入时间/, 'the intervention block says 介入时间');
    assert.doesNotMatch(text, /\n判责\s+小二/, 'not "判责 小二…"');
    assert.match(await p.getByTestId('wo-fields').innerText(), /申诉截止\s+\d{4}-\d\d-\d\d/, 'the deadline of a judged case is labelled 申诉截止');
    assert.match(text, /消费者期望的解决方式/, 'the buyer\'s wish is labelled as the buyer\'s');
    await B.shot('96-judged-wording');
    B.assertClean();
  } finally {
    await B.close();
  }
  const P = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = P.page;
    // the case's own handler judges it
    let judge = 'xiaoer1';
    for (const u of ['xiaoer1', 'xiaoer2']) if ((await api(u)).user.display_name === intervention.handler?.display_name) judge = u;
    await login(p, srv.url, account(judge));
    await p.goto(`${srv.url}/wo/${intervention.id}`);
    const jf = p.getByTestId('judge-form');
    await jf.waitFor({ timeout: 15_000 });
    await jf.getByText('支持消费者', { exact: true }).click();
    const labels = await jf.locator('.ant-form-item-label').allInnerTexts();
    assert.ok(labels.some((l) => l.trim() === '处理方式'), `the judge picks a 处理方式: ${labels}`);
    assert.ok(!labels.some((l) => /期望解决方式/.test(l)), 'not the buyer\'s 期望解决方式');
    P.assertClean();
  } finally {
    await P.close();
  }
});

test('phone width (390 px): 单价 on screen, names whole, who is signed in and where', { timeout: 120_000 }, async () => {
  const lead = await api('tea_lead');
  const withOrder = (await lead.call('GET', '/workorders?view=shop&limit=50')).json.items.find((w) => w.order_no && w.type !== 'collab');
  assert.ok(withOrder, 'a work order about an order');
  const B = await openBrowser({ width: 390, height: 844 });
  try {
    const p = B.page;
    await login(p, srv.url, account('tea_lead'));
    const who = p.getByTestId('who-sm');
    await who.waitFor();
    assert.match(await who.innerText(), /王主管[\s\S]*江南茶舍旗舰店/, 'the header says who and in which shop');

    await p.goto(`${srv.url}/wo/${withOrder.id}`);
    const items = p.getByTestId('order-items');
    await items.waitFor({ timeout: 15_000 });
    const price = items.locator('th').filter({ hasText: '单价' });
    const box = await price.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `单价 is on screen: ${JSON.stringify(box)}`);
    const cell = await items.locator('tbody tr').first().locator('td').last().boundingBox();
    assert.ok(cell && cell.x + cell.width <= 390, 'the price itself is on screen');
    await B.shot('97-phone-order');

    await p.goto(`${srv.url}/list/shop`);
    await p.getByTestId('wo-cards').locator('.wo-card-item').first().waitFor({ timeout: 15_000 });
    // a name on one line is one line high (a name broken as 吃货小/王 is two)
    const broken = await p.getByTestId('wo-cards').locator('.nowrap').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(e).lineHeight)).map((e) => e.textContent));
    assert.deepEqual(broken, [], 'no buyer or handler name is broken across lines');
    await B.shot('98-phone-list');
    B.assertClean();
  } finally {
    await B.close();
  }
});

test('rules editor: a window of 0 refused on the form, reminders on the form, versions compared', { timeout: 120_000 }, async () => {
  const admin = await api('operator');
  const before = (await admin.call('GET', '/rules')).json;
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await login(p, srv.url, account('operator'));
    await p.goto(`${srv.url}/rules`);
    const win = p.locator('input[data-testid=rules-window], [data-testid=rules-window] input').first();
    await win.waitFor({ timeout: 15_000 });
    const save = p.getByRole('button', { name: '保存为新版本' }).first();

    await win.fill('0');
    await win.blur();
    await p.getByText('回复时限须大于 0（至少 1 秒）').waitFor();
    assert.equal(await win.inputValue(), '0', 'the 0 stays: not quietly turned into 1');
    assert.ok(await save.isDisabled(), 'cannot save a window of 0');

    // a 3-hour window makes the default 4-hour reminder wrong: said on the form, before saving
    await win.fill('3');
    await win.blur();
    await p.getByText('每个提醒须大于 0 小时，且小于回复时限').waitFor();
    assert.ok(await save.isDisabled());
    await B.shot('99-rules-reminder-error');
    await p.getByRole('button', { name: '删除第 1 个提醒' }).click();
    await p.getByText('每个提醒须大于 0 小时，且小于回复时限').waitFor({ state: 'detached' });
    await save.click();
    await p.getByText(/已保存，新版本/).waitFor({ timeout: 15_000 });
    const after = (await admin.call('GET', '/rules')).json;
    assert.equal(after.reply_window_hours, 3);
    assert.deepEqual(after.reminder_offsets_hours, [1]);

    // history: the previous version against the current one
    await p.getByRole('tab', { name: '历史版本' }).click();
    const diff = p.getByTestId('rules-diff');
    await diff.waitFor({ timeout: 15_000 });
    const text = await diff.innerText();
    assert.match(text, /商家回复时限\s+24\s+3/);
    assert.match(text, /提醒时间\s+\[4,1\]\s+\[1\]/);
    await B.shot('99b-rules-history');
    // back to what it was, for any later test
    const restored = await admin.call('PUT', '/rules', { reply_window_hours: before.reply_window_hours, reminder_offsets_hours: before.reminder_offsets_hours });
    assert.equal(restored.status, 200, restored.text);
    B.assertClean();
  } finally {
    await B.close();
  }
});
