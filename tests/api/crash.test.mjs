// Crash safety over real HTTP: the server is killed with SIGKILL in the middle of work and
// restarted on the same database. (1) During a load of concurrent creates: every create that was
// acknowledged (201) is there afterwards, and each user's view counters equal a recount of the
// views' rows. (2) During a burst of reply deadlines falling due at once (test clock), killed
// again and again at growing delays until the burst is through: every deadline has fired exactly
// once, none missing, none doubled. The server fires 4 timers per transaction
// (--deadline-batch 4), so the burst is 60 transactions long and some kill lands inside it: a kill
// inside a transaction leaves its timers unfired, to be fired after the restart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, startServer, until } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ testClock: true, args: ['--deadline-batch', '4'] }); });
after(async () => { await srv?.cleanup(); });

const HOUR = 3600_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every row of a view, page by page.
async function viewRows(c, view) {
  const rows = [];
  let cursor = null;
  do {
    const r = await c.get(`/api/v1/workorders?view=${view}&limit=200` + (cursor ? `&cursor=${cursor}` : ''));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    rows.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  return rows;
}

// The counters of GET /api/v1/workorders/counts against the rows of the views they count.
async function assertCountsMatchViews(c, views) {
  const counts = (await c.get('/api/v1/workorders/counts')).body;
  for (const view of views) {
    if (counts[view] === null) continue; // "shop" for a user who does not see the whole shop
    const rows = await viewRows(c, view);
    assert.equal(counts[view], rows.length, `${c.username}: counts.${view} is ${counts[view]}, the view has ${rows.length} rows`);
  }
}

// Runs `workers` loops of fn() until stop() says so; resolves with every result (an Error for a
// request the killed server never answered).
async function load(workers, fn, stop) {
  const results = [];
  await Promise.all(Array.from({ length: workers }, async () => {
    while (!stop()) {
      try {
        results.push(await fn());
      } catch (e) {
        results.push(e);
        return; // the server is gone
      }
    }
  }));
  return results;
}

test('SIGKILL during a load of concurrent creates: every acknowledged create survives, the counters match the views', async () => {
  const [lead, agent1, agent2] = await Promise.all(['tea_lead', 'tea_agent1', 'tea_agent2'].map((u) => client(srv, u)));
  const handlers = [agent1.user.id, agent2.user.id, lead.user.id];
  let n = 0;
  let acked = 0;
  let killed = false;
  const create = async () => {
    const i = n++;
    const r = await lead.post('/api/v1/workorders', { type: 'task_memo', title: `崩溃测试 ${i}`, content: 'load', handler_id: handlers[i % 3] });
    if (r.status === 201) acked++;
    return { i, status: r.status, body: r.body };
  };
  const running = load(24, create, () => killed);
  // kill once a good number are acknowledged, with requests still in flight
  assert.ok(await until(() => acked >= 150, 60000), `only ${acked} creates acknowledged`);
  await srv.kill();
  killed = true;
  const results = await running;
  const ok = results.filter((r) => !(r instanceof Error) && r.status === 201);
  const lost = results.filter((r) => r instanceof Error);
  assert.ok(results.every((r) => r instanceof Error || r.status === 201), 'before the kill every create answers 201');
  assert.ok(lost.length > 0, 'requests were in flight when the server was killed');

  await srv.start(); // the clients' tokens are in the database: they work on the new port
  for (const r of ok) {
    const got = await lead.get(`/api/v1/workorders/${r.body.id}`);
    assert.equal(got.status, 200, `acknowledged create ${r.body.id} is gone`);
    assert.equal(got.body.workorder.title, `崩溃测试 ${r.i}`);
    assert.equal(got.body.workorder.version, r.body.version);
  }
  await assertCountsMatchViews(lead, ['todo', 'created', 'assigned', 'overdue', 'shop']);
  await assertCountsMatchViews(agent1, ['todo', 'created', 'assigned', 'overdue', 'shop']);
  await assertCountsMatchViews(agent2, ['todo', 'created', 'assigned', 'overdue', 'shop']);
  // the creates that were in flight: each either made it whole or not at all, never twice
  const mine = (await viewRows(lead, 'created')).filter((w) => w.title.startsWith('崩溃测试 '));
  assert.equal(new Set(mine.map((w) => w.title)).size, mine.length, 'no create stored twice');
  assert.ok(mine.length >= ok.length && mine.length <= n);
});

test('SIGKILL during a burst of due reply deadlines: after the restarts each fired exactly once', async (t) => {
  const advance = (ms) => fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: ms }) });
  const [admin, agent, lead] = await Promise.all(['admin', 'xiaoer1', 'tea_lead'].map((u) => client(srv, u)));
  // one deadline per case (no reminders): the reply window, one hour
  const put = await admin.put('/api/v1/rules', { reply_window_hours: 1, reminder_offsets_hours: [] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const orders = (await lead.get('/api/v1/orders?limit=100')).body.items;
  assert.ok(orders.length > 0);
  const ids = [];
  let next = 0;
  const CASES = 240;
  await load(8, async () => {
    const i = next++;
    const r = await agent.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: orders[i % orders.length].order_no, category: '物流', complaint: `未收到 ${i}`, remedy: 'reship' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }, () => next >= CASES);
  assert.equal(ids.length, CASES);
  const intervention = async () => (await agent.get('/api/v1/workorders/counts')).body.intervention;
  const base = await intervention();

  // every reply window ends at once; the server is killed `delay` ms after the request that moves
  // the clock is sent (not after its answer: a fast server fires the whole burst before a kill
  // that waits for the answer could land), and restarted (its clock is the real one again,
  // nothing due until the clock moves again)
  const seen = [];
  // 2 ms steps, then growing ones: the burst lasts far longer under ASan
  for (let delay = 0; ; delay = delay < 50 ? delay + 2 : Math.round(delay * 1.5)) {
    const moved = advance(HOUR + 5000).then((r) => r.status, () => 'cut off by the kill');
    await sleep(delay);
    await srv.kill();
    const status = await moved;
    assert.ok(status === 200 || status === 'cut off by the kill', `moving the clock answered ${status}`);
    await srv.start(); // the clients' tokens are in the database: they work on the new port
    const fired = (await intervention()) - base;
    seen.push({ delay, fired });
    if (fired === CASES) break;
    assert.ok(delay < 5000, `the burst never completed: ${JSON.stringify(seen)}`);
  }
  t.diagnostic(`killed after the clock moved, fired so far: ${seen.map((s) => `${s.delay} ms: ${s.fired}`).join(', ')}`);
  assert.ok(seen.some((s) => s.fired > 0 && s.fired < CASES), `no kill landed inside the burst: ${seen.map((s) => `${s.delay} ms: ${s.fired}`).join(', ')}`);

  for (const id of ids) {
    const d = (await agent.get(`/api/v1/workorders/${id}`)).body;
    const timeouts = d.events.filter((e) => e.kind === 'seller_timeout').length;
    assert.equal(timeouts, 1, `case ${id}: seller_timeout ${timeouts} times`);
    assert.equal(d.workorder.state, 'intervention');
    assert.equal(d.workorder.collab.intervention.reason, 'seller_timeout');
  }
  await assertCountsMatchViews(agent, ['intervention']);
});
