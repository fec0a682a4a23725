// Bulk work (docs/bulk.md): how long a lead's bulk transfer of 500 work orders takes, on SQLite with
// the demo data, over HTTP as the workbench sends it.
//   node bench/bulk.mjs            (RUNS, default 5)
// Each run transfers the same 500 open work orders to the other of two agents (so every item is
// done): once as one request of 500 ids, once as the workbench does it — ten requests of 50 one
// after another, so its progress bar moves (web/src/lib/bulk.ts). Each item is its own
// transaction (its event, counters, timers, statistics and search text). Medians and the slowest
// run, in ms, and the host's load average.
import assert from 'node:assert/strict';
import os from 'node:os';
import { apiLogin, startServer } from '../tests/e2e/server.mjs';

const RUNS = Number(process.env.RUNS || 5);
const N = 500;
const CHUNK = 50;

const srv = await startServer();
const rows = [];
const loads = [];
try {
  const lead = srv.accounts.find((a) => a.username === 'tea_lead');
  const L = await apiLogin(srv.url, lead.username, lead.password);
  const users = (await L.call('GET', '/users')).json.items;
  const agents = ['tea_agent1', 'tea_agent2'].map((u) => users.find((x) => x.username === u).id);
  const ids = [];
  // 500 open work orders of the first agent, made eight at a time
  for (let i = 0; i < N; i += 8) {
    const made = await Promise.all(
      Array.from({ length: Math.min(8, N - i) }, (_, k) =>
        L.call('POST', '/workorders', { type: 'after_sales', title: `批量基准 ${i + k}`, content: '批量转交基准', handler_id: agents[0] }),
      ),
    );
    for (const r of made) {
      assert.equal(r.status, 201, r.text);
      ids.push(r.json.id);
    }
  }
  let to = 1;
  const transfer = async (part) => {
    const r = await L.call('POST', '/workorders/bulk', { action: 'transfer', ids: part, to: agents[to], reason: '批量基准' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.failed, 0, r.text);
  };
  const one = [];
  const chunked = [];
  for (let run = 0; run < RUNS; run++) {
    loads.push(os.loadavg()[0]);
    let t0 = performance.now();
    await transfer(ids);
    one.push(performance.now() - t0);
    to = 1 - to;
    t0 = performance.now();
    for (let i = 0; i < N; i += CHUNK) await transfer(ids.slice(i, i + CHUNK));
    chunked.push(performance.now() - t0);
    to = 1 - to;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, runs] of [['one request of 500 ids', one], [`${N / CHUNK} requests of ${CHUNK} (the workbench)`, chunked]]) {
    rows.push(`| ${name} | ${median(runs).toFixed(0)} | ${Math.max(...runs).toFixed(0)} | ${((N * 1000) / median(runs)).toFixed(0)} |`);
  }
} finally {
  await srv.stop();
}
const load = loads.reduce((a, b) => a + b, 0) / loads.length;
console.log(`bulk transfer of ${N} work orders (SQLite, demo data): ${RUNS} runs each, load average ${load.toFixed(1)} (${os.cpus().length} cores)\n`);
console.log('| sent as | median ms | slowest ms | work orders/s (median) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
