// Webhook 集成 in the workbench, against the real server and a real receiver (node:http on loopback):
// a shop lead opens the page from the menu, the form refuses a bad URL (in the browser, and on the field the
// server names), adds an endpoint and sees its secret once; a work order created over the API reaches the
// receiver signed with that secret and the page's row counts it as delivered (the page polls); a receiver that
// fails turns the row to 重试中 and back to 正常; the page in English and at phone width; an agent has no
// menu entry nor page; the lead deletes the endpoint with the Popconfirm and the table is empty.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { animationsDone, login, openBrowser, test } from './browser.mjs';
import { apiLogin } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();
let recv;

/** A receiver that records every POST (raw body, headers) and answers 204, or 500 while `down` is set. */
function receiver() {
  const r = { got: [], down: false, attempts: 0 };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      r.attempts++;
      if (req.method !== 'POST' || r.down) {
        res.writeHead(r.down ? 500 : 405).end('not now');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* kept raw: the test fails on it below */
      }
      r.got.push({ path: req.url, headers: req.headers, raw, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    r.server.listen(0, '127.0.0.1', () => {
      r.url = `http://127.0.0.1:${r.server.address().port}`;
      resolve(r);
    }),
  );
}

/** Poll `fn` until it returns something truthy (no fixed sleeps: the machine may be slow). */
async function until(fn, timeout, what) {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

before(async () => {
  recv = await receiver();
});
after(async () => {
  recv?.server.closeAllConnections?.();
  recv?.server.close();
});

const account = (username) => {
  const a = srv.accounts.find((x) => x.username === username);
  assert.ok(a, `demo has ${username}`);
  return a;
};

async function shot(X, name) {
  await animationsDone(X.page);
  await X.shot(name);
}

const rows = (p) => p.locator('[data-testid=webhooks-table] .ant-table-tbody .ant-table-row');
const countOf = async (p, testid) => Number(await p.getByTestId(testid).first().getAttribute('data-count'));

test('a lead adds a webhook, sees the secret once, events arrive signed, the row shows them; then deletes it', { timeout: 300_000 }, async () => {
  const lead = account('tea_lead');
  const A = await openBrowser();
  let secret;
  try {
    const p = A.page;
    await login(p, srv.url, lead);

    // From the menu to the page.
    await p.getByTestId('nav-webhooks').click();
    await p.waitForURL(/\/webhooks$/);
    await p.getByRole('heading', { name: 'Webhook 集成' }).waitFor();
    await p.locator('[data-testid=webhooks-table] .ant-table-placeholder').filter({ hasText: '还没有 Webhook' }).waitFor({ timeout: 15_000 });
    // the explanation of deliveries is on the page
    const help = p.getByTestId('webhooks-help');
    for (const s of ['X-Gongdan-Signature', 'HMAC-SHA256', '按事件', '1 小时']) assert.ok((await help.innerText()).includes(s), `help mentions ${s}`);

    // Keyboard: the add button opens the form with the URL field focused; a bad URL is refused on the field.
    await p.getByTestId('webhooks-add').focus();
    await p.keyboard.press('Enter');
    const url = p.getByTestId('webhook-url-input');
    await url.waitFor({ state: 'visible' });
    await until(() => url.evaluate((el) => el === document.activeElement), 10_000, 'the URL field to have the focus');
    await p.keyboard.type('ftp://x');
    await p.keyboard.press('Enter');
    const urlItem = p.locator('.ant-form-item').filter({ has: url });
    await urlItem.locator('.ant-form-item-explain-error').filter({ hasText: '接收地址须以 http:// 或 https:// 开头' }).waitFor({ timeout: 10_000 });
    assert.equal(await url.getAttribute('aria-invalid'), 'true', 'the field is marked invalid for screen readers');
    // the label names the field for screen readers
    assert.equal(await p.getByLabel('接收地址（URL）').getAttribute('data-testid'), 'webhook-url-input');
    await shot(A, '72-webhooks-bad-url');

    // One the browser lets through and the server refuses: its message goes on the field it names.
    await url.fill('http://:8080/hook');
    // the form's own message folds away first: a click taken while that moved the button is lost
    await urlItem.locator('.ant-form-item-explain-error').filter({ hasText: '须以 http://' }).waitFor({ state: 'detached', timeout: 10_000 });
    await animationsDone(p);
    await p.getByTestId('webhook-submit').click();
    await urlItem.locator('.ant-form-item-explain-error').filter({ hasText: '「接收地址」缺少主机名' }).waitFor({ timeout: 15_000 });
    assert.ok(!(await urlItem.innerText()).includes('url has no host'), "the server's English words are not shown in Chinese");
    assert.match(await urlItem.innerText(), /请求编号 \S+/, 'the request id stays, for support');
    A.expectedConsole(/status of 422/);
    await shot(A, '73-webhooks-server-field-error');

    // A good one, pointing at the receiver.
    await url.fill(`${recv.url}/gongdan`);
    await p.getByTestId('webhook-description-input').fill('ERP 同步（e2e）');
    // Only some kinds of event, picked by keyboard in the multi-select: 创建 and 转交.
    const kinds = p.getByTestId('webhook-events-select');
    await kinds.click();
    for (const k of ['创建', '转交']) {
      await kinds.locator('input').fill(k);
      await p.locator('.ant-select-dropdown:visible .ant-select-item-option-active').filter({ hasText: k }).waitFor();
      await p.keyboard.press('Enter');
    }
    await p.keyboard.press('Escape');
    await until(async () => (await kinds.innerText()).includes('转交'), 5_000, 'two kinds picked');
    await p.getByTestId('webhook-submit').click();
    const secretEl = p.getByTestId('webhook-secret');
    await secretEl.waitFor({ timeout: 15_000 });
    secret = ((await secretEl.textContent()) ?? '').trim();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/, `the secret is shown: ${secret}`);
    const secretBody = p.getByTestId('webhook-secret-body');
    assert.ok((await secretBody.innerText()).includes('密钥只显示这一次'), 'says the secret will not be shown again');
    await secretBody.locator('.ant-typography-copy').click(); // the copy button works (no console error)
    await shot(A, '71-webhooks-secret');
    await p.getByTestId('webhook-secret-done').click();
    await secretEl.waitFor({ state: 'hidden' });

    // The row: URL, description, 正常, nothing delivered yet, and the secret is nowhere on the page any more.
    await until(async () => (await rows(p).count()) === 1, 15_000, 'one row');
    const row = rows(p).first();
    const text = await row.innerText();
    assert.ok(text.includes(`${recv.url}/gongdan`), text);
    assert.ok(text.includes('ERP 同步（e2e）'), text);
    assert.equal(await row.getByTestId('webhook-events').innerText(), '创建、转交');
    assert.equal(await row.getByTestId('webhook-status').getAttribute('data-status'), 'ok');
    assert.ok(text.includes('正常'), text);
    await until(async () => !(await p.content()).includes(secret), 10_000, 'the secret to leave the page once the dialog is closed');

    // A work order created over the API reaches the receiver, signed with the secret.
    const api = await apiLogin(srv.url, lead.username, lead.password);
    const title = `Webhook e2e ${Date.now()}`;
    const made = await api.call('POST', '/workorders', { type: 'task_memo', title, content: '核对 ERP 同步' });
    assert.equal(made.status, 201, made.text);
    const wo = made.json;
    const got = await until(
      () => recv.got.find((g) => g.body?.events?.some((e) => e.kind === 'created' && e.workorder.id === wo.id)),
      60_000,
      'the receiver to get the created event',
    );
    const ev = got.body.events.find((e) => e.kind === 'created' && e.workorder.id === wo.id);
    assert.equal(got.path, '/gongdan');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(ev.workorder.number, wo.number);
    assert.equal(ev.workorder.type, 'task_memo');
    assert.equal(ev.actor?.id, api.user.id);
    assert.ok(ev.id && ev.seq && !Number.isNaN(Date.parse(ev.at)), JSON.stringify(ev));
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got.headers['x-gongdan-signature'] ?? '');
    assert.ok(sig, `signature header: ${got.headers['x-gongdan-signature']}`);
    assert.ok(Math.abs(Date.now() / 1000 - Number(sig[1])) < 600, 'the signature time is now');
    assert.equal(sig[2], createHmac('sha256', secret).update(`${sig[1]}.${got.raw}`).digest('hex'), 'the signature verifies with the secret from the dialog');
    assert.notEqual(sig[2], createHmac('sha256', `${secret}x`).update(`${sig[1]}.${got.raw}`).digest('hex'));

    // The page (polling, no reload) shows it delivered, with the receiver's answer.
    await until(async () => (await countOf(p, 'webhook-delivered')) >= 1, 60_000, 'the row to show 已送达 ≥ 1');
    await until(async () => (await row.getByTestId('webhook-last').getAttribute('data-status').catch(() => null)) === '204', 30_000, 'HTTP 204 as the last attempt');
    assert.equal(await countOf(p, 'webhook-pending'), 0);
    assert.ok((await row.innerText()).includes('HTTP 204'));
    await shot(A, '70-webhooks-list');

    // A receiver that fails: the row turns 重试中 with the failures and the next attempt, then back to 正常.
    recv.down = true;
    const failing = await api.call('POST', '/workorders', { type: 'task_memo', title: `${title} 重试`, content: '接收端暂时出错' });
    assert.equal(failing.status, 201, failing.text);
    const status = row.getByTestId('webhook-status');
    await until(async () => (await status.getAttribute('data-status')) === 'retrying', 60_000, 'the row to show 重试中');
    const failText = await row.innerText();
    assert.ok(failText.includes('重试中'), failText);
    assert.match(failText, /连续失败 \d+ 次/);
    assert.match(failText, /下次重试 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    assert.ok(failText.includes('HTTP 500'), failText);
    assert.ok(Number(await status.getAttribute('data-failures')) >= 1);
    assert.ok((await countOf(p, 'webhook-pending')) >= 1, 'the event is owed');
    await shot(A, '74-webhooks-retrying');
    recv.down = false;
    await until(async () => (await status.getAttribute('data-status')) === 'ok' && (await countOf(p, 'webhook-pending')) === 0, 90_000, 'the row back to 正常');
    assert.ok(recv.got.some((g) => g.body?.events?.some((e) => e.kind === 'created' && e.workorder.id === failing.json.id)), 'the retried event arrived');

    // English.
    await p.getByTestId('lang-switch').click();
    await p.getByRole('heading', { name: 'Webhook integration' }).waitFor();
    assert.ok((await row.innerText()).includes('Healthy'));
    await shot(A, '75-webhooks-english');
    await p.getByTestId('lang-switch').click();
    await p.getByRole('heading', { name: 'Webhook 集成' }).waitFor();

    // Delete with the Popconfirm, by keyboard: Enter on 删除 opens it with the focus on 取消, Tab reaches the
    // confirming 删除, Enter deletes; the table is empty.
    await row.getByTestId('webhook-delete').focus();
    await p.keyboard.press('Enter');
    const pop = p.locator('.ant-popconfirm:visible');
    await pop.waitFor();
    assert.ok((await pop.innerText()).includes('删除这个 Webhook？'));
    const focusedText = () => p.evaluate(() => document.activeElement?.closest('.ant-popconfirm') ? document.activeElement.innerText.replace(/\s+/g, '') : null);
    await until(async () => (await focusedText()) === '取消', 10_000, 'the focus on the Popconfirm 取消');
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'webhook-delete-confirm', 'Tab reaches the confirming 删除');
    await shot(A, '77-webhooks-delete-confirm');
    await p.keyboard.press('Enter');
    await p.locator('[data-testid=webhooks-table] .ant-table-placeholder').filter({ hasText: '还没有 Webhook' }).waitFor({ timeout: 15_000 });
    assert.equal(await rows(p).count(), 0);
    // and it stays empty over the next poll
    const listed = await api.call('GET', '/webhooks');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.items, []);
    await shot(A, '78-webhooks-deleted');
    A.assertClean();
  } finally {
    await A.close();
  }
});

test('phone width: the page is reachable from the drawer menu and does not scroll sideways', { timeout: 120_000 }, async () => {
  const lead = account('tea_owner');
  const P = await openBrowser({ width: 390, height: 844 });
  try {
    const p = P.page;
    await login(p, srv.url, lead);
    await p.getByRole('button', { name: /导航|Navigation/ }).first().click();
    await p.locator('.ant-drawer-open').waitFor();
    await p.locator('.ant-drawer-open').getByTestId('nav-webhooks').click();
    await p.waitForURL(/\/webhooks$/);
    await p.getByRole('heading', { name: 'Webhook 集成' }).waitFor();
    await p.locator('.ant-drawer-open').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await p.locator('[data-testid=webhooks-table] .ant-table-placeholder, [data-testid=webhooks-table] .ant-table-row').first().waitFor({ timeout: 15_000 });
    await shot(P, '76-webhooks-phone');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal page scroll at phone width (overflow ${overflow}px)`);
    await p.getByTestId('webhooks-add').click();
    await p.getByTestId('webhook-url-input').waitFor({ state: 'visible' });
    await shot(P, '79-webhooks-phone-form');
    P.assertClean();
  } finally {
    await P.close();
  }
});

test('an agent has no Webhook 集成: no menu entry, no page, 403 from the API', { timeout: 120_000 }, async () => {
  const agent = account('tea_agent1');
  const B = await openBrowser();
  try {
    const p = B.page;
    await login(p, srv.url, agent);
    await p.locator('nav .ant-menu-item').first().waitFor();
    assert.ok((await p.locator('nav').first().innerText()).includes('新建工单'), 'the menu has loaded');
    assert.equal(await p.getByTestId('nav-webhooks').count(), 0, 'no menu entry for an agent');
    assert.ok(!(await p.locator('nav').first().innerText()).includes('Webhook'));
    await p.goto(`${srv.url}/webhooks`);
    await p.locator('.ant-result-404').waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('webhooks-table').count(), 0);
    const api = await apiLogin(srv.url, agent.username, agent.password);
    assert.equal((await api.call('GET', '/webhooks')).status, 403);
    B.assertClean();
  } finally {
    await B.close();
  }
});
