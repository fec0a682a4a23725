// Mutation fuzzing over HTTP: valid requests with random bytes flipped, cut or repeated, sent to
// the parsers that face the outside (JSON bodies, CSV import, multipart uploads, query strings,
// headers). Every answer must be a well-formed JSON error or a success, never a 5xx, and the
// server must stay up (under ASan in the sanitizer run, any memory error ends it). The seed is
// fixed, so a failure replays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, INVALID } from './lib.mjs';

// Every mutated request is invalid on purpose (INVALID); the answers are still checked against
// the document.

let srv, lead, seed = 20261126;
const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = (n) => Math.floor(rand() * n);

function mutate(buf) {
  const b = Buffer.from(buf);
  const out = [];
  let i = 0;
  while (i < b.length) {
    const r = rand();
    if (r < 0.02) { out.push(pick(256)); i++; }                    // replace a byte
    else if (r < 0.03) { i += 1 + pick(8); }                        // drop some
    else if (r < 0.04) { out.push(...b.subarray(i, i + pick(16))); } // repeat some
    else if (r < 0.045) { out.push(0xe9, 0x80); i++; }              // a cut UTF-8 sequence
    else { out.push(b[i]); i++; }
  }
  return Buffer.from(out.slice(0, 64 * 1024));
}

async function expectSane(r, what) {
  assert.ok(r.status < 500, `${what}: status ${r.status}`);
  if (r.status >= 400) {
    const body = await r.json();
    assert.ok(body.error && typeof body.error.message === 'string', `${what}: error body`);
  } else {
    await r.arrayBuffer();
  }
}

before(async () => {
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
});
after(async () => { await srv.cleanup(); });

test('JSON bodies of every kind of write survive mutation', async () => {
  const wo = (await lead.post('/api/v1/workorders', { type: 'task_memo', title: '模糊测试' })).body;
  const seeds = [
    ['POST', '/api/v1/workorders', { type: 'after_sales', title: '买家申请退款', content: '破损', priority: 'high', deadline: '2030-01-01T00:00:00+08:00', custom: { a: [1, { b: '二' }] } }],
    ['PUT', '/api/v1/orders/FZ-1', { buyer_nick: '小林', status: 'paid', paid_amount: 100, items: [{ title: '茶', sku: 'S', quantity: 1, price: 100 }] }],
    ['PATCH', `/api/v1/workorders/${wo.id}`, { title: '新标题', priority: 'low' }],
    ['POST', `/api/v1/workorders/${wo.id}/notes`, { text: '备注\n"引号"' }],
    ['POST', '/api/v1/session', { username: 'tea_lead', password: 'x' }],
    ['POST', '/api/v1/exports', { format: 'csv', headers: 'zh', view: 'shop', q: '退款' }],
    ['PUT', '/api/v1/rules', { reply_window_hours: 24 }],
    ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:1/hook?a=1', description: 'ERP 同步' }],
  ];
  for (let round = 0; round < 60; round++) {
    for (const [method, path, body] of seeds) {
      // JSON bodies say so: sign-in refuses any other Content-Type before it parses (login CSRF)
      const r = await fetch(srv.base + path, { method, headers: { ...lead.headers, 'content-type': 'application/json', ...INVALID }, body: mutate(JSON.stringify(body)) });
      await expectSane(r, `${method} ${path}`);
    }
  }
});

test('CSV imports survive mutation and never store a half row', async () => {
  const csv = 'order_no,buyer_nick,status,paid_amount,created_at,items\r\n' +
    'FZ-C1,"张,三",paid,100,2026-01-02T10:00:00+08:00,"[{""title"":""茶"",""sku"":""S"",""quantity"":1,""price"":100}]"\r\n' +
    'FZ-C2,李四,shipped,200,,\r\n';
  for (let round = 0; round < 80; round++) {
    const r = await fetch(srv.base + '/api/v1/orders/import', { method: 'POST', headers: { ...lead.headers, 'content-type': 'text/csv', ...INVALID }, body: mutate(csv) });
    await expectSane(r, 'import');
  }
  const orders = (await lead.get('/api/v1/orders?q=FZ-C&limit=200')).body.items;
  for (const o of orders) {
    assert.ok(['paid', 'shipped', 'signed', 'refunding', 'closed'].includes(o.status));
    assert.ok(Number.isInteger(o.paid_amount) && o.paid_amount >= 0);
    assert.ok(Array.isArray(o.items));
  }
});

test('multipart uploads survive mutation', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const boundary = '----gdfuzz7MA4YWxkTrZu0gW';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="聊天记录.png"\r\nContent-Type: image/png\r\n\r\n`),
    png, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  for (let round = 0; round < 120; round++) {
    const ct = round % 10 === 0 ? String(mutate(`multipart/form-data; boundary=${boundary}`)) : `multipart/form-data; boundary=${boundary}`;
    const r = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', headers: { ...lead.headers, 'content-type': ct.replace(/[^\x20-\x7e]/g, ''), ...INVALID }, body: mutate(body) });
    await expectSane(r, 'upload');
  }
});

test('query strings and headers survive mutation', async () => {
  const q = 'view=shop&type=after_sales&state=open&sort=-created&limit=20&q=%E9%80%80%E6%AC%BE&created_from=2026-01-01&cursor=1795064469250.384376039800832000';
  for (let round = 0; round < 150; round++) {
    const mq = String(mutate(q)).replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
    const r = await fetch(srv.base + '/api/v1/workorders?' + mq, { headers: { ...lead.headers, 'if-match': String(mutate('"3"')).replace(/[^\x20-\x7e]/g, ''), ...INVALID } });
    await expectSane(r, 'list ' + mq);
  }
  assert.equal((await fetch(srv.base + '/healthz')).status, 200, 'the server is still up');
});
