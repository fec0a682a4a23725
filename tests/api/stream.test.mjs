// The live stream (GET /api/v1/stream): it tells a subscriber only of work orders they may open
// (docs/permissions.md), it has limits (per user: 429; per server: 503, both named), a stream
// whose client went away is closed within seconds, and a stream ends when the session it was
// opened with is signed out. The deadline engine's overdue mark keeps the version and says
// `overdue` (the workbench's open page reloads on it). Its numbers are on /metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, until } from './lib.mjs';
import { readEvents } from '../sse.mjs';

let srv, lead, agent1, agent2;

before(async () => {
  srv = await startServer({ testClock: true, env: { GONGDAN_STREAMS_MAX: '12' } });
  [lead, agent1, agent2] = await Promise.all(['tea_lead', 'tea_agent1', 'tea_agent2'].map((u) => client(srv, u)));
});
after(async () => { await srv.cleanup(); });

// Opens a stream and collects its events; .ended resolves when the server ends it.
async function openStream(c) {
  const ac = new AbortController();
  const res = await fetch(srv.base + '/api/v1/stream', { headers: c.headers, signal: ac.signal });
  const s = { status: res.status, res, events: [], close: () => ac.abort() };
  if (res.status !== 200) {
    s.body = await res.json();
    return s;
  }
  s.ended = readEvents(res, (ev, data) => s.events.push({ ev, data })).then((ended) => (ended ? 'ended' : 'aborted'));
  return s;
}
const ids = (s) => s.events.filter((e) => e.ev === 'workorder').map((e) => e.data.id);
const metric = async (name) => {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a subscriber hears only of work orders they may open', async () => {
  const s1 = await openStream(agent1);
  const s2 = await openStream(agent2);
  const sl = await openStream(lead);
  assert.equal(s1.status, 200);
  await until(() => s2.events.some((e) => e.ev === 'counts'));
  const r = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '只给甲', handler_id: agent1.user.id });
  assert.equal(r.status, 201);
  const secret = r.body.id;
  await lead.post(`/api/v1/workorders/${secret}/notes`, { text: '补充' });
  assert.ok(await until(() => ids(s1).filter((id) => id === secret).length === 2), 'the handler hears of it');
  assert.ok(await until(() => ids(sl).includes(secret)), 'the lead hears of the whole shop');
  // a marker change agent2 may hear of: everything before it has reached agent2's stream
  const mine = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '给乙', handler_id: agent2.user.id });
  assert.ok(await until(() => ids(s2).includes(mine.body.id)));
  assert.ok(!ids(s2).includes(secret), 'another agent never learns the id');
  // handed over to agent2 and back: agent2 handled it before and still hears of it
  await agent1.post(`/api/v1/workorders/${secret}/transfer`, { to: agent2.user.id, reason: '交接' });
  await agent2.post(`/api/v1/workorders/${secret}/transfer`, { to: agent1.user.id, reason: '还给你' });
  await agent1.post(`/api/v1/workorders/${secret}/notes`, { text: '收到' });
  assert.ok(await until(() => s2.events.filter((e) => e.ev === 'workorder' && e.data.id === secret && e.data.version === 5).length === 1),
    'the former handler hears of the later change');
  for (const s of [s1, s2, sl]) s.close();
  await until(async () => (await metric('gongdan_streams_open')) === 0);
});

test('at most 8 streams per user (429) and a server-wide cap (503); both named and counted', async () => {
  const mine = [];
  for (let i = 0; i < 8; i++) {
    const s = await openStream(agent1);
    assert.equal(s.status, 200, `stream ${i + 1}`);
    mine.push(s);
  }
  const ninth = await openStream(agent1);
  assert.equal(ninth.status, 429);
  assert.equal(ninth.body.error.code, 'limit');
  assert.match(ninth.body.error.message, /at most 8 live streams per user/);
  assert.equal(await metric('gongdan_streams_open'), 8);
  assert.equal(await metric('gongdan_stream_limit_total{limit="per_user"}'), 1);
  const others = [];
  for (let i = 0; i < 4; i++) others.push(await openStream(i < 2 ? agent2 : lead));
  assert.deepEqual(others.map((s) => s.status), [200, 200, 200, 200]);
  const over = await openStream(agent2);
  assert.equal(over.status, 503, 'the server-wide cap (12 here)');
  assert.match(over.body.error.message, /limit of 12 live streams/);
  assert.equal(await metric('gongdan_stream_limit_total{limit="server"}'), 1);
  assert.equal((await fetch(srv.base + '/healthz')).status, 200, 'the server still answers');
  // a closed stream frees its place
  mine[0].close();
  let freed;
  assert.ok(await until(async () => { freed = await openStream(agent2); return freed.status === 200; }, 5000));
  for (const s of [...mine, ...others, freed]) s.close();
  await until(async () => (await metric('gongdan_streams_open')) === 0, 8000);
});

test('a stream whose client went away is closed within seconds, not at the 20 s heartbeat', async () => {
  await until(async () => (await metric('gongdan_streams_open')) === 0, 8000);
  const s = await openStream(agent2);
  await until(() => s.events.length > 0);
  assert.equal(await metric('gongdan_streams_open'), 1);
  const t0 = Date.now();
  s.close();
  assert.ok(await until(async () => (await metric('gongdan_streams_open')) === 0, 5000), 'closed within 5 s');
  assert.ok(Date.now() - t0 < 5000);
});

test('signing out ends the streams opened with that session', async () => {
  const c = await client(srv, 'tea_agent2', { cookie: true });
  const s = await openStream(c);
  assert.equal(s.status, 200);
  await until(() => s.events.length > 0);
  const other = await openStream(agent2); // the same user's token: not signed out
  assert.equal((await c.delete('/api/v1/session')).status, 204);
  const t0 = Date.now();
  const how = await Promise.race([s.ended, sleep(5000).then(() => 'still open')]);
  assert.equal(how, 'ended', 'the server ended the stream');
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(await metric('gongdan_streams_ended_total{reason="revoked"}'), 1);
  const again = await openStream(c);
  assert.equal(again.status, 401);
  // the token's stream goes on
  const wo = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '登出后', handler_id: agent2.user.id });
  assert.ok(await until(() => ids(other).includes(wo.body.id)));
  other.close();
});

test('the overdue mark is heard with its flag, at the version the page has', async () => {
  const s = await openStream(agent1);
  const due = new Date(Date.now() + 3600e3).toISOString();
  const r = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '会超时', handler_id: agent1.user.id, deadline: due });
  assert.equal(r.status, 201);
  const id = r.body.id;
  assert.ok(await until(() => s.events.some((e) => e.ev === 'workorder' && e.data.id === id && e.data.overdue === false)));
  const version = (await agent1.get(`/api/v1/workorders/${id}`)).body.workorder.version;
  const clock = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 2 * 3600e3 }) });
  assert.equal(clock.status, 200);
  assert.ok(await until(() => s.events.some((e) => e.ev === 'workorder' && e.data.id === id && e.data.overdue === true), 10000),
    'the mark is heard as overdue');
  const marked = s.events.find((e) => e.ev === 'workorder' && e.data.id === id && e.data.overdue === true);
  assert.equal(marked.data.version, version, 'the mark keeps the version');
  s.close();
});
