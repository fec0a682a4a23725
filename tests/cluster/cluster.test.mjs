// Several nodes on one PostgreSQL (docs/decisions.md, "Several nodes on one PostgreSQL"): one
// throwaway database, three `gongdan serve` nodes on loopback ports and Debian's nginx in front
// of them as the load balancer (round robin, SSE unbuffered), as an operator would run them.
//   - a live stream on node 2 sees each change made on node 1 within 1 s;
//   - a sign-out on node 1 ends that session's live stream on node 2 within 1 s, and node 2
//     refuses the session at its very next request;
//   - an assignment rule's round robin takes turns on one cursor whichever node creates, and a
//     workbench (live stream) open on node 2 makes its user available to a create on node 3;
//   - node 3 is killed (SIGKILL) during a create load with Idempotency-Keys: every create answered
//     201 is there afterwards, a retry of its key (through another node) returns the same work
//     order, and a retry of a create the killed node left unanswered is answered 201 at once
//     (the same work order or the first), never twice;
//   - 500 deadlines come due while node 1 is killed (SIGKILL): each fires exactly once (the
//     issue's 5,000 are for the benchmark: this machine is shared);
//   - a webhook receiver sees every event of the shop in order while the node holding the
//     endpoint's lease is killed (SIGKILL) during a create load; events are sent again only
//     once, after the kill, as the same events (ids) from where the dead node's last
//     acknowledged batch ended;
//   - an attachment uploaded through node 1 downloads through node 2 with the same bytes, and
//     its thumbnail is the same through every node (the bytes are in PostgreSQL);
//   - an export started through node 1 downloads through node 3; a node killed (SIGKILL) while
//     it runs an export: another node finishes the job once the lease has expired (30 s lease +
//     5 s poll) and the file is complete.
// Needs GONGDAN_TEST_PG_DIR (ctest fixture "pg") and nginx (scripts/install-deps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { png } from '../api/images.mjs';
import { startCluster, clientOf, openStream, sleep, BIN } from './nodes.mjs';

let c, dir, lb, lead, logins, nodes, sql, startNode, killNode, nodeOfSlot;

before(async () => {
  const pgDir = process.env.GONGDAN_TEST_PG_DIR;
  if (!pgDir) throw new Error('needs GONGDAN_TEST_PG_DIR (a running scripts/pg-test-cluster)');
  // every export job waits 3 s holding its lease before it writes: long enough to kill its node
  c = await startCluster({ pgDir, name: `cluster_${process.pid}`, env: { GONGDAN_TEST_EXPORT_PAUSE_MS: '3000' } });
  ({ dir, lb, lead, logins, nodes, sql, startNode, killNode, nodeOfSlot } = c);
});

after(async () => { if (c) await c.stop(); });

test('every node answers through nginx, each with its own --node-id in /healthz and /metrics', async () => {
  const seen = new Set();
  for (let i = 0; i < 6; i++) seen.add((await (await fetch(lb + '/healthz')).json()).node);
  assert.deepEqual([...seen].sort(), ['node1', 'node2', 'node3']);
  for (let i = 1; i <= 3; i++) {
    const text = await (await fetch(`http://127.0.0.1:${nodes[i - 1].port}/metrics`)).text();
    assert.match(text, new RegExp(`^gongdan_node_info\\{node="node${i}",slot="\\d+"\\} 1$`, 'm'));
  }
});

test('a live stream on node 2 sees each change made on node 1 within 1 s, once', async () => {
  const node1 = clientOf(`http://127.0.0.1:${nodes[0].port}`, lead);
  const stream = await openStream(`http://127.0.0.1:${nodes[1].port}`, lead);
  await sleep(300); // the stream is registered
  const lags = [];
  for (let i = 0; i < 20; i++) {
    const r = await node1('POST', '/api/v1/workorders', { type: 'after_sales', title: `live ${i}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const answered = Date.now();
    for (let w = 0; w < 100 && !stream.seen.has(r.body.id); w++) await sleep(10);
    assert.ok(stream.seen.has(r.body.id), `change ${i} (work order ${r.body.id}) never reached node 2's stream`);
    lags.push(stream.seen.get(r.body.id) - answered);
  }
  stream.close();
  assert.ok(lags.every((l) => l <= 1000), `lags (ms) after each answer: ${lags.join(' ')}`);
  const remote = await (await fetch(`http://127.0.0.1:${nodes[1].port}/metrics`)).text();
  assert.ok(Number(remote.match(/^gongdan_cluster_changes_total (\d+)$/m)[1]) >= 20);
  // node 1 heard its own changes once, locally: none came back to it from the database
  const own = await (await fetch(`http://127.0.0.1:${nodes[0].port}/metrics`)).text();
  assert.equal(Number(own.match(/^gongdan_cluster_changes_total (\d+)$/m)[1]), 0);
});

test('a sign-out on node 1 ends that session\'s live stream on node 2 within 1 s and its next request there', async () => {
  const username = Object.keys(logins).find((u) => logins[u].role === 'shop_lead');
  const node1 = `http://127.0.0.1:${nodes[0].port}`, node2 = `http://127.0.0.1:${nodes[1].port}`;
  const r = await fetch(node1 + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: logins[username].password }) });
  assert.equal(r.status, 200);
  const session = { cookie: r.headers.get('set-cookie').split(';')[0], 'x-csrf-token': (await r.json()).csrf_token };
  const stream = await openStream(node2, session);
  const other = await openStream(node2, lead); // the same user's token: not signed out
  await sleep(300); // both are registered
  // node 2 keeps the session's user in its principals' cache (src/service/credcache.c) ...
  const view = async () => (await fetch(node2 + '/api/v1/workorders?view=todo&limit=5', { headers: session })).status;
  for (let i = 0; i < 4; i++) assert.equal(await view(), 200);
  const out = await fetch(node1 + '/api/v1/session', { method: 'DELETE', headers: session });
  assert.equal(out.status, 204);
  const t0 = Date.now();
  // ... and refuses it at the very next request after the sign-out on node 1
  assert.equal(await view(), 401, 'node 2 still took the session signed out on node 1');
  const ended = await Promise.race([stream.ended, sleep(5000).then(() => 0)]);
  assert.ok(ended, 'the stream on node 2 was still open 5 s after the sign-out on node 1');
  assert.ok(ended - t0 <= 1000, `the stream on node 2 ended ${ended - t0} ms after the sign-out`);
  const text = await (await fetch(node2 + '/metrics')).text();
  assert.ok(Number(text.match(/^gongdan_cluster_revocations_total (\d+)$/m)[1]) >= 1);
  // the token's stream on node 2 goes on
  const made = await clientOf(node1, lead)('POST', '/api/v1/workorders', { type: 'after_sales', title: 'after the sign-out' });
  assert.equal(made.status, 201);
  for (let w = 0; w < 100 && !other.seen.has(made.body.id); w++) await sleep(20);
  assert.ok(other.seen.has(made.body.id), 'the token\'s stream on node 2 ended too');
  other.close();
});

test('assignment rules across nodes: round robin takes turns on one cursor, and a workbench open on node 2 counts on node 3', async () => {
  const via = (i, token = lead) => clientOf(`http://127.0.0.1:${nodes[i - 1].port}`, token);
  const shop = logins[Object.keys(logins).find((u) => logins[u].role === 'shop_lead')].shop;
  const agentNames = Object.keys(logins).filter((u) => logins[u].role === 'shop_agent' && logins[u].shop === shop).slice(0, 3);
  const users = (await via(1)('GET', '/api/v1/users')).body.items;
  const agents = agentNames.map((u) => users.find((x) => x.username === u).id);
  assert.equal(agents.length, 3);
  assert.equal((await via(1)('PUT', '/api/v1/assignment/rules/waybill', { kind: 'round_robin', members: agents })).status, 200);
  // 30 creates at once, ten through each node: each member gets ten
  const made = await Promise.all(Array.from({ length: 30 }, (_, i) => via((i % 3) + 1)('POST', '/api/v1/workorders', { type: 'waybill', title: `轮流 ${i}` })));
  const per = {};
  for (const r of made) {
    assert.equal(r.status, 201, JSON.stringify(r.body));
    per[r.body.handler.id] = (per[r.body.handler.id] || 0) + 1;
  }
  assert.deepEqual(Object.values(per), [10, 10, 10], JSON.stringify(per));

  // "online only while the workbench is open": the stream on node 2 makes them available to a create on node 3
  const token = execFileSync(BIN, ['token', 'create', agentNames[0], '--db', c.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  assert.equal((await via(1, token)('PUT', '/api/v1/me/status', { status: 'online', workbench_only: true })).status, 200);
  assert.equal((await via(1)('PUT', '/api/v1/assignment/rules/task_memo', { kind: 'fixed', members: [agents[0]] })).status, 200);
  assert.equal((await via(3)('POST', '/api/v1/workorders', { type: 'task_memo', title: '工作台未打开' })).body.handler, null);
  const stream = await openStream(`http://127.0.0.1:${nodes[1].port}`, token);
  const placed = await via(3)('POST', '/api/v1/workorders', { type: 'task_memo', title: '工作台已打开' });
  assert.equal(placed.body.handler?.id, agents[0], 'the presence is written when the stream opens');
  stream.close();
  let open = true;
  for (let w = 0; w < 100 && open; w++) {
    open = (await via(1)('GET', '/api/v1/agents/status')).body.items.find((x) => x.user_id === agents[0]).workbench_open;
    if (open) await sleep(50);
  }
  assert.equal(open, false, 'closing the stream on node 2 ends the presence for every node');
  assert.equal((await via(1, token)('PUT', '/api/v1/me/status', { status: 'online', workbench_only: false })).status, 200);
});

test('node 3 killed during a create load: every 201 is there, and a retry of its key returns the same work order', async () => {
  const viaLb = clientOf(lb, lead);
  const N = 150, answered = new Map(), unanswered = new Set();
  let next = 0, killed = false;
  const create = (k) => viaLb('POST', '/api/v1/workorders', { type: 'after_sales', title: `load ${k}` }, { 'idempotency-key': `load-${k}` });
  const worker = async () => {
    while (next < N) {
      const k = next++;
      if (k === Math.floor(N / 3) && !killed) { killed = true; await killNode(3); }
      let r;
      try { r = await create(k); } catch { r = { status: 0 }; }
      if (r.status === 201) answered.set(k, r.body.id);
      else { assert.ok([0, 502, 504].includes(r.status), `create ${k}: ${r.status} ${JSON.stringify(r.body)}`); unanswered.add(k); }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  assert.ok(killed);
  assert.ok(answered.size >= N - 12, `only ${answered.size} of ${N} creates answered 201`);
  // each 201 is there (read through any node), and its key, sent again, replays the same work order
  for (const [k, id] of answered) {
    const got = await viaLb('GET', `/api/v1/workorders/${id}`);
    assert.equal(got.status, 200, `work order ${id} of create ${k}`);
    const again = await create(k);
    assert.equal(again.status, 201, `retry of key load-${k}: ${again.status}`);
    assert.equal(again.body.id, id, `retry of key load-${k} returned another work order`);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  }
  // a create left unanswered by the killed node either committed (its retry replays it) or was
  // rolled back with its key (its retry creates it): answered at once, never 409, never twice
  for (const k of unanswered) {
    const again = await create(k);
    assert.equal(again.status, 201, `retry of unanswered key load-${k}: ${again.status} ${JSON.stringify(again.body)}`);
    assert.equal(sql(`SELECT count(*) FROM workorders WHERE title = 'load ${k}'`), '1', `key load-${k}`);
  }
  const titles = Number(sql("SELECT count(*) FROM workorders WHERE title LIKE 'load %'"));
  const distinct = Number(sql("SELECT count(DISTINCT title) FROM workorders WHERE title LIKE 'load %'"));
  assert.equal(titles, distinct, 'a key made two work orders');
  await startNode(3); // back for the next case
});

test('500 deadlines coming due while node 1 is killed each fire exactly once', async () => {
  const viaLb = clientOf(lb, lead);
  const N = 500, HOUR = 3600e3;
  const due = new Date(Date.now() + HOUR);
  const ids = [];
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const k = next++;
      const r = await viaLb('POST', '/api/v1/workorders', { type: 'after_sales', title: `due ${k}`, deadline: due.toISOString() });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push(r.body.id);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  // time passes on node 1 first (--test-clock): it starts firing and is killed in the middle
  const advance = (i) => fetch(`http://127.0.0.1:${nodes[i - 1].port}/api/v1/_test/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 2 * HOUR }) });
  const list = ids.join(',');
  // a fired timer leaves no row: fired = the overdue timers gone
  const fired = () => String(N - Number(sql(`SELECT count(*) FROM deadlines WHERE kind = 'overdue' AND workorder_id IN (${list})`)));
  assert.equal((await advance(1)).status, 200);
  for (let i = 0; i < 200 && fired() === '0'; i++) await sleep(10); // its first batch committed
  await killNode(1);
  const byNode1 = Number(fired());
  const t0 = Date.now();
  assert.equal((await advance(2)).status, 200);
  assert.equal((await advance(3)).status, 200);
  const end = Date.now() + 60000;
  while (fired() !== String(N) && Date.now() < end) await sleep(100);
  const took = Date.now() - t0;
  assert.equal(fired(), String(N), 'every timer fired');
  // each work order has exactly one "overdue" event on its timeline, and is overdue
  assert.equal(sql(`SELECT count(*) FROM (SELECT workorder_id FROM events WHERE kind = 'overdue' AND workorder_id IN (${list}) GROUP BY workorder_id HAVING count(*) = 1) x`), String(N));
  assert.equal(sql(`SELECT count(*) FROM events WHERE kind = 'overdue' AND workorder_id IN (${list})`), String(N));
  assert.equal(sql(`SELECT count(*) FROM workorders WHERE overdue <> 0 AND id IN (${list})`), String(N));
  assert.ok(took < 30000, `nodes 2 and 3 took ${took} ms to fire the rest`);
  console.log(`# deadlines: node 1 fired ${byNode1} of ${N} before it was killed; nodes 2 and 3 fired the rest in ${took} ms`);
  await startNode(1);
});

test('a webhook receiver sees every event in order while the node delivering to it is killed', async () => {
  const viaLb = clientOf(lb, lead);
  // the receiver: every POST, as it arrives, answered 200 at once
  const deliveries = [];
  const recv = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { deliveries.push({ at: Date.now(), events: JSON.parse(body).events }); res.end('ok'); });
  });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  const hook = await viaLb('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${recv.address().port}/hook` });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const shop = sql(`SELECT shop_id FROM webhooks WHERE id = ${hook.body.id}`);
  const owed = () => Number(sql(`SELECT COALESCE(MAX(n), 0) FROM counters WHERE shop_id = ${shop} AND key = 'outbox'`));
  const first = owed() + 1; // the endpoint is owed what follows its creation

  // a create load through nginx; a third of the way in, the node holding the lease is killed
  const N = 150, made = [];
  let next = 0, killedAt = 0, killed = 0, killing = null;
  const worker = async () => {
    while (next < N) {
      const k = next++;
      if (k === Math.floor(N / 3)) {
        killing = (async () => {
          let slot = '-1';
          for (let w = 0; w < 200 && slot === '-1'; w++) {
            slot = sql(`SELECT lease_node FROM webhooks WHERE id = ${hook.body.id}`);
            if (slot === '-1') await sleep(50);
          }
          killed = await nodeOfSlot(slot);
          assert.ok(killed, `no node holds slot ${slot}`);
          killedAt = Date.now();
          await killNode(killed);
        })();
      }
      let r;
      try { r = await viaLb('POST', '/api/v1/workorders', { type: 'after_sales', title: `hook ${k}` }); } catch { r = { status: 0 }; }
      if (r.status === 201) made.push(r.body.id);
      else assert.ok([0, 502, 504].includes(r.status), `create ${k}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  await killing;
  assert.ok(killed && made.length >= N - 12, `${made.length} of ${N} creates answered 201`);

  // everything owed arrives: the dead node's lease runs out (30 s) and another node takes over
  const last = owed();
  const delivered = () => Math.max(0, ...deliveries.flatMap((d) => d.events.map((e) => Number(e.seq))));
  const end = Date.now() + 90000;
  while (delivered() < last && Date.now() < end) await sleep(200);
  await sleep(1500); // anything sent twice after the last event has arrived too
  recv.close();
  assert.equal(delivered(), last, `the receiver got events up to seq ${delivered()} of ${last}`);

  // in order: each POST carries consecutive events; the next one starts right after the last
  // event received, except once after the kill, when it may start earlier (a batch the dead
  // node had sent but not recorded) and then repeats exactly the events already received
  const byseq = new Map();
  let max = first - 1, repeats = 0;
  for (const d of deliveries) {
    const seqs = d.events.map((e) => Number(e.seq));
    seqs.forEach((q, i) => assert.ok(i === 0 || q === seqs[i - 1] + 1, `a POST skipped from ${seqs[i - 1]} to ${q}`));
    assert.ok(seqs[0] <= max + 1, `a gap: seq ${seqs[0]} after ${max}`);
    if (seqs[0] <= max) {
      repeats++;
      assert.ok(d.at >= killedAt, `events from seq ${seqs[0]} sent again before any node was killed`);
    }
    for (const e of d.events) {
      const q = Number(e.seq);
      if (byseq.has(q)) assert.equal(e.id, byseq.get(q), `seq ${q} sent again as another event`);
      else byseq.set(q, e.id);
    }
    max = Math.max(max, seqs[seqs.length - 1]);
  }
  assert.ok(repeats <= 1, `events were sent again ${repeats} times (one takeover)`);
  assert.equal(byseq.size, last - first + 1, 'every event owed arrived');
  // every work order answered 201 is among them
  const created = new Set(deliveries.flatMap((d) => d.events.filter((e) => e.kind === 'created').map((e) => e.workorder.id)));
  for (const id of made) assert.ok(created.has(id), `work order ${id} was never delivered`);
  const after = deliveries.find((d) => d.at > killedAt + 200);
  console.log(`# webhook: node ${killed} killed holding the lease; the next POST came ${after ? after.at - killedAt : '?'} ms later; ` +
    `${deliveries.length} POSTs, ${repeats} resend(s) after the takeover`);
  await startNode(killed);
});

const nodeBase = (i) => `http://127.0.0.1:${nodes[i - 1].port}`;
const bytesOf = async (base, path) => {
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${lead}` } });
  assert.equal(r.status, 200, `${base}${path}`);
  return Buffer.from(await r.arrayBuffer());
};

test('an attachment uploaded through node 1 downloads through node 2: the same bytes, the same thumbnail on every node', async () => {
  const image = png(900, 600, { noise: true, seed: 15 });
  const fd = new FormData();
  fd.append('file', new Blob([image], { type: 'image/png' }), '凭证.png');
  const up = await fetch(nodeBase(1) + '/api/v1/attachments', { method: 'POST', headers: { authorization: `Bearer ${lead}` }, body: fd });
  assert.equal(up.status, 201);
  const { id, sha256 } = await up.json();
  assert.deepEqual(await bytesOf(nodeBase(2), `/api/v1/attachments/${id}`), image);
  const thumb2 = await bytesOf(nodeBase(2), `/api/v1/attachments/${id}/thumbnail`);
  assert.equal(thumb2.subarray(8, 12).toString(), 'WEBP');
  assert.deepEqual(await bytesOf(nodeBase(3), `/api/v1/attachments/${id}/thumbnail`), thumb2);
  assert.deepEqual(await bytesOf(nodeBase(1), `/api/v1/attachments/${id}/thumbnail`), thumb2);
  // stored once, in the database, in chunks of 256 KiB; no node keeps a file of it
  assert.equal(sql(`SELECT size FROM blobs WHERE folder = 'attachments' AND key = '${sha256}'`), String(image.length));
  assert.equal(sql(`SELECT sum(length(data)) FROM blob_chunks WHERE folder = 'attachments' AND key = '${sha256}'`), String(image.length));
  assert.equal(sql(`SELECT count(*) FROM blobs WHERE folder = 'thumbnails' AND key = '${sha256}.webp'`), '1');
  for (let i = 1; i <= 3; i++) assert.ok(!existsSync(join(dir, `data${i}`, 'attachments')), `node ${i} has no attachments/`);
});

// Waits for an export job to be done (read through `base`), up to `ms`.
async function exportDone(base, jobId, ms) {
  const c = clientOf(base, lead);
  const end = Date.now() + ms;
  for (;;) {
    const j = await c('GET', `/api/v1/exports/${jobId}`);
    if (j.body.state === 'done' || Date.now() > end) return j.body;
    await sleep(250);
  }
}

// The export file holds every work order number of the shop (it is complete).
function assertComplete(file, shopId) {
  const text = file.toString('utf8');
  const numbers = sql(`SELECT number FROM workorders WHERE shop_id = ${shopId}`).split('\n');
  assert.ok(numbers.length > 500);
  for (const n of numbers) assert.ok(text.includes(`GD-${String(n).padStart(6, '0')}`), `GD-${n} is in the file`);
}

test('an export started through node 1 downloads through node 3', async () => {
  const r = await clientOf(nodeBase(1), lead)('POST', '/api/v1/exports', { format: 'csv', view: 'shop' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const job = await exportDone(nodeBase(3), r.body.id, 60000);
  assert.equal(job.state, 'done');
  const file = await bytesOf(nodeBase(3), `/api/v1/exports/${job.id}/file`);
  assert.deepEqual(await bytesOf(nodeBase(1), `/api/v1/exports/${job.id}/file`), file);
  assert.equal(sql(`SELECT size FROM blobs WHERE folder = 'exports' AND key = '${job.id}.csv'`), String(file.length));
  assertComplete(file, sql(`SELECT shop_id FROM exports WHERE id = ${job.id}`));
});

test('a node killed while it runs an export: another node finishes the job after the lease, and the file is complete', async () => {
  const r = await clientOf(nodeBase(2), lead)('POST', '/api/v1/exports', { format: 'csv', view: 'shop' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const jobId = r.body.id;
  // the node holding the job's lease (its slot, named by each node's /metrics)
  let slot = '';
  for (let i = 0; i < 100 && !slot; i++) {
    slot = sql(`SELECT node FROM export_leases l JOIN exports e ON e.id = l.job_id WHERE job_id = ${jobId} AND e.state = 'running'`);
    if (!slot) await sleep(100);
  }
  assert.ok(slot !== '', 'a node took the job');
  let victim = 0;
  for (let i = 1; i <= 3 && !victim; i++) {
    const m = await (await fetch(nodeBase(i) + '/metrics')).text();
    if (m.includes(`slot="${slot}"}`)) victim = i;
  }
  assert.ok(victim, `the node of slot ${slot}`);
  assert.equal(sql(`SELECT state FROM exports WHERE id = ${jobId}`), 'running', 'still paused before writing');
  await killNode(victim);
  const t0 = Date.now();
  const other = victim === 3 ? 1 : 3;
  const job = await exportDone(nodeBase(other), jobId, 90000);
  const took = Date.now() - t0;
  assert.equal(job.state, 'done');
  assert.notEqual(sql(`SELECT node FROM export_leases WHERE job_id = ${jobId}`), slot, 'another node ran it');
  // the bound: the 30 s lease runs out, a worker's 5 s poll finds it, 3 s of test pause, the
  // export itself; generous on this shared machine
  assert.ok(took >= 20000 && took < 75000, `taken over after ${took} ms`);
  const file = await bytesOf(nodeBase(other), `/api/v1/exports/${jobId}/file`);
  assert.equal(sql(`SELECT size FROM blobs WHERE folder = 'exports' AND key = '${jobId}.csv'`), String(file.length));
  assertComplete(file, sql(`SELECT shop_id FROM exports WHERE id = ${jobId}`));
  console.log(`# export: node ${victim} killed while running it; done by another node ${took} ms later`);
  await startNode(victim);
});
