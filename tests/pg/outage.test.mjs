// PostgreSQL stopped under a write load, then started again (once with `pg_ctl stop -m fast`, once
// with `-m immediate`, a crash): the server never exits, answers 503 with Retry-After while the
// database is away (never 500), /healthz goes 503 and back to 200, and no write is lost or doubled:
// every create answered 201 is there exactly once, a 503'd create sent again with its
// Idempotency-Key is created once (or its first answer replayed), a note or transfer answered 200
// is there once and one answered 503 at most once. The deadline scheduler, the webhook deliverer and
// the export worker carry on afterwards.
// The cluster is this test's own (scripts/pg-test-cluster), since stopping the shared one of the
// ctest fixture would break the suites running beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { startServer, client, until } from '../api/lib.mjs';

const CLUSTER = new URL('../../scripts/pg-test-cluster', import.meta.url).pathname;
const cluster = (...args) => execFileSync(CLUSTER, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A webhook receiver on loopback: records every event it is sent.
function receiver() {
  const r = { events: [] };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      r.events.push(...JSON.parse(Buffer.concat(chunks).toString('utf8')).events);
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => r.server.listen(0, '127.0.0.1', () => {
    r.url = `http://127.0.0.1:${r.server.address().port}/hook`;
    resolve(r);
  }));
}

test('PostgreSQL stopped and started under a write load: no acknowledged write lost or doubled, the server recovers by itself', { timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync('/tmp/gd-outage-');
  cluster('start', dir);
  process.env.GONGDAN_TEST_DB = 'pg';
  process.env.GONGDAN_TEST_PG_DIR = dir;
  const recv = await receiver();
  let srv;
  try {
    srv = await startServer({ testClock: true });
    const [lead, agent1, agent2] = await Promise.all(['tea_lead', 'tea_agent1', 'tea_agent2'].map((u) => client(srv, u)));
    const agents = { [agent1.user.id]: agent1, [agent2.user.id]: agent2 };
    const hook = await lead.post('/api/v1/webhooks', { url: recv.url });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const mk = async (title, extra = {}) => {
      const r = await lead.post('/api/v1/workorders', { type: 'after_sales', title, handler_id: agent1.user.id, ...extra });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const noted = await mk('备注目标');
    const moved = await mk('转派目标');
    const due = await mk('到期目标', { deadline: new Date(Date.now() + 3600e3).toISOString() });

    // ---- the load: two loops of creates, one of notes, one of transfers ----
    const unexpected = []; // any answer but the ones each loop expects (a 500, a dropped connection)
    const creates = [];    // {key, body, status, id}
    const notes = [];      // {text, status}
    const transfers = [];  // {status}
    let stop = false, unavailable = 0, retryAfterMissing = 0;
    const saw = (what, r) => {
      if (r.status === 503) {
        unavailable++;
        if (r.headers.get('retry-after') !== '1') retryAfterMissing++;
      }
      return r;
    };
    const guard = async (what, fn) => {
      try {
        return await fn();
      } catch (e) {
        unexpected.push(`${what}: ${e.message}`);
        return { status: 0, headers: new Headers(), body: null };
      }
    };
    const createLoop = async (loop) => {
      for (let n = 0; !stop; n++) {
        const key = `outage-${loop}-${n}`;
        const body = { type: 'after_sales', title: key, content: '断库测试', handler_id: agent2.user.id };
        const r = saw('create', await guard('create', () => lead.post('/api/v1/workorders', body, { 'idempotency-key': key })));
        creates.push({ key, body, status: r.status, id: r.status === 201 ? r.body.id : null });
        if (r.status !== 201 && r.status !== 503) unexpected.push(`create ${key}: ${r.status} ${JSON.stringify(r.body)}`);
        if (r.status === 503) await sleep(50);
      }
    };
    const noteLoop = async () => {
      for (let n = 0; !stop; n++) {
        const cur = await guard('note read', () => lead.get(`/api/v1/workorders/${noted.id}`));
        if (saw('note read', cur).status !== 200) {
          if (cur.status !== 503) unexpected.push(`note read: ${cur.status}`);
          await sleep(50);
          continue;
        }
        // If-Match: a note whose answer was lost cannot be written twice by a later one
        const text = `note-${n}`;
        const r = saw('note', await guard('note', () => lead.post(`/api/v1/workorders/${noted.id}/notes`, { text }, { 'if-match': `"${cur.body.workorder.version}"` })));
        notes.push({ text, status: r.status });
        if (![200, 503].includes(r.status)) unexpected.push(`note ${text}: ${r.status} ${JSON.stringify(r.body)}`);
        if (r.status === 503) await sleep(50);
      }
    };
    const transferLoop = async () => {
      while (!stop) {
        const cur = await guard('transfer read', () => lead.get(`/api/v1/workorders/${moved.id}`));
        if (saw('transfer read', cur).status !== 200) {
          if (cur.status !== 503) unexpected.push(`transfer read: ${cur.status}`);
          await sleep(50);
          continue;
        }
        const from = agents[cur.body.workorder.handler.id];
        const to = from === agent1 ? agent2 : agent1;
        const r = saw('transfer', await guard('transfer', () => from.post(`/api/v1/workorders/${moved.id}/transfer`, { to: to.user.id, reason: '轮换' }, { 'if-match': `"${cur.body.workorder.version}"` })));
        transfers.push({ status: r.status });
        if (![200, 503].includes(r.status)) unexpected.push(`transfer: ${r.status} ${JSON.stringify(r.body)}`);
        if (r.status === 503) await sleep(50);
      }
    };
    const acked = () => creates.filter((c) => c.status === 201).length;
    const health = async () => {
      try {
        return await fetch(srv.base + '/healthz');
      } catch (e) {
        unexpected.push(`healthz: ${e.message}`);
        return { status: 0, headers: new Headers() };
      }
    };

    const loops = [createLoop(0), createLoop(1), noteLoop(), transferLoop()];
    for (const mode of ['fast', 'immediate']) {
      const before = acked();
      assert.ok(await until(() => acked() >= before + 10, 60_000), `creates go through before the ${mode} stop`);
      const unavailableBefore = unavailable;
      cluster('down', dir, mode);
      let down = await health();
      for (const end = Date.now() + 30_000; down.status !== 503 && Date.now() < end; down = await health()) await sleep(100);
      assert.equal(down.status, 503, `/healthz answers 503 while PostgreSQL is stopped (${mode})`);
      assert.equal(down.headers.get('retry-after'), '1');
      assert.deepEqual(await down.json().then((b) => b.error.code), 'unavailable');
      assert.ok(await until(() => unavailable >= unavailableBefore + 6, 30_000), `the load meets the stopped database (${mode})`);
      cluster('up', dir);
      let up = await health();
      for (const end = Date.now() + 60_000; up.status !== 200 && Date.now() < end; up = await health()) await sleep(100);
      assert.equal(up.status, 200, `/healthz answers 200 once PostgreSQL is back (${mode})`);
      const reply = await up.json();
      assert.deepEqual({ status: reply.status, backend: reply.backend }, { status: 'ok', backend: 'postgresql' });
      const after = acked();
      assert.ok(await until(() => acked() >= after + 10, 60_000), `creates go through again after the ${mode} restart, without a server restart`);
    }
    stop = true;
    await Promise.all(loops);
    assert.equal(srv.proc.exitCode, null, 'the server never exited');
    assert.deepEqual(unexpected, [], 'every answer was the action\'s own or 503');
    assert.equal(retryAfterMissing, 0, 'every 503 says Retry-After: 1');
    t.diagnostic(`creates ${creates.length} (503: ${creates.filter((c) => c.status === 503).length}), notes ${notes.length}, ` +
      `transfers ${transfers.length}, 503 answers ${unavailable}`);

    // ---- a 503'd create sent again with its Idempotency-Key: created once, or its first answer ----
    const retried = creates.filter((c) => c.status === 503);
    assert.ok(retried.length > 0);
    for (const c of retried) {
      let r;
      for (let i = 0; i < 100; i++) {
        r = await lead.post('/api/v1/workorders', c.body, { 'idempotency-key': c.key });
        if (r.status !== 503) break;
        await sleep(100);
      }
      assert.equal(r.status, 201, `${c.key}: ${JSON.stringify(r.body)}`);
      c.id = r.body.id;
      const again = await lead.post('/api/v1/workorders', c.body, { 'idempotency-key': c.key });
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.body.id, c.id, `${c.key}: the same work order again`);
    }

    // ---- every create is there exactly once, under the id it was answered with ----
    const shop = [];
    let cursor = null;
    do {
      const r = await lead.get('/api/v1/workorders?view=shop&limit=200' + (cursor ? '&cursor=' + cursor : ''));
      assert.equal(r.status, 200);
      shop.push(...r.body.items);
      cursor = r.body.next_cursor;
    } while (cursor);
    const byTitle = new Map();
    for (const w of shop.filter((w) => w.title.startsWith('outage-'))) byTitle.set(w.title, [...(byTitle.get(w.title) ?? []), w.id]);
    for (const c of creates) assert.deepEqual(byTitle.get(c.key), [c.id], `${c.key} (first answer ${c.status}) is there once, as answered`);
    assert.equal(byTitle.size, creates.length, 'no work order that no create asked for');

    // ---- notes: one answered 200 is there once; one answered 503 at most once ----
    const timeline = (await lead.get(`/api/v1/workorders/${noted.id}`)).body;
    const noteTexts = timeline.events.filter((e) => e.kind === 'noted').map((e) => e.data.text);
    for (const n of notes) {
      const times = noteTexts.filter((t) => t === n.text).length;
      if (n.status === 200) assert.equal(times, 1, `${n.text} (answered 200) is there once`);
      else assert.ok(times <= 1, `${n.text} (answered 503) is there at most once`);
    }
    assert.equal(noteTexts.length, new Set(noteTexts).size, 'no note twice');
    assert.ok(notes.some((n) => n.status === 200));

    // ---- transfers: every one answered 200 happened; one answered 503 at most once ----
    const movedNow = (await lead.get(`/api/v1/workorders/${moved.id}`)).body;
    const transferred = movedNow.events.filter((e) => e.kind === 'transferred').length;
    const ok = transfers.filter((t) => t.status === 200).length;
    assert.ok(transferred >= ok && transferred <= transfers.length, `${transferred} transfers for ${ok} answered 200 of ${transfers.length}`);
    assert.equal(movedNow.workorder.transfers, transferred, 'the counter agrees with the timeline');

    // ---- the background threads carry on: deadlines fire, webhooks deliver, exports run ----
    const clock = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 2 * 3600e3 }) });
    assert.equal(clock.status, 200);
    assert.ok(await until(async () => (await lead.get(`/api/v1/workorders/${due.id}`)).body.events.some((e) => e.kind === 'overdue'), 60_000),
      'the deadline scheduler fires a timer after the restarts');
    const created = () => new Set(recv.events.filter((e) => e.kind === 'created').map((e) => e.workorder.id));
    assert.ok(await until(() => creates.every((c) => created().has(c.id)), 120_000),
      'every work order created is delivered to the webhook (the outbox commits with it)');
    const job = await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' });
    assert.equal(job.status, 202, JSON.stringify(job.body));
    assert.ok(await until(async () => (await lead.get(`/api/v1/exports/${job.body.id}`)).body.state === 'done', 60_000),
      'the export worker runs a job after the restarts');

    const metrics = await (await fetch(srv.base + '/metrics')).text();
    assert.match(metrics, /^gongdan_store_reconnects_total [1-9]/m, 'reconnects are counted');
    assert.equal(srv.proc.exitCode, null, 'the server never exited');
  } finally {
    recv.server.close();
    try {
      await srv?.cleanup();
    } finally {
      cluster('stop', dir);
    }
  }
});
