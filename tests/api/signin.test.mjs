// Sign-in hardening over real HTTP: throttling per account and per client address (exact keys,
// counted before the password is checked, shared in the database), unknown names as slow as
// known ones, 429 with Retry-After and a metric; the client address behind trusted proxies; the
// session cookie over https (__Host-, Secure) and sign-out; login CSRF (Content-Type, Origin);
// and the idempotency and If-Match fixes of the same review.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer } from './lib.mjs';

const PW = 'gongdan-demo';
const JSON_CT = { 'content-type': 'application/json' };

// POST /api/v1/session; returns {status, headers, body}.
async function signIn(srv, username, password, headers = {}) {
  const r = await fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { ...JSON_CT, ...headers }, body: JSON.stringify({ username, password }),
  });
  const text = await r.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, body };
}

async function metric(srv, name) {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const m = text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
}

// Moves the server's clock past every sign-in window and lock, so a test starts with no counts
// (this file's sign-ins all come from one address).
const afterWindows = () => fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: JSON_CT, body: JSON.stringify({ advance_ms: 31 * 60_000 }) });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let srv;
before(async () => { srv = await startServer({ testClock: true }); });
after(async () => { await srv?.cleanup(); });

test('a failure for another name neither resets nor unlocks an account', async () => {
  // the finding: 20 wrong passwords with one failure for `xbu` after every four were all 401
  const statuses = [];
  for (let i = 0; i < 20; i++) {
    statuses.push((await signIn(srv, 'tea_lead', 'wrong-' + i)).status);
    if (i % 4 === 3) await signIn(srv, 'xbu', 'wrong');
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, ...Array(15).fill(429)]);
  const right = await signIn(srv, 'tea_lead', PW);
  assert.equal(right.status, 429, 'the right password waits out the lock');
  assert.equal(right.body.error.code, 'rate_limited');
  assert.match(right.body.error.message, /for this account: the limit is 5 within 15 minutes, then sign-in is locked for 5 minutes/);
  const wait = Number(right.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 300, `Retry-After ${right.headers.get('retry-after')}`);
  // the lock ends after its 5 minutes, and a success starts the count afresh
  await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: JSON_CT, body: JSON.stringify({ advance_ms: 301_000 }) });
  assert.equal((await signIn(srv, 'tea_lead', PW)).status, 200);
  for (let i = 0; i < 4; i++) assert.equal((await signIn(srv, 'tea_lead', 'wrong')).status, 401);
  assert.equal((await signIn(srv, 'tea_lead', PW)).status, 200);
});

test('parallel guesses are counted before the password is checked: 16 at once pass 5', async () => {
  await afterWindows();
  const before = await metric(srv, 'gongdan_signin_throttled_total');
  const guesses = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(srv, 'tea_agent1', 'guess-' + i)));
  const statuses = guesses.map((g) => g.status).sort();
  assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(11).fill(429)]);
  assert.equal((await signIn(srv, 'tea_agent1', PW)).status, 429);
  assert.equal(await metric(srv, 'gongdan_signin_throttled_total'), before + 12);
  // another account is not affected
  assert.equal((await signIn(srv, 'tea_agent2', PW)).status, 200);
});

test('an unknown name costs as much time as a known one, and is throttled the same way', async () => {
  await afterWindows();
  const known = [], unknown = [];
  for (const u of ['tea_owner', 'baby_owner']) {
    for (let i = 0; i < 2; i++) {
      let t = performance.now();
      assert.equal((await signIn(srv, u, 'wrong')).status, 401);
      known.push(performance.now() - t);
      t = performance.now();
      assert.equal((await signIn(srv, `nobody_${u}`, 'wrong')).status, 401);
      unknown.push(performance.now() - t);
    }
  }
  // argon2id takes tens of milliseconds at least; a lookup that finds nothing takes one
  assert.ok(median(unknown) > median(known) / 2,
    `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
  for (let i = 0; i < 3; i++) await signIn(srv, 'nobody_at_all', 'wrong');
  assert.equal((await signIn(srv, 'nobody_at_all', 'wrong')).status, 401);
  assert.equal((await signIn(srv, 'nobody_at_all', 'wrong')).status, 401);
  assert.equal((await signIn(srv, 'nobody_at_all', 'wrong')).status, 429);
});

test('sign-in needs a JSON body, and a browser Origin must be this server', async () => {
  await afterWindows();
  const form = await fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'text/plain', ...INVALID }, body: JSON.stringify({ username: 'baby_agent1', password: PW }),
  });
  assert.equal(form.status, 415);
  const fb = await form.json();
  assert.equal(fb.error.field, 'Content-Type');
  assert.match(fb.error.message, /Content-Type: application\/json/);
  assert.equal(form.headers.get('set-cookie'), null);
  const bare = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: INVALID, body: JSON.stringify({ username: 'baby_agent1', password: PW }) });
  assert.equal(bare.status, 415);
  const cross = await signIn(srv, 'baby_agent1', PW, { origin: 'https://evil.example' });
  assert.equal(cross.status, 403);
  assert.equal(cross.body.error.field, 'Origin');
  assert.equal(cross.headers.get('set-cookie'), null);
  assert.equal((await signIn(srv, 'baby_agent1', PW, { origin: srv.base })).status, 200);
  assert.equal((await signIn(srv, 'baby_agent1', PW, { 'content-type': 'application/json; charset=utf-8' })).status, 200);
  // over plain http the cookie keeps its plain name, without Secure
  const plain = await signIn(srv, 'baby_agent1', PW);
  const cookie = plain.headers.get('set-cookie');
  assert.match(cookie, /^gd_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
});

test('Idempotency-Key with another body is refused with 422 and creates nothing', async () => {
  const lead = await client(srv, 'baby_lead');
  const c0 = (await lead.get('/api/v1/workorders/counts')).body;
  const key = 'reuse-' + Date.now();
  const first = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '第一张' }, { 'idempotency-key': key });
  assert.equal(first.status, 201);
  const other = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '第二张' }, { 'idempotency-key': key });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'idempotency_key_reused');
  assert.equal(other.body.error.field, 'Idempotency-Key');
  assert.match(other.body.error.message, /Idempotency-Key/);
  const same = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '第一张' }, { 'idempotency-key': key });
  assert.equal(same.status, 201);
  assert.deepEqual(same.body, first.body);
  const c1 = (await lead.get('/api/v1/workorders/counts')).body;
  assert.equal(c1.created, c0.created + 1);
  // the creates outside a work order transaction: exports and webhooks
  const ex1 = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, { 'idempotency-key': key });
  assert.equal(ex1.status, 202);
  const ex2 = await lead.post('/api/v1/exports', { format: 'xlsx', view: 'shop' }, { 'idempotency-key': key });
  assert.equal(ex2.status, 422);
  assert.equal(ex2.body.error.code, 'idempotency_key_reused');
  const ex3 = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, { 'idempotency-key': key });
  assert.equal(ex3.status, 202);
  assert.equal(ex3.body.id, ex1.body.id);
  assert.equal(ex3.headers.get('location'), ex1.headers.get('location'));
  assert.equal(ex3.headers.get('location'), `/api/v1/exports/${ex1.body.id}`);
  const owner = await client(srv, 'baby_owner');
  const h1 = await owner.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/a' }, { 'idempotency-key': key });
  assert.equal(h1.status, 201, JSON.stringify(h1.body));
  const h2 = await owner.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/b' }, { 'idempotency-key': key });
  assert.equal(h2.status, 422);
  const h3 = await owner.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/a' }, { 'idempotency-key': key });
  assert.equal(h3.status, 201);
  assert.deepEqual(h3.body, h1.body);
  assert.equal(h3.headers.get('location'), `/api/v1/webhooks/${h1.body.id}`);
  assert.equal((await owner.get('/api/v1/webhooks')).body.items.length, 1);
  // a request that failed gives its key up: the same key may then carry a good request
  const bad = await owner.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/c', events: ['no_such_kind'] }, { 'idempotency-key': key + 'f', ...INVALID });
  assert.equal(bad.status, 422);
  const good = await owner.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/c' }, { 'idempotency-key': key + 'f' });
  assert.equal(good.status, 201, JSON.stringify(good.body));
});

test('Idempotency-Key: parallel creates act once, and every request gets the one answer', async () => {
  const lead = await client(srv, 'baby_lead');
  const key = 'par-' + Date.now();
  const rs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, { 'idempotency-key': key })));
  // the key is decided in the create's unit of work: a second request waits for the first
  for (const r of rs) assert.equal(r.status, 202, JSON.stringify(r.body));
  const ids = new Set(rs.map((r) => r.body.id));
  assert.equal(ids.size, 1, 'one export job, replayed to every request');
  const later = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' }, { 'idempotency-key': key });
  assert.equal(later.status, 202);
  assert.deepEqual(new Set([later.body.id]), ids);
});

test('Idempotency-Key on a collaborative work order with another body is refused with 422', async () => {
  const agent = await client(srv, 'xiaoer1');
  const lead = await client(srv, 'baby_lead');
  const orders = (await lead.get('/api/v1/orders?limit=2')).body.items;
  const body = { shop_id: lead.user.shop_id, order_no: orders[0].order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'return_refund' };
  const key = 'collab-' + Date.now();
  const first = await agent.post('/api/v1/collab', body, { 'idempotency-key': key });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const other = await agent.post('/api/v1/collab', { ...body, order_no: orders[1].order_no }, { 'idempotency-key': key });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'idempotency_key_reused');
  const again = await agent.post('/api/v1/collab', body, { 'idempotency-key': key });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, first.body.id);
});

test('If-Match: * matches any current version; a missing work order stays 404', async () => {
  const lead = await client(srv, 'baby_lead');
  const wo = (await lead.post('/api/v1/workorders', { type: 'task_memo', title: '任意版本' })).body;
  let r = await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '一' }, { 'if-match': '*' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await lead.patch(`/api/v1/workorders/${wo.id}`, { title: '改' }, { 'if-match': '*' });
  assert.equal(r.status, 200);
  r = await lead.post('/api/v1/workorders/999999999/notes', { text: '一' }, { 'if-match': '*' });
  assert.equal(r.status, 404);
  r = await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '二' }, { 'if-match': '"1"' });
  assert.equal(r.status, 412);
  r = await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '二' }, { 'if-match': '**' });
  assert.equal(r.status, 400);
});

test('per client address: 30 failures lock the address; X-Forwarded-For is believed only from a trusted proxy', async () => {
  await afterWindows();
  const proxied = await startServer({ demo: false, args: ['--trusted-proxy', '10.9.9.9,127.0.0.1'] });
  try {
    // 30 at once, over 6 names (5 each, none locked by its account): all counted, none refused
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const spray = (server, xff) => Promise.all(Array.from({ length: 30 }, (_, i) =>
      signIn(server, names[i % 6], 'wrong', { 'x-forwarded-for': xff(i) }).then((r) => r.status)));
    // without a trusted proxy, X-Forwarded-For is the client's own word and changes nothing
    assert.deepEqual(await spray(srv, (i) => `198.51.100.${i}`), Array(30).fill(401));
    const blocked = await signIn(srv, 'tea_owner', PW, { 'x-forwarded-for': '198.51.100.200' });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body.error.message, /from this address: the limit is 30 within 15 minutes, then sign-in is locked for 15 minutes/);
    assert.ok(Number(blocked.headers.get('retry-after')) > 800);
    // behind a trusted proxy, the client is the rightmost entry that is not a trusted proxy; an
    // IPv6 client's addresses count together by their /64
    assert.deepEqual(await spray(proxied, (i) => `1.2.3.${i}, 2001:db8:1:2::${i + 1}, 10.9.9.9`), Array(30).fill(401));
    const same = await signIn(proxied, 'admin', 'admin-password', { 'x-forwarded-for': '192.0.2.1, 2001:db8:1:2:ffff::abcd' });
    assert.equal(same.status, 429, 'a spoofed leftmost entry or another address of the /64 is the same client');
    const other = await signIn(proxied, 'admin', 'admin-password', { 'x-forwarded-for': '2001:db8:1:3::1' });
    assert.equal(other.status, 200, 'another client behind the proxy is not affected');
    // X-Forwarded-Proto counts from a trusted proxy only
    const viaProxy = await signIn(proxied, 'admin', 'admin-password', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    assert.match(viaProxy.headers.get('set-cookie'), /^__Host-gd_session=.*; Secure$/);
  } finally {
    await proxied.cleanup();
  }
  await afterWindows();
  const direct = await signIn(srv, 'tea_agent2', PW, { 'x-forwarded-proto': 'https' });
  assert.equal(direct.status, 200);
  assert.match(direct.headers.get('set-cookie'), /^gd_session=/);
  assert.doesNotMatch(direct.headers.get('set-cookie'), /Secure/);
});

test('over https the session cookie is __Host-gd_session with Secure, and sign-out clears that name', async () => {
  const pub = await startServer({ demo: false, args: ['--public-url', 'https://gongdan.example.com/'] });
  try {
    const r = await signIn(pub, 'admin', 'admin-password', { origin: 'https://gongdan.example.com' });
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /^__Host-gd_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);
    assert.doesNotMatch(cookie, /Domain=/);
    const jar = cookie.split(';')[0];
    const sess = jar.split('=')[1];
    assert.equal((await fetch(pub.base + '/api/v1/me', { headers: { cookie: jar } })).status, 200);
    // a plain-named cookie (which a sibling host could plant) is not a session over https
    assert.equal((await fetch(pub.base + '/api/v1/me', { headers: { cookie: `gd_session=${sess}` } })).status, 401);
    // the public URL is the origin sign-in accepts
    assert.equal((await signIn(pub, 'admin', 'admin-password', { origin: pub.base })).status, 403);
    const out = await fetch(pub.base + '/api/v1/session', { method: 'DELETE', headers: { cookie: jar, 'x-csrf-token': r.body.csrf_token } });
    assert.equal(out.status, 204);
    assert.equal(out.headers.get('set-cookie'), '__Host-gd_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
    assert.equal((await fetch(pub.base + '/api/v1/me', { headers: { cookie: jar } })).status, 401);
  } finally {
    await pub.cleanup();
  }
});

test('serve refuses a malformed --trusted-proxy or --public-url', async () => {
  await assert.rejects(startServer({ demo: false, args: ['--trusted-proxy', 'proxy.local'] }), /--trusted-proxy must be IP addresses/);
  await assert.rejects(startServer({ demo: false, args: ['--public-url', 'gongdan.example.com'] }), /--public-url must be http/);
});
