// Outgoing webhooks over real HTTP: a real receiver (node:http on loopback) gets a shop's timeline
// events in order, signed with the endpoint's secret; platform-internal notes and other shops'
// events never reach it; a failing endpoint is retried with backoff and loses nothing across a
// restart; bad input, roles and tenants are refused with the field and the rule named.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { BACKEND, BIN, client, INVALID, sqlRows, startServer, until } from './lib.mjs';

let srv, lead, agent, owner, otherLead, xiaoer, recv;

/** A receiver that records every POST and answers 500 while `failNext` > 0 or `down` is set. */
function receiver() {
  const r = { got: [], failNext: 0, down: false, attempts: 0 };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      r.attempts++;
      if (r.down || r.failNext > 0) {
        if (r.failNext > 0) r.failNext--;
        res.writeHead(500).end('not now');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      r.got.push({ path: req.url, headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => r.server.listen(0, '127.0.0.1', () => {
    r.url = `http://127.0.0.1:${r.server.address().port}`;
    resolve(r);
  }));
}

const events = () => recv.got.flatMap((g) => g.body.events);
const hookOf = async (c, id) => (await c.get('/api/v1/webhooks')).body.items.find((h) => h.id === id);

before(async () => {
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
  agent = await client(srv, 'tea_agent1');
  owner = await client(srv, 'tea_owner', { cookie: true });
  otherLead = await client(srv, 'baby_lead');
  xiaoer = await client(srv, 'xiaoer1');
  recv = await receiver();
});
after(async () => {
  await srv?.cleanup();
  recv?.server.close();
});

let hook; // the endpoint the tests below share

test('a lead adds an endpoint: the secret is shown once, then never', async () => {
  const r = await lead.post('/api/v1/webhooks', { url: `${recv.url}/gongdan`, description: 'ERP 同步' },
    { 'idempotency-key': 'hook-1' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.headers.get('location'), `/api/v1/webhooks/${r.body.id}`);
  assert.deepEqual([r.body.delivered, r.body.pending, r.body.failures, r.body.last_status], [0, 0, 0, null]);
  assert.deepEqual(r.body.events, [], 'no kinds named: every kind');
  hook = r.body;
  // a retried create answers the first response and adds nothing
  const again = await lead.post('/api/v1/webhooks', { url: `${recv.url}/gongdan`, description: 'ERP 同步' },
    { 'idempotency-key': 'hook-1' });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, hook.id);
  const list = await lead.get('/api/v1/webhooks');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].url, `${recv.url}/gongdan`);
  assert.equal(list.body.items[0].description, 'ERP 同步');
  assert.ok(!('secret' in list.body.items[0]), 'the list never shows the secret');
  // the owner (signed in with a cookie) sees the same endpoints
  assert.equal((await owner.get('/api/v1/webhooks')).body.items[0].id, hook.id);
});

test("the shop's events arrive in order and signed; internal notes and other shops' events never", async () => {
  const wo = (await lead.post('/api/v1/workorders', { type: 'after_sales', title: '买家催退款 webhook', content: '请尽快处理' })).body;
  assert.ok(wo.id);
  const steps = [
    () => lead.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent.user.id, reason: '售后同事跟进' }),
    () => agent.post(`/api/v1/workorders/${wo.id}/notes`, { text: '已联系买家，"引号" 与换行\n第二行' }),
    () => agent.post(`/api/v1/workorders/${wo.id}/start`),
    () => agent.post(`/api/v1/workorders/${wo.id}/complete`, { text: '已退款' }),
  ];
  for (const step of steps) assert.equal((await step()).status, 200);
  // another shop's work order, and a platform-internal note on one of this shop's collaborative cases
  const theirs = (await otherLead.post('/api/v1/workorders', { type: 'task_memo', title: '别家的工单' })).body;
  const order = (await lead.get('/api/v1/orders?limit=1')).body.items[0];
  const cas = await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: order.order_no, category: '描述不符', complaint: '颜色不符', remedy: 'refund' });
  assert.equal(cas.status, 201, JSON.stringify(cas.body));
  assert.equal((await xiaoer.post(`/api/v1/workorders/${cas.body.id}/notes`, { text: '内部：该店近期投诉多' })).status, 200);
  const last = await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '收尾' });
  assert.equal(last.status, 200);

  await until(() => events().some((e) => e.kind === 'noted' && e.data.text === '收尾'), 10_000);
  const mine = events().filter((e) => e.workorder.id === wo.id).map((e) => e.kind);
  assert.deepEqual(mine, ['created', 'transferred', 'noted', 'state_changed', 'state_changed', 'noted']);
  const evs = events();
  assert.ok(evs.some((e) => e.workorder.id === cas.body.id && e.kind === 'created'), "the shop learns of the platform's case");
  assert.ok(!JSON.stringify(evs).includes('该店近期投诉多'), 'a platform-internal note never leaves');
  assert.ok(!evs.some((e) => e.workorder.id === theirs.id), "another shop's events never arrive");
  // in order, each once
  const seqs = evs.map((e) => BigInt(e.seq));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => (a < b ? -1 : 1)));
  assert.equal(new Set(evs.map((e) => e.id)).size, evs.length);
  // what a receiver sees of one event
  const tr = evs.find((e) => e.kind === 'transferred');
  assert.equal(tr.workorder.number, wo.number);
  assert.equal(tr.workorder.type, 'after_sales');
  assert.equal(tr.actor.id, lead.user.id);
  assert.equal(tr.data.reason, '售后同事跟进');
  assert.ok(!Number.isNaN(Date.parse(tr.at)));
  assert.equal(evs.find((e) => e.kind === 'noted').data.text, '已联系买家，"引号" 与换行\n第二行');
  // every request: the path given, JSON, and a signature the secret verifies
  for (const g of recv.got) {
    assert.equal(g.path, '/gongdan');
    assert.equal(g.headers['content-type'], 'application/json');
    assert.equal(g.headers['x-gongdan-webhook'], hook.id);
    assert.equal(g.body.webhook_id, hook.id);
    const [, t, v1] = g.headers['x-gongdan-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
    assert.equal(v1, createHmac('sha256', hook.secret).update(`${t}.${g.raw}`).digest('hex'));
    assert.notEqual(v1, createHmac('sha256', 'whsec_wrong').update(`${t}.${g.raw}`).digest('hex'));
    assert.equal(g.headers['x-gongdan-delivery'], `${g.body.events[0].seq}-${g.body.events.at(-1).seq}`);
  }
  const h = await until(async () => {
    const x = await hookOf(lead, hook.id);
    return x.pending === 0 && x.delivered === evs.length && x;
  });
  assert.ok(h, 'the endpoint shows every event delivered');
  assert.equal(h.failures, 0);
  assert.equal(h.last_status, 204);
});

test('a failing endpoint is retried with backoff; nothing is lost or repeated across a restart', async () => {
  const before = events().length;
  recv.failNext = 2;
  const wo = (await lead.post('/api/v1/workorders', { type: 'task_memo', title: '重试测试' })).body;
  // two refusals are recorded with the endpoint's answer
  const failing = await until(async () => {
    const x = await hookOf(lead, hook.id);
    return x.failures >= 1 && x;
  }, 10_000);
  assert.ok(failing, 'the failure is recorded');
  assert.equal(failing.last_status, 500);
  assert.match(failing.last_error, /HTTP 500/);
  assert.ok(failing.pending >= 1);
  assert.ok(Date.parse(failing.next_attempt_at) > Date.parse(failing.last_attempt_at), 'the next try waits');
  await until(() => events().some((e) => e.workorder.id === wo.id), 15_000);
  const ok = await until(async () => {
    const x = await hookOf(lead, hook.id);
    return x.failures === 0 && x.pending === 0 && x;
  });
  assert.equal(ok.last_status, 204);
  assert.equal(ok.last_error, null);
  assert.equal(recv.attempts - recv.got.length >= 2, true, 'two attempts were refused');

  // the endpoint goes down; events keep coming; the server restarts; the endpoint comes back
  recv.down = true;
  const titles = ['停机中 1', '停机中 2', '停机中 3'];
  const made = [];
  for (const title of titles) made.push((await lead.post('/api/v1/workorders', { type: 'task_memo', title })).body.id);
  assert.ok(await until(async () => (await hookOf(lead, hook.id)).failures >= 1, 10_000));
  await srv.stop();
  await srv.start();
  lead = await client(srv, 'tea_lead');
  recv.down = false;
  await until(() => made.every((id) => events().some((e) => e.workorder.id === id)), 20_000);
  const evs = events();
  for (const id of made) assert.equal(evs.filter((e) => e.workorder.id === id).length, 1, 'each event once');
  assert.equal(new Set(evs.map((e) => e.id)).size, evs.length, 'no event delivered twice');
  assert.ok(evs.length >= before + 4);
});

test('bad input names the field and the rule; roles and shops are kept apart', async () => {
  const bad = [
    [{}, 'url', /required/],
    [{ url: 'ftp://example.com/x' }, 'url', /http:\/\/ or https:\/\//],
    [{ url: 'https://' }, 'url', /no host/],
    [{ url: 'https://exa mple.com/' }, 'url', /printable ASCII/],
    [{ url: 'https://example.com/' + 'a'.repeat(2000) }, 'url', /2000/],
    [{ url: 'https://example.com/', description: '长'.repeat(201) }, 'description', /200/],
    [{ url: 42 }, 'url', /string/],
  ];
  for (const [body, field, rule] of bad) {
    const r = await lead.post('/api/v1/webhooks', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, rule);
  }
  const unknown = await lead.post('/api/v1/webhooks', { url: 'https://example.com/', token: 'mine' }, INVALID);
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.code, 'unknown_field');
  assert.equal(unknown.body.error.field, 'token');
  // the secret is the server's to make (only a DingTalk robot is given one: robots.test.mjs)
  const secret = await lead.post('/api/v1/webhooks', { url: 'https://example.com/', secret: 'mine' }, INVALID);
  assert.equal(secret.status, 422);
  assert.equal(secret.body.error.field, 'secret');
  assert.match(secret.body.error.message, /made by the server/);
  for (const [events, rule] of [[['created', 'renamed'], /events\[1\] is not an event kind/], ['noted', /array/], [[7], /events\[0\] must be a string/]]) {
    const r = await lead.post('/api/v1/webhooks', { url: 'https://example.com/', events }, INVALID);
    assert.equal(r.status, 422, JSON.stringify(events));
    assert.equal(r.body.error.field, 'events');
    assert.match(r.body.error.message, rule);
  }
  assert.equal((await lead.get('/api/v1/webhooks')).body.items.length, 1, 'a refused request adds nothing');

  // an agent and platform staff manage no shop's webhooks; another shop's lead never sees this one
  for (const c of [agent, xiaoer]) {
    assert.equal((await c.get('/api/v1/webhooks')).status, 403);
    assert.equal((await c.post('/api/v1/webhooks', { url: 'https://example.com/' })).status, 403);
    assert.equal((await c.delete(`/api/v1/webhooks/${hook.id}`)).status, 403);
  }
  assert.deepEqual((await otherLead.get('/api/v1/webhooks')).body.items, []);
  assert.equal((await otherLead.delete(`/api/v1/webhooks/${hook.id}`)).status, 404);
  assert.equal((await fetch(`${srv.base}/api/v1/webhooks`)).status, 401);

  // at most ten per shop
  const extra = [];
  for (let i = 0; i < 9; i++) {
    const r = await lead.post('/api/v1/webhooks', { url: `https://example.com/hook/${i}` });
    assert.equal(r.status, 201);
    extra.push(r.body.id);
  }
  const eleventh = await lead.post('/api/v1/webhooks', { url: 'https://example.com/hook/10' });
  assert.equal(eleventh.status, 422);
  assert.match(eleventh.body.error.message, /at most 10/);
  for (const id of extra) assert.equal((await lead.delete(`/api/v1/webhooks/${id}`)).status, 204);

  // removed: nothing more is posted to it
  assert.equal((await lead.delete(`/api/v1/webhooks/${hook.id}`)).status, 204);
  assert.equal((await lead.delete(`/api/v1/webhooks/${hook.id}`)).status, 404);
  const n = recv.attempts;
  await lead.post('/api/v1/workorders', { type: 'task_memo', title: '删除之后' });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(recv.attempts, n, 'a removed endpoint gets nothing');
  assert.deepEqual((await lead.get('/api/v1/webhooks')).body.items, []);
});

test('the CLI adds and lists endpoints as an owner or lead, under the same rules', async () => {
  const out = execFileSync(BIN, ['webhook', 'add', `${recv.url}/cli`, '--user', 'tea_owner', '--description', '命令行', '--db', srv.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [, id] = out.match(/^id (\d+)$/m);
  assert.match(out, /^secret whsec_[A-Za-z0-9_-]{43}$/m);
  const listed = execFileSync(BIN, ['webhook', 'list', '--user', 'tea_lead', '--db', srv.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(listed, new RegExp(`^${id} ${recv.url}/cli events=all delivered=0 pending=0 failures=0`, 'm'));
  assert.equal((await lead.get('/api/v1/webhooks')).body.items[0].description, '命令行');
  const agentTry = spawnSync(BIN, ['webhook', 'add', `${recv.url}/x`, '--user', 'tea_agent1', '--db', srv.db], { encoding: 'utf8' });
  assert.equal(agentTry.status, 1);
  assert.match(agentTry.stderr, /owner or lead/);
  const badUrl = spawnSync(BIN, ['webhook', 'add', 'ftp://x', '--user', 'tea_lead', '--db', srv.db], { encoding: 'utf8' });
  assert.equal(badUrl.status, 1);
  assert.match(badUrl.stderr, /url must start with http:\/\/ or https:\/\//);
});

test('an endpoint may take only some kinds of event; the others are stepped over', async () => {
  const r = await lead.post('/api/v1/webhooks', { url: `${recv.url}/kinds`, events: ['state_changed', 'transferred', 'transferred'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.events, ['transferred', 'state_changed'], 'each kind once, in the timeline order');
  const wo = (await lead.post('/api/v1/workorders', { type: 'after_sales', title: '只要转交和状态' })).body;
  await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '不该送达的备注' });
  await lead.post(`/api/v1/workorders/${wo.id}/transfer`, { to: agent.user.id, reason: '转给客服' });
  await agent.post(`/api/v1/workorders/${wo.id}/notes`, { text: '也不该送达' });
  await agent.post(`/api/v1/workorders/${wo.id}/start`);
  const got = () => recv.got.filter((g) => g.path === '/kinds').flatMap((g) => g.body.events).filter((e) => e.workorder.id === wo.id);
  await until(() => got().length >= 2, 10_000);
  assert.deepEqual(got().map((e) => e.kind), ['transferred', 'state_changed']);
  // the endpoint is not left owing the events it does not take
  const h = await until(async () => {
    const x = await hookOf(lead, r.body.id);
    return x.pending === 0 && x;
  });
  assert.ok(h, 'nothing pending');
  assert.equal(h.delivered, 2);
  const listed = execFileSync(BIN, ['webhook', 'list', '--user', 'tea_lead', '--db', srv.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(listed, new RegExp(`^${r.body.id} ${recv.url}/kinds events=transferred,state_changed `, 'm'));
  assert.match(listed, new RegExp(`/cli events=all `, 'm'));
});

test('a database made before webhooks existed is migrated when the server starts', async () => {
  await srv.stop();
  // back to before webhooks: undo 0004_webhooks and the later migrations that alter its table
  // (0010_webhook_lease, 0018_notifications with what else it made); the others do not touch it
  // and stay
  const undo = 'DROP TABLE outbox; DROP TABLE webhooks; DROP TABLE notifications; DROP TABLE notify_prefs; ' +
    'DELETE FROM schema_migrations WHERE version IN (4, 10, 18);';
  if (BACKEND === 'sqlite') execFileSync('sqlite3', [srv.db.slice('sqlite:'.length), `${undo} DELETE FROM sqlite_sequence WHERE name = 'outbox';`]);
  else execFileSync('psql', [srv.db, '-v', 'ON_ERROR_STOP=1', '-qc', undo]);
  srv.log = '';
  await srv.start();
  lead = await client(srv, 'tea_lead');
  assert.match(srv.log, /applied migration version=4 name=0004_webhooks/);
  assert.match(srv.log, /applied migration version=10 name=0010_webhook_lease/);
  assert.match(srv.log, /applied migration version=18 name=0018_notifications/);
  assert.deepEqual((await lead.get('/api/v1/webhooks')).body.items, []);
  const r = await lead.post('/api/v1/webhooks', { url: `${recv.url}/upgraded` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const wo = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '升级之后' });
  assert.equal(wo.status, 201, JSON.stringify(wo.body));
  await until(() => recv.got.some((g) => g.path === '/upgraded'), 10_000);
  const versions = sqlRows(srv.db, 'SELECT version FROM schema_migrations ORDER BY version').map(([v]) => Number(v));
  // every migration is recorded once: 0004 again, and the ones after it as they were
  const all = readdirSync(new URL(`../../src/store/schema/${BACKEND === 'sqlite' ? 'sqlite' : 'pg'}/`, import.meta.url)).map((f) => Number(f.slice(0, 4))).sort((x, y) => x - y);
  assert.deepEqual(versions, all);
});

test('by default a webhook may not reach loopback or private addresses: the endpoint says why', async () => {
  const guarded = await startServer({ webhookPrivate: false });
  try {
    const c = await client(guarded, 'tea_lead');
    const r = await c.post('/api/v1/webhooks', { url: `${recv.url}/internal` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await c.post('/api/v1/workorders', { type: 'task_memo', title: '内网探测' })).status, 201);
    const h = await until(async () => {
      const x = (await c.get('/api/v1/webhooks')).body.items[0];
      return x.failures >= 1 && x;
    }, 10_000);
    assert.ok(h, 'the attempt is recorded as failed');
    // the shop learns that the address is not public, not which address its name resolved to
    // (that would make the endpoint an oracle for the operator's internal DNS); the operator's
    // log keeps the address
    const notPublic = 'refused to connect: the host does not resolve to a public address (loopback, '
      + 'private, link-local and other special-purpose addresses are refused); the operator may allow '
      + 'them: gongdan serve --webhook-allow-private';
    assert.equal(h.last_error, notPublic);
    assert.equal(h.last_status, null);
    assert.equal(h.pending, 1);
    assert.ok(!recv.got.some((g) => g.path === '/internal'), 'nothing reached the address');
    assert.match(guarded.log, /webhook \d+: refused to connect to 127\.0\.0\.1/);
    // a name that resolves to loopback is refused the same way, without the address
    const named = await c.post('/api/v1/webhooks', { url: `http://localhost:${new URL(recv.url).port}/named` });
    assert.equal(named.status, 201);
    assert.equal((await c.post('/api/v1/workorders', { type: 'task_memo', title: '内网探测 2' })).status, 201);
    const n = await until(async () => {
      const x = (await c.get('/api/v1/webhooks')).body.items.find((i) => i.id === named.body.id);
      return x.failures >= 1 && x;
    }, 10_000);
    assert.equal(n.last_error, notPublic);
    assert.ok(!recv.got.some((g) => g.path === '/named'), 'nothing reached the address');
    // nor does it learn whether a name resolves at all (an internal name would, a public
    // resolver's would not): a name that does not resolve reads the same
    const nowhere = await c.post('/api/v1/webhooks', { url: 'http://no-such-host.invalid/hook' });
    assert.equal(nowhere.status, 201);
    assert.equal((await c.post('/api/v1/workorders', { type: 'task_memo', title: '内网探测 3' })).status, 201);
    const x = await until(async () => {
      const y = (await c.get('/api/v1/webhooks')).body.items.find((i) => i.id === nowhere.body.id);
      return y.failures >= 1 && y;
    }, 10_000);
    assert.equal(x.last_error, notPublic);
    assert.match(guarded.log, /webhook \d+: Could not resolve host: no-such-host\.invalid/);
    const m = await (await fetch(`${guarded.base}/metrics`)).text();
    assert.ok(metric(m, 'gongdan_webhook_refused_connections_total') >= 2, m);
  } finally {
    await guarded.cleanup();
  }
});

/** A TCP listener that counts the connections it gets and never answers (a proxy that must not be used). */
function silentListener() {
  const l = { connections: 0, sockets: new Set() };
  l.server = createTcpServer((sock) => {
    l.connections++;
    l.sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => l.sockets.delete(sock));
  });
  l.close = () => { for (const s of l.sockets) s.destroy(); l.server.close(); };
  return new Promise((resolve) => l.server.listen(0, '127.0.0.1', () => {
    l.url = `http://127.0.0.1:${l.server.address().port}`;
    resolve(l);
  }));
}

const metric = (text, name) => {
  const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
};

test("a proxy in the server's environment is never used: deliveries go to the endpoint itself", async () => {
  const proxy = await silentListener();
  const proxied = await startServer({ env: { http_proxy: proxy.url, HTTPS_PROXY: proxy.url, ALL_PROXY: proxy.url, https_proxy: proxy.url, all_proxy: proxy.url, no_proxy: '', NO_PROXY: '' } });
  try {
    const c = await client(proxied, 'tea_lead');
    assert.equal((await c.post('/api/v1/webhooks', { url: `${recv.url}/direct` })).status, 201);
    const wo = (await c.post('/api/v1/workorders', { type: 'task_memo', title: '代理测试' })).body;
    const got = await until(() => recv.got.some((g) => g.path === '/direct' && g.body.events.some((e) => e.workorder.id === wo.id)), 10_000);
    assert.ok(got, 'the endpoint got the event directly');
    assert.equal(proxy.connections, 0, 'the proxy got nothing');
  } finally {
    await proxied.cleanup();
    proxy.close();
  }
});

test('a redirect is not followed: the attempt fails and says so, and the target gets nothing', async () => {
  const target = await receiver();
  const redirecting = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(302, { location: `${target.url}/inside` }).end());
  });
  await new Promise((r) => redirecting.listen(0, '127.0.0.1', r));
  const s = await startServer();
  try {
    const c = await client(s, 'tea_lead');
    const r = await c.post('/api/v1/webhooks', { url: `http://127.0.0.1:${redirecting.address().port}/moved` });
    assert.equal(r.status, 201);
    assert.equal((await c.post('/api/v1/workorders', { type: 'task_memo', title: '重定向' })).status, 201);
    const h = await until(async () => {
      const x = await hookOf(c, r.body.id);
      return x.failures >= 1 && x;
    }, 10_000);
    assert.ok(h, 'the attempt is recorded as failed');
    assert.equal(h.last_status, 302);
    assert.equal(h.last_error, 'the endpoint answered HTTP 302 (redirects are not followed)');
    assert.equal(h.pending, 1);
    assert.equal(target.attempts, 0, 'the redirect target got nothing');
  } finally {
    await s.cleanup();
    redirecting.close();
    target.server.close();
  }
});

test("an endpoint that never answers holds back only itself: another shop's events arrive at once", async () => {
  const hanging = { requests: 0, sockets: new Set() };
  hanging.server = createServer((req) => { hanging.requests++; req.resume(); }); // never answers
  hanging.server.on('connection', (sock) => { hanging.sockets.add(sock); sock.on('close', () => hanging.sockets.delete(sock)); });
  await new Promise((r) => hanging.server.listen(0, '127.0.0.1', r));
  const s = await startServer();
  try {
    const tea = await client(s, 'tea_lead');
    const baby = await client(s, 'baby_lead');
    // the hanging endpoint is older, so a single deliverer would try it first
    const slow = await tea.post('/api/v1/webhooks', { url: `http://127.0.0.1:${hanging.server.address().port}/hang` });
    assert.equal(slow.status, 201);
    const fast = await baby.post('/api/v1/webhooks', { url: `${recv.url}/other-shop` });
    assert.equal(fast.status, 201);
    assert.equal((await tea.post('/api/v1/workorders', { type: 'task_memo', title: '卡住的接收端' })).status, 201);
    assert.ok(await until(() => hanging.requests >= 1, 5000), 'the hanging endpoint got its request');
    const wo = (await baby.post('/api/v1/workorders', { type: 'task_memo', title: '别家不受影响' })).body;
    const t0 = Date.now();
    // well inside the hanging attempt's 10 s budget (a single deliverer would wait it out first)
    const got = await until(() => recv.got.some((g) => g.path === '/other-shop' && g.body.events.some((e) => e.workorder.id === wo.id)), 4000);
    assert.ok(got, `the other shop's event arrived while the first endpoint hangs (waited ${Date.now() - t0} ms)`);
    // the hanging attempt ends at its time budget and is recorded; the event stays owed
    const h = await until(async () => {
      const x = await hookOf(tea, slow.body.id);
      return x.failures >= 1 && x;
    }, 15_000);
    assert.ok(h, 'the hanging attempt is recorded as failed');
    assert.equal(h.last_status, null);
    assert.equal(h.last_error, 'no answer within 10 s');
    assert.equal(h.pending, 1);
    // /metrics shows the backlog as of the deliverer's last look (every few seconds)
    const m = await until(async () => {
      const text = await (await fetch(`${s.base}/metrics`)).text();
      return metric(text, 'gongdan_webhook_endpoints{state="backing_off"}') === 1 && text;
    }, 8000);
    assert.ok(m, 'the failing endpoint is counted as backing off');
    assert.equal(metric(m, 'gongdan_webhook_backlog_events{state="backing_off"}'), 1);
    assert.equal(metric(m, 'gongdan_webhook_endpoints{state="delivering"}'), 0);
    assert.equal(metric(m, 'gongdan_webhook_backlog_events{state="delivering"}'), 0);
  } finally {
    await s.cleanup();
    for (const sock of hanging.sockets) sock.destroy();
    hanging.server.close();
  }
});

test("a receiver's answer is read up to a cap: an endless body does not hold the delivery", async () => {
  const endless = { attempts: 0, timers: new Set() };
  endless.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      endless.attempts++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const t = setInterval(() => { if (!res.destroyed) res.write(chunk); }, 5);
      endless.timers.add(t);
      res.on('close', () => { clearInterval(t); endless.timers.delete(t); });
    });
  });
  await new Promise((r) => endless.server.listen(0, '127.0.0.1', r));
  const s = await startServer();
  try {
    const c = await client(s, 'tea_lead');
    const r = await c.post('/api/v1/webhooks', { url: `http://127.0.0.1:${endless.server.address().port}/endless` });
    assert.equal(r.status, 201);
    assert.equal((await c.post('/api/v1/workorders', { type: 'task_memo', title: '无尽的回答' })).status, 201);
    const h = await until(async () => {
      const x = await hookOf(c, r.body.id);
      return (x.delivered === 1 || x.failures > 0) && x;
    }, 5000);
    assert.ok(h, 'the attempt ended within 5 s');
    assert.deepEqual([h.delivered, h.pending, h.failures, h.last_status, h.last_error], [1, 0, 0, 200, null]);
    assert.equal(endless.attempts, 1);
    const m = await (await fetch(`${s.base}/metrics`)).text();
    assert.equal(metric(m, 'gongdan_webhook_responses_cut_total'), 1, m);
  } finally {
    await s.cleanup();
    for (const t of endless.timers) clearInterval(t);
    endless.server.closeAllConnections();
    endless.server.close();
  }
});

test('what a shop may ask for is bounded; each answer names its limit, and /metrics counts them', async () => {
  const s = await startServer();
  try {
    const c = await client(s, 'tea_lead');
    const tooLong = await c.post('/api/v1/webhooks', { url: 'https://example.com/' + 'a'.repeat(2000) }, INVALID);
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.error.field, 'url');
    assert.equal(tooLong.body.error.message, 'url is longer than 2000 characters');
    const kinds = await c.post('/api/v1/webhooks', { url: 'https://example.com/', events: Array(33).fill('noted') }, INVALID);
    assert.equal(kinds.status, 422);
    assert.equal(kinds.body.error.field, 'events');
    assert.equal(kinds.body.error.message, 'events must be an array of at most 32 event kinds');
    for (let i = 0; i < 10; i++) assert.equal((await c.post('/api/v1/webhooks', { url: `https://example.com/h/${i}` })).status, 201);
    const eleventh = await c.post('/api/v1/webhooks', { url: 'https://example.com/h/10' }, INVALID);
    assert.equal(eleventh.status, 422);
    assert.equal(eleventh.body.error.field, 'url'); // the workbench shows it on the url input
    assert.equal(eleventh.body.error.message, 'a shop has at most 10 webhooks; delete one first');
    assert.equal((await c.get('/api/v1/webhooks')).body.items.length, 10, 'the refused requests added nothing');
    const m = await (await fetch(`${s.base}/metrics`)).text();
    assert.equal(metric(m, 'gongdan_webhook_limit_refusals_total{limit="url_length"}'), 1, m);
    assert.equal(metric(m, 'gongdan_webhook_limit_refusals_total{limit="event_kinds"}'), 1, m);
    assert.equal(metric(m, 'gongdan_webhook_limit_refusals_total{limit="endpoints"}'), 1, m);
  } finally {
    await s.cleanup();
  }
});
