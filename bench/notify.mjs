// Notification fan-out (docs/notifications.md): one change tells 50 people, each with a workbench
// open (a live stream); how long until each one's bell moves. SQLite, the demo data, over HTTP.
//   node bench/notify.mjs        (SAMPLES changes, default 20; PEOPLE, default 50)
// The change is a platform judgement on a collaborative case of the shop, which tells every owner
// and lead of the shop: the shop gets PEOPLE - 2 more leads (with its lead and owner, PEOPLE
// recipients), each signed in with one stream open. Per sample a case is opened and answered (the
// seller disagrees, so it goes to a platform agent), the streams settle, then the judgement is
// sent; each stream's time from sending it to its `notifications` event with the higher count is
// one figure. Prints p50, p99 and the worst over SAMPLES x PEOPLE bells, and the judgement's own
// answer time. Prints the host's load average: the machine is shared.
import assert from 'node:assert/strict';
import os from 'node:os';
import { apiLogin, startServer } from '../tests/e2e/server.mjs';
import { readEvents } from '../tests/sse.mjs';

const SAMPLES = Number(process.env.SAMPLES || 20);
const PEOPLE = Number(process.env.PEOPLE || 50);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A workbench's live stream: its bell's count and a wait for it to pass a value. */
async function stream(url, cookie) {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/v1/stream`, { headers: { cookie }, signal: ac.signal });
  assert.equal(res.status, 200);
  const s = { unread: null, waiters: [], close: () => ac.abort() };
  void readEvents(res, (ev, data) => {
    if (ev !== 'notifications') return;
    s.unread = data.unread;
    const at = performance.now();
    s.waiters = s.waiters.filter((w) => (s.unread > w.above ? (w.resolve(at), false) : true));
  });
  s.above = (n) => new Promise((resolve) => (s.unread > n ? resolve(performance.now()) : s.waiters.push({ above: n, resolve })));
  return s;
}

const srv = await startServer();
const streams = [];
const bells = [];
const answers = [];
let load = 0;
try {
  const acc = (u) => srv.accounts.find((a) => a.username === u);
  const owner = await apiLogin(srv.url, 'tea_owner', acc('tea_owner').password);
  const lead = await apiLogin(srv.url, 'tea_lead', acc('tea_lead').password);
  const platform = await Promise.all(srv.accounts.filter((a) => a.role.startsWith('platform_') && a.role !== 'platform_admin')
    .map(async (a) => ({ c: await apiLogin(srv.url, a.username, a.password), id: null })));
  for (const p of platform) p.id = (await p.c.call('GET', '/me')).json.user.id;
  const people = [{ u: 'tea_owner', pw: acc('tea_owner').password }, { u: 'tea_lead', pw: acc('tea_lead').password }];
  for (let i = 0; people.length < PEOPLE; i++) {
    const r = await owner.call('POST', '/users', { username: `bench_lead${i}`, display_name: `基准主管${i}`, role: 'shop_lead', password: 'bench-password-1' });
    assert.equal(r.status, 201, r.text);
    people.push({ u: `bench_lead${i}`, pw: 'bench-password-1' });
  }
  const signIn = (username, password) => fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  for (const p of people) {
    let r = await signIn(p.u, p.pw);
    assert.equal(r.status, 200, p.u);
    if ((await r.json()).user.must_change_password) {
      // a password the owner set is changed by its person first (else their workbench is 403)
      const c = await apiLogin(srv.url, p.u, p.pw);
      assert.equal((await c.call('POST', '/me/password', { current_password: p.pw, new_password: 'bench-password-2' })).status, 204);
      p.pw = 'bench-password-2';
      r = await signIn(p.u, p.pw);
      assert.equal(r.status, 200, p.u);
    }
    streams.push(await stream(srv.url, r.headers.get('set-cookie').split(';')[0]));
  }
  while (streams.some((s) => s.unread === null)) await sleep(50);
  const shop = (await lead.call('GET', '/me')).json.user.shop_id;
  const orders = (await lead.call('GET', '/orders?limit=50')).json.items;
  const loads = [];
  for (let i = 0; i < SAMPLES; i++) {
    const open = await platform[0].c.call('POST', '/collab', { shop_id: shop, order_no: orders[i % orders.length].order_no, category: '描述不符', complaint: `基准 ${i}`, remedy: 'refund' });
    assert.equal(open.status, 201, open.text);
    const reply = await lead.call('POST', `/workorders/${open.json.id}/reply`, { option: 'not_agreed', description: '不同意' });
    assert.equal(reply.status, 200, reply.text);
    const judge = platform.find((p) => p.id === reply.json.handler?.id);
    assert.ok(judge, 'the case went to a platform agent');
    await sleep(300); // the streams settle (the reply moved no bell of theirs)
    const before = streams.map((s) => s.unread);
    loads.push(os.loadavg()[0]);
    const t0 = performance.now();
    const waits = streams.map((s, k) => s.above(before[k]));
    const r = await judge.c.call('POST', `/workorders/${open.json.id}/judge`, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: '基准', rule_article: '第一条' });
    answers.push(performance.now() - t0);
    assert.equal(r.status, 200, r.text);
    for (const at of await Promise.all(waits)) bells.push(at - t0);
  }
  load = loads.reduce((a, b) => a + b, 0) / loads.length;
} finally {
  streams.forEach((s) => s.close());
  await srv.stop();
}
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`notification fan-out: one judgement tells ${PEOPLE} owners and leads, each with a live stream open (SQLite, demo data); ${SAMPLES} judgements, ${bells.length} bells; load average ${load.toFixed(1)} (${os.cpus().length} cores)\n`);
console.log('| | p50 | p99 | worst |');
console.log('|---|---|---|---|');
console.log(`| the judgement's answer | ${ms(q(answers, 0.5))} | ${ms(q(answers, 0.99))} | ${ms(Math.max(...answers))} |`);
console.log(`| send -> each bell moves | ${ms(q(bells, 0.5))} | ${ms(q(bells, 0.99))} | ${ms(Math.max(...bells))} |`);
