// Signed-in principals are cached per server thread while the generation of the user's shop holds
// (src/service/credcache.c): a revocation committed by another connection (psql, or Python's
// sqlite3, as another node or a tool would write) must be seen by the very next request on every
// thread: a deleted token or session, a deactivated user or shop, a role taken away, and a session
// past its expiry by the clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, client, sqlExec } from './lib.mjs';

let srv;
const pool = new http.Agent({ keepAlive: true, maxSockets: 32 });

before(async () => {
  srv = await startServer({ testClock: true });
});
after(async () => {
  pool.destroy();
  await srv.cleanup();
});

const TODO = '/api/v1/workorders?view=todo&limit=50';

// n requests at once over up to 32 connections (plain node:http, so they do arrive together and
// reach every server thread); their statuses
function burst(c, path, n = 64) {
  const one = () => new Promise((resolve, reject) => {
    http.get(srv.base + path, { agent: pool, headers: c.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  return Promise.all(Array.from({ length: n }, one));
}

async function hits() {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const m = text.match(/^gongdan_auth_cache_requests_total\{result="hit"\} (\d+)$/m);
  assert.ok(m, 'the metric is there');
  return Number(m[1]);
}

// Warms every thread's cache with c's credential (each thread looks it up once, then once more
// at the generation it read) and checks the cache then answers.
async function warm(c, path = TODO) {
  for (let i = 0; i < 3; i++) assert.deepEqual(new Set(await burst(c, path)), new Set([200]));
  const h0 = await hits();
  assert.deepEqual(new Set(await burst(c, path)), new Set([200]));
  assert.ok((await hits()) > h0, 'the credential was answered from the cache');
}

const userId = (c) => c.user.id;

test('a token deleted by another connection is refused by the very next requests', async () => {
  const c = await client(srv, 'tea_agent1');
  await warm(c);
  sqlExec(srv.db, `DELETE FROM api_tokens WHERE user_id = ${userId(c)}`);
  assert.deepEqual(new Set(await burst(c, TODO)), new Set([401]));
});

test('a user deactivated by another connection is refused at once', async () => {
  const c = await client(srv, 'tea_agent2');
  await warm(c);
  sqlExec(srv.db, `UPDATE users SET active = 0 WHERE id = ${userId(c)}`);
  assert.deepEqual(new Set(await burst(c, TODO)), new Set([401]));
  sqlExec(srv.db, `UPDATE users SET active = 1 WHERE id = ${userId(c)}`);
  assert.deepEqual(new Set(await burst(c, TODO)), new Set([200]), 'and let in again once active');
});

test('a role taken away by another connection applies to the very next requests', async () => {
  const c = await client(srv, 'tea_lead');
  const SHOP = '/api/v1/workorders?view=shop&limit=20';
  await warm(c, SHOP);
  sqlExec(srv.db, `UPDATE users SET role = 'shop_agent' WHERE id = ${userId(c)}`);
  assert.deepEqual(new Set(await burst(c, SHOP)), new Set([403]), 'the 全店 view is for leads and owners');
  sqlExec(srv.db, `UPDATE users SET role = 'shop_lead' WHERE id = ${userId(c)}`);
  assert.deepEqual(new Set(await burst(c, SHOP)), new Set([200]));
});

test('a shop deactivated by another connection locks its users out at once', async () => {
  const c = await client(srv, 'baby_agent1');
  await warm(c);
  sqlExec(srv.db, `UPDATE shops SET active = 0 WHERE id = (SELECT shop_id FROM users WHERE id = ${userId(c)})`);
  assert.deepEqual(new Set(await burst(c, TODO)), new Set([401]));
});

test('a session signed out by another connection is refused at once; sign-out through the API too', async () => {
  const a = await client(srv, 'tea_warehouse', { cookie: true });
  await warm(a);
  sqlExec(srv.db, `DELETE FROM sessions WHERE user_id = ${userId(a)}`);
  assert.deepEqual(new Set(await burst(a, TODO)), new Set([401]));

  const b = await client(srv, 'tea_warehouse', { cookie: true });
  await warm(b);
  assert.equal((await b.delete('/api/v1/session')).status, 204);
  assert.deepEqual(new Set(await burst(b, TODO)), new Set([401]));
});

test('a cached session ends at its expiry by the clock, with no change in the database', async () => {
  const c = await client(srv, 'tea_owner', { cookie: true });
  await warm(c);
  const r = await fetch(srv.base + '/api/v1/_test/clock', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 12 * 3600 * 1000 + 1000 }),
  });
  assert.equal(r.status, 200);
  assert.deepEqual(new Set(await burst(c, TODO)), new Set([401]));
});
