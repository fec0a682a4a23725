// People (docs/people.md): who may add, change, reset and deactivate whom; deactivation ends a
// session, a token and a live stream at once; a reset password must be changed first; every
// change is an audit event; one shop's managers never reach another shop's people.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer } from './lib.mjs';

let srv, owner, lead, agent, otherLead, admin, xe;

before(async () => {
  srv = await startServer();
  [owner, lead, agent, otherLead, admin, xe] = await Promise.all(
    ['tea_owner', 'tea_lead', 'tea_agent1', 'baby_lead', 'admin', 'xiaoer1'].map((u) => client(srv, u)),
  );
});
after(async () => { await srv?.cleanup(); });

let n = 0;
const uname = (p) => `${p}${++n}`;
async function signIn(username, password) {
  const r = await fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await r.json();
  if (r.status !== 200) return { status: r.status, body };
  const c = { status: 200, user: body.user, headers: {
    cookie: r.headers.get('set-cookie').split(';')[0], 'x-csrf-token': body.csrf_token } };
  c.req = async (method, path, b, extra = {}) => {
    const init = { method, headers: { ...c.headers, ...extra } };
    if (b !== undefined) { init.body = JSON.stringify(b); init.headers['content-type'] = 'application/json'; }
    const res = await fetch(srv.base + path, init);
    const t = await res.text();
    let parsed = t;
    try { parsed = JSON.parse(t); } catch { /* not JSON */ }
    return { status: res.status, body: parsed };
  };
  return c;
}
async function addAgent(by, extra = {}) {
  const username = uname('p_agent');
  const r = await by.post('/api/v1/users', { username, display_name: '新客服', role: 'shop_agent',
    password: 'first-pass-1', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
// a signed-in session of a new agent who has already changed the password
async function readyAgent(by) {
  const u = await addAgent(by);
  const s = await signIn(u.username, 'first-pass-1');
  assert.equal((await s.req('POST', '/api/v1/me/password', { current_password: 'first-pass-1',
    new_password: 'second-pass-2' })).status, 204);
  return { u, s };
}

test('a lead adds an agent, who must change the password before anything else', async () => {
  const u = await addAgent(lead);
  assert.equal(u.shop_id, lead.user.shop_id);
  assert.equal(u.must_change_password, true);
  assert.equal(u.active, true);
  const s = await signIn(u.username, 'first-pass-1');
  assert.equal(s.status, 200);
  assert.equal(s.user.must_change_password, true);
  const blocked = await s.req('GET', '/api/v1/workorders?view=todo', undefined);
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.error.code, 'password_change_required');
  assert.equal((await s.req('GET', '/api/v1/me')).status, 200);
  const wrong = await s.req('POST', '/api/v1/me/password', { current_password: 'nope-nope-1',
    new_password: 'second-pass-2' }, INVALID);
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.field, 'current_password');
  const short = await s.req('POST', '/api/v1/me/password', { current_password: 'first-pass-1',
    new_password: 'short' }, INVALID);
  assert.equal(short.status, 422);
  assert.equal(short.body.error.field, 'new_password');
  assert.equal((await s.req('POST', '/api/v1/me/password', { current_password: 'first-pass-1',
    new_password: 'second-pass-2' })).status, 204);
  assert.equal((await s.req('GET', '/api/v1/workorders?view=todo')).status, 200);
  assert.equal((await signIn(u.username, 'first-pass-1')).status, 401);
  assert.equal((await signIn(u.username, 'second-pass-2')).status, 200);
});

test('role rights: a lead makes no owner and manages no owner; an agent manages nobody', async () => {
  const asOwner = await lead.post('/api/v1/users', { username: uname('p_own'), display_name: '老板二',
    role: 'shop_owner', password: 'first-pass-1' });
  assert.equal(asOwner.status, 403);
  assert.equal(asOwner.body.error.field, 'role');
  const u = await addAgent(lead);
  const raise = await lead.patch(`/api/v1/users/${u.id}`, { role: 'shop_owner' });
  assert.equal(raise.status, 403);
  const toLead = await lead.patch(`/api/v1/users/${u.id}`, { role: 'shop_lead' });
  assert.equal(toLead.status, 200);
  assert.equal(toLead.body.role, 'shop_lead');
  assert.equal((await lead.patch(`/api/v1/users/${owner.user.id}`, { display_name: 'x' })).status, 403);
  assert.equal((await agent.post('/api/v1/users', { username: uname('p_x'), display_name: 'x',
    role: 'shop_agent', password: 'first-pass-1' })).status, 403);
  assert.equal((await agent.patch(`/api/v1/users/${u.id}`, { display_name: 'x' })).status, 403);
  assert.equal((await xe.post('/api/v1/shops', { name: '不许建的店' })).status, 403);
  // the owner makes someone owner; a platform role never goes to a shop's user
  assert.equal((await owner.patch(`/api/v1/users/${u.id}`, { role: 'shop_owner' })).body.role, 'shop_owner');
  const plat = await owner.patch(`/api/v1/users/${u.id}`, { role: 'platform_admin' }, INVALID);
  assert.equal(plat.status, 422);
  assert.equal(plat.body.error.field, 'role');
});

test('bad input names the field and writes nothing', async () => {
  const before = (await owner.get('/api/v1/users')).body.items.length;
  for (const [body, field] of [
    [{ username: 'bad name!', display_name: 'x', role: 'shop_agent', password: 'first-pass-1' }, 'username'],
    [{ username: uname('p_ok'), display_name: '', role: 'shop_agent', password: 'first-pass-1' }, 'display_name'],
    [{ username: uname('p_ok'), display_name: '名'.repeat(65), role: 'shop_agent', password: 'first-pass-1' }, 'display_name'],
    [{ username: uname('p_ok'), display_name: 'x', role: 'boss', password: 'first-pass-1' }, 'role'],
    [{ username: uname('p_ok'), display_name: 'x', role: 'shop_agent', password: 'short' }, 'password'],
  ]) {
    const r = await owner.post('/api/v1/users', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
  }
  const taken = await owner.post('/api/v1/users', { username: 'tea_agent2', display_name: 'x',
    role: 'shop_agent', password: 'first-pass-1' });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.field, 'username');
  const act = await owner.patch(`/api/v1/users/${agent.user.id}`, { active: 'no' }, INVALID);
  assert.equal(act.status, 422);
  assert.equal(act.body.error.field, 'active');
  assert.equal((await owner.get('/api/v1/users')).body.items.length, before);
});

test('deactivating oneself or the last owner is refused with the reason', async () => {
  const self = await lead.patch(`/api/v1/users/${lead.user.id}`, { active: false });
  assert.equal(self.status, 409);
  assert.equal(self.body.error.field, 'active');
  const babyOwner = await client(srv, 'baby_owner');
  const last = await admin.patch(`/api/v1/users/${babyOwner.user.id}`, { active: false });
  assert.equal(last.status, 409);
  assert.match(last.body.error.message, /last active owner/);
  const demote = await admin.patch(`/api/v1/users/${babyOwner.user.id}`, { role: 'shop_lead' });
  assert.equal(demote.status, 409);
  assert.equal((await babyOwner.get('/api/v1/me')).body.user.role, 'shop_owner');
});

test("a lead acting on another shop's user gets 404, and sees only their own shop's people", async () => {
  assert.equal((await otherLead.patch(`/api/v1/users/${agent.user.id}`, { active: false })).status, 404);
  assert.equal((await otherLead.post(`/api/v1/users/${agent.user.id}/password`, { password: 'new-pass-123' })).status, 404);
  const ids = (await otherLead.get('/api/v1/users')).body.items.map((u) => u.id);
  assert.ok(!ids.includes(agent.user.id));
  // a shop's lead adds to their own shop whatever shop_id they name
  const u = await addAgent(otherLead, { shop_id: lead.user.shop_id });
  assert.equal(u.shop_id, otherLead.user.shop_id);
  assert.equal((await agent.get('/api/v1/audit')).status, 403);
  assert.equal((await lead.get('/api/v1/audit')).status, 403);
});

test('deactivation ends the session, the token and the stream at once; the work waits in reassign', async () => {
  const { u, s } = await readyAgent(lead);
  const tokenClient = await client(srv, u.username);
  assert.equal((await tokenClient.get('/api/v1/me')).status, 200);
  const wo = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '盘点库存',
    content: '请今天盘点', handler_id: u.id });
  assert.equal(wo.status, 201, JSON.stringify(wo.body));
  const ac = new AbortController();
  const stream = await fetch(srv.base + '/api/v1/stream', { headers: s.headers, signal: ac.signal });
  assert.equal(stream.status, 200);
  const ended = (async () => {
    const reader = stream.body.getReader();
    try { for (;;) { if ((await reader.read()).done) return 'ended'; } } catch { return 'aborted'; }
  })();

  const off = await lead.patch(`/api/v1/users/${u.id}`, { active: false });
  assert.equal(off.status, 200);
  assert.equal(off.body.active, false);
  assert.equal((await s.req('GET', '/api/v1/me')).status, 401);
  assert.equal((await tokenClient.get('/api/v1/me')).status, 401);
  const how = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still open'), 15000))]);
  ac.abort();
  assert.equal(how, 'ended');
  const again = await signIn(u.username, 'second-pass-2');
  assert.equal(again.status, 401);
  assert.match(again.body.error.message, /deactivated/);

  // their name stays on the timeline; their open work is in the lead's reassign view
  const tl = (await lead.get(`/api/v1/workorders/${wo.body.id}`)).body;
  assert.equal(tl.workorder.handler.display_name, '新客服');
  assert.ok(tl.events.some((e) => e.kind === 'created' && e.actor.id === lead.user.id));
  const list = await lead.get('/api/v1/workorders?view=reassign');
  assert.deepEqual(list.body.items.map((w) => w.id), [wo.body.id]);
  assert.equal((await agent.get('/api/v1/workorders?view=reassign')).status, 403);
  const toInactive = await lead.post(`/api/v1/workorders/${wo.body.id}/transfer`, { to: u.id, reason: 'x' });
  assert.equal(toInactive.status, 422);
  const moved = await lead.post(`/api/v1/workorders/${wo.body.id}/transfer`, { to: agent.user.id, reason: '原处理人已停用' });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal((await lead.get('/api/v1/workorders?view=reassign')).body.items.length, 0);

  // reactivated: they sign in again (old tokens stay ended)
  assert.equal((await lead.patch(`/api/v1/users/${u.id}`, { active: true })).body.active, true);
  assert.equal((await signIn(u.username, 'second-pass-2')).status, 200);
  assert.equal((await tokenClient.get('/api/v1/me')).status, 401);
});

test('a reset ends their sessions and they must change the password again', async () => {
  const { u, s } = await readyAgent(lead);
  assert.equal((await lead.post(`/api/v1/users/${u.id}/password`, { password: 'reset-pass-3' })).status, 204);
  assert.equal((await s.req('GET', '/api/v1/me')).status, 401);
  const s2 = await signIn(u.username, 'reset-pass-3');
  assert.equal(s2.user.must_change_password, true);
  assert.equal((await s2.req('GET', '/api/v1/users')).status, 403);
});

test('everyone renames themselves', async () => {
  const { s } = await readyAgent(lead);
  assert.equal((await s.req('PATCH', '/api/v1/me', { display_name: '小梅' })).status, 204);
  assert.equal((await s.req('GET', '/api/v1/me')).body.user.display_name, '小梅');
  const bad = await s.req('PATCH', '/api/v1/me', { display_name: '' }, INVALID);
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'display_name');
});

test('a platform admin creates, renames and deactivates a shop, and adds its owner and platform staff', async () => {
  const shop = await admin.post('/api/v1/shops', { name: uname('新店') });
  assert.equal(shop.status, 201);
  assert.equal(shop.body.active, true);
  assert.equal((await admin.post('/api/v1/shops', { name: shop.body.name })).status, 409);
  const own = await admin.post('/api/v1/users', { username: uname('p_newowner'), display_name: '新店主',
    role: 'shop_owner', password: 'first-pass-1', shop_id: shop.body.id });
  assert.equal(own.status, 201);
  const staff = await admin.post('/api/v1/users', { username: uname('p_xe'), display_name: '小二',
    role: 'platform_agent', password: 'first-pass-1' });
  assert.equal(staff.status, 201);
  assert.equal(staff.body.shop_id, null);
  const s = await signIn(own.body.username, 'first-pass-1');
  assert.equal(s.status, 200);
  const renamed = await admin.patch(`/api/v1/shops/${shop.body.id}`, { name: shop.body.name + '2' });
  assert.equal(renamed.body.name, shop.body.name + '2');
  assert.equal((await admin.patch(`/api/v1/shops/${shop.body.id}`, { active: false })).body.active, false);
  assert.equal((await s.req('GET', '/api/v1/me')).status, 401);
  const refused = await signIn(own.body.username, 'first-pass-1');
  assert.equal(refused.status, 401);
  assert.match(refused.body.error.message, /shop is deactivated/);
  await admin.patch(`/api/v1/shops/${shop.body.id}`, { active: true });
  assert.equal((await signIn(own.body.username, 'first-pass-1')).status, 200);
  assert.equal((await admin.patch('/api/v1/shops/123456789', { active: false })).status, 404);
});

test('every change is an audit event: the owner reads their shop, the admin everything', async () => {
  const u = await addAgent(owner);
  await owner.patch(`/api/v1/users/${u.id}`, { role: 'shop_lead', display_name: '新主管' });
  const mine = (await owner.get('/api/v1/audit?limit=5')).body;
  assert.equal(mine.items[0].action, 'user.role_changed');
  assert.equal(mine.items[0].target_user_id, u.id);
  assert.deepEqual(mine.items[0].data.role, { from: 'shop_agent', to: 'shop_lead' });
  assert.equal(mine.items[0].actor.id, owner.user.id);
  assert.equal(mine.items[1].action, 'user.created');
  assert.ok(mine.items.every((e) => e.shop_id === owner.user.shop_id));
  const babyOwner = await client(srv, 'baby_owner');
  const theirs = (await babyOwner.get('/api/v1/audit?limit=200')).body.items;
  assert.ok(theirs.every((e) => e.shop_id === babyOwner.user.shop_id));
  assert.ok(!theirs.some((e) => e.target_user_id === u.id));
  const all = (await admin.get('/api/v1/audit?limit=200')).body.items;
  assert.ok(all.some((e) => e.action === 'shop.deactivated'));
  assert.ok(all.some((e) => e.target_user_id === u.id));
  const bad = await owner.get('/api/v1/audit?limit=0', undefined, INVALID);
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'limit');
});
