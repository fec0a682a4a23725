// The chat-side panel (docs/panel.md): the origins a shop lets frame /panel (every other page, and
// the panel of a shop that lists none, may be framed by no one), the signed link a shop's
// integration opens it with (good once; a bad, expired, too distant or replayed one signs no one
// in), and the buyer's history by order or nick that the page shows.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { client, startServer, INVALID } from './lib.mjs';

let srv, lead, agent, otherLead, xiaoer, secret;
const web = mkdtempSync(join(tmpdir(), 'gd-panel-web-'));
writeFileSync(join(web, 'index.html'), '<!doctype html><title>workbench</title>');
writeFileSync(join(web, 'panel.html'), '<!doctype html><title>panel</title>');
const ORIGINS = ['https://im.example.com', 'http://127.0.0.1:5555'];

const sign = (key, { shop, user, order_no = '', buyer = '', exp }) =>
  createHmac('sha256', key).update(`gongdan-panel-v1\n${shop}\n${user}\n${order_no}\n${buyer}\n${exp}`).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
// A panel link signed with `key` (the shop's secret unless given), fields overridable.
function link(fields = {}, key = secret) {
  const f = { shop: lead.user.shop_id, user: 'tea_agent1', order_no: 'PANEL-1', exp: now() + 120, ...fields };
  const sig = fields.sig ?? sign(key, f);
  const u = new URLSearchParams({ shop: f.shop, user: f.user, exp: f.exp, sig });
  if (f.order_no) u.set('order_no', f.order_no);
  if (f.buyer) u.set('buyer', f.buyer);
  return `/panel?${u}`;
}
const open = (path, headers = {}) => fetch(srv.base + path, { redirect: 'manual', headers });
const frameAncestors = (r) => r.headers.get('content-security-policy');

before(async () => {
  srv = await startServer({ args: ['--web-root', web] });
  [lead, agent, otherLead, xiaoer] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'baby_lead', 'xiaoer1'].map((u) => client(srv, u)));
  for (const [c, no, nick] of [[lead, 'PANEL-1', '聊天买家'], [lead, 'PANEL-2', '聊天买家'], [otherLead, 'PANEL-X', '聊天买家']]) {
    const r = await c.put(`/api/v1/orders/${no}`, { buyer_nick: nick, status: 'paid', paid_amount: 990,
      items: [{ title: '龙井 250g', sku: 'LJ-250', quantity: 1, price: 990 }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => {
  await srv?.cleanup();
  rmSync(web, { recursive: true, force: true });
});

test('the origins that may frame the panel: the owner\'s and leads\' to set, validated, and no one by default', async () => {
  assert.equal((await agent.get('/api/v1/panel/settings')).status, 403);
  assert.equal((await agent.put('/api/v1/panel/settings', { origins: ORIGINS })).status, 403);
  assert.deepEqual((await lead.get('/api/v1/panel/settings')).body, { origins: [], has_secret: false });
  for (const bad of [['https://im.example.com/chat'], ['http://im.example.com'], ['im.example.com'],
    ['https://im.example.com', 'https://IM.example.com'], ['https://a.example:99999'],
    Array.from({ length: 11 }, (_, i) => `https://h${i}.example.com`)]) {
    const r = await lead.put('/api/v1/panel/settings', { origins: bad }, INVALID);
    assert.equal(r.status, 422, JSON.stringify(bad));
    assert.equal(r.body.error.field, 'origins');
  }
  const r = await lead.put('/api/v1/panel/settings', { origins: ORIGINS });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { origins: ORIGINS, has_secret: false });
  // another shop's settings are its own
  assert.deepEqual((await otherLead.get('/api/v1/panel/settings')).body.origins, []);
});

test('the panel page may be framed by its shop\'s origins; every other page by no one', async () => {
  const none = "frame-ancestors 'none'";
  let r = await open('/panel');
  assert.equal(r.status, 200);
  assert.equal(frameAncestors(r), none, 'no shop known');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  r = await open(`/panel?shop=${lead.user.shop_id}`);
  assert.equal(frameAncestors(r), `frame-ancestors ${ORIGINS.join(' ')}`);
  assert.equal(r.headers.get('x-frame-options'), null, 'CSP alone decides for listed origins');
  r = await open(`/panel?shop=${otherLead.user.shop_id}`);
  assert.equal(frameAncestors(r), none, 'a shop that lists none');
  // signed in, the session's shop decides, whatever the address says
  const [leadC, otherC] = await Promise.all([client(srv, 'tea_lead', { cookie: true }), client(srv, 'baby_lead', { cookie: true })]);
  r = await open('/panel', { cookie: leadC.headers.cookie });
  assert.equal(frameAncestors(r), `frame-ancestors ${ORIGINS.join(' ')}`);
  r = await open(`/panel?shop=${lead.user.shop_id}`, { cookie: otherC.headers.cookie });
  assert.equal(frameAncestors(r), none);
  for (const path of ['/', '/workorders', '/panel-not']) {
    r = await open(path);
    assert.equal(frameAncestors(r), none, path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
  }
});

test('a signed link signs its user in once; a bad, expired, too distant or replayed one does not', async () => {
  assert.equal((await agent.post('/api/v1/panel/secret')).status, 403);
  const made = await lead.post('/api/v1/panel/secret');
  assert.equal(made.status, 200);
  secret = made.body.secret;
  assert.match(secret, /^gdp_[A-Za-z0-9_-]{43}$/);
  assert.equal((await lead.get('/api/v1/panel/settings')).body.has_secret, true);

  const good = link();
  let r = await open(good);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/panel?order_no=PANEL-1');
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^gd_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/, 'over http: the usual cookie');
  const me = await fetch(srv.base + '/api/v1/me', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(me.status, 200);
  const body = await me.json();
  assert.equal(body.user.username, 'tea_agent1');
  assert.ok(body.csrf_token, 'the page gets its CSRF token from /me');

  const refused = async (path, why) => {
    const x = await open(path);
    assert.equal(x.status, 303, path);
    assert.equal(x.headers.get('set-cookie'), null, `${why}: no session`);
    assert.match(x.headers.get('location'), new RegExp(`^/panel\\?link_error=${why}(&shop=\\d+)?$`), path);
  };
  await refused(good, 'used');
  await refused(link({ exp: now() - 1 }), 'expired');
  await refused(link({ exp: now() + 3600 }), 'expired'); // more than 5 minutes ahead
  await refused(link({}, 'not-the-secret'), 'signature');
  // a field changed after signing
  const signed = link({ order_no: 'PANEL-1' });
  await refused(signed.replace('PANEL-1', 'PANEL-2'), 'signature');
  // another shop's user, or a platform user, with this shop's secret
  await refused(link({ user: 'baby_lead' }), 'signature');
  await refused(link({ user: 'xiaoer1' }), 'signature');
  await refused(link({ user: 'nobody-here' }), 'signature');
  // another shop (which has no secret)
  await refused(link({ shop: otherLead.user.shop_id }), 'signature');
  await refused(link({ sig: 'zz' }), 'invalid');
  await refused(link({ user: 'tea\nagent1' }), 'invalid');
  // a buyer instead of an order
  r = await open(link({ order_no: '', buyer: '聊天买家' }));
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/panel?buyer=' + encodeURIComponent('聊天买家'));
  // a new secret ends the old one's links
  const old = secret;
  secret = (await lead.post('/api/v1/panel/secret')).body.secret;
  assert.notEqual(secret, old);
  await refused(link({}, old), 'signature');
  assert.equal((await open(link())).status, 303);
});

test("the buyer's history by order or nick: the shop's own, as the reader may open it", async () => {
  const wo = await agent.post('/api/v1/workorders', { type: 'after_sales', title: '买家要改地址',
    content: '买家要改地址', order_no: 'PANEL-1', handler_id: agent.user.id });
  assert.equal(wo.status, 201, JSON.stringify(wo.body));
  const byOrder = await agent.get('/api/v1/buyer_history?order_no=PANEL-1');
  assert.equal(byOrder.status, 200, JSON.stringify(byOrder.body));
  assert.equal(byOrder.body.buyer_nick, '聊天买家');
  assert.deepEqual(byOrder.body.orders.map((o) => o.order_no).sort(), ['PANEL-1', 'PANEL-2'],
    "the buyer's orders in this shop, not the same nick's in another");
  assert.deepEqual(byOrder.body.workorders.map((w) => w.id), [wo.body.id]);
  const byNick = await agent.get('/api/v1/buyer_history?buyer=' + encodeURIComponent('聊天买家'));
  assert.deepEqual(byNick.body, byOrder.body);
  // another shop's order is not found; one of the two is needed; platform staff use the case
  const other = await agent.get('/api/v1/buyer_history?order_no=PANEL-X');
  assert.equal(other.status, 404);
  assert.equal(other.body.error.field, 'order_no');
  assert.equal((await agent.get('/api/v1/buyer_history', undefined, INVALID)).status, 422);
  assert.equal((await agent.get('/api/v1/buyer_history?order_no=PANEL-1&buyer=x', undefined, INVALID)).status, 422);
  assert.equal((await xiaoer.get('/api/v1/buyer_history?buyer=x')).status, 403);
  // the other shop's lead sees their own buyer of that nick only
  const theirs = await otherLead.get('/api/v1/buyer_history?buyer=' + encodeURIComponent('聊天买家'));
  assert.deepEqual(theirs.body.orders.map((o) => o.order_no), ['PANEL-X']);
  assert.deepEqual(theirs.body.workorders, []);
});

test('over https the link\'s session cookie is made for a frame on another site: SameSite=None, Secure, Partitioned', async () => {
  const https = await startServer({ args: ['--web-root', web, '--public-url', 'https://gongdan.example.com'] });
  try {
    const l = await client(https, 'tea_lead');
    const key = (await l.post('/api/v1/panel/secret')).body.secret;
    const f = { shop: l.user.shop_id, user: 'tea_agent1', order_no: 'ANY-1', exp: now() + 60 };
    const u = new URLSearchParams({ ...f, sig: sign(key, f) });
    const r = await fetch(https.base + `/panel?${u}`, { redirect: 'manual' });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('set-cookie'),
      /^__Host-gd_session=[^;]+; Path=\/; HttpOnly; SameSite=None; Max-Age=43200; Secure; Partitioned$/);
    // the workbench's own sign-in keeps its strict cookie
    const pw = https.logins.tea_lead.password;
    const s = await fetch(https.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tea_lead', password: pw }) });
    assert.match(s.headers.get('set-cookie'), /SameSite=Strict; Max-Age=43200; Secure$/);
  } finally {
    await https.cleanup();
  }
});

test('changing the origins and making a new secret are audited, never the secret; a refused or unchanged one writes no event', async () => {
  const owner = await client(srv, 'tea_owner');
  const audit = async () => {
    const r = await owner.get('/api/v1/audit?limit=200');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.filter((e) => e.action.startsWith('panel.'));
  };
  const before = await audit();
  const current = (await lead.get('/api/v1/panel/settings')).body.origins;
  const next = ['https://chat.example.cn:8443'];
  assert.equal((await lead.put('/api/v1/panel/settings', { origins: next })).status, 200);
  let events = await audit();
  assert.equal(events.length, before.length + 1);
  assert.equal(events[0].action, 'panel.origins_changed');
  assert.equal(events[0].actor.id, lead.user.id);
  assert.equal(events[0].target_shop_id, lead.user.shop_id);
  assert.deepEqual(events[0].data, { origins: { from: current, to: next } });

  // the same list again, a refused list, an agent: nothing changed, nothing recorded
  assert.equal((await lead.put('/api/v1/panel/settings', { origins: next })).status, 200);
  assert.equal((await lead.put('/api/v1/panel/settings', { origins: ['ftp://x'] }, INVALID)).status, 422);
  assert.equal((await agent.put('/api/v1/panel/settings', { origins: [] })).status, 403);
  assert.equal((await agent.post('/api/v1/panel/secret')).status, 403);
  assert.equal((await audit()).length, before.length + 1);

  const made = await lead.post('/api/v1/panel/secret');
  assert.equal(made.status, 200);
  events = await audit();
  assert.equal(events.length, before.length + 2);
  assert.equal(events[0].action, 'panel.secret_rotated');
  assert.equal(events[0].actor.id, lead.user.id);
  assert.deepEqual(events[0].data, {});
  const raw = JSON.stringify((await owner.get('/api/v1/audit?limit=200')).body);
  assert.ok(!raw.includes(made.body.secret.slice(4)), 'the secret is not in the audit log');
  // another shop's log holds none of it
  const otherOwner = await client(srv, 'baby_owner');
  const theirs = (await otherOwner.get('/api/v1/audit?limit=200')).body.items;
  assert.ok(!theirs.some((e) => e.action.startsWith('panel.')));
});
