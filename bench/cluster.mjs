// Several nodes on one PostgreSQL (make bench, step (n)): the three-node set-up of the cluster
// test (tests/cluster/nodes.mjs: the demo database, three nodes, nginx) measured, printing a
// Markdown table:
//   (n1) creates/s through nginx with 1 node and with 3 nodes (wrk, 16 connections), each create
//        carrying a deadline, so that the timers of (n3) exist;
//   (n2) todo views/s through nginx with 1 node and with 3 nodes (wrk, 64 connections), and nginx
//        serving a static file of the view's size (the ceiling);
//   (n3) deadline firings/s: the 1-node creates' timers fired by node 1 alone, then the 3-node
//        creates' timers fired by the three nodes claiming together;
//   (n4) the time from a change on node 1 to its event on a live stream on node 2 (p50, p99);
//   (n5) takeover after SIGKILL: the node holding a webhook endpoint's lease is killed; the time
//        until the receiver gets the next POST (from another node).
// Usage: node bench/cluster.mjs PG_TEST_CLUSTER_DIR SECONDS [SSE_SAMPLES]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCluster, clientOf, openStream, sleep } from '../tests/cluster/nodes.mjs';

const [pgDir, secs = '10', samples = '200'] = process.argv.slice(2);
const HOUR = 3600e3;
// The nodes log warnings only, as bench/run.sh's server does: at info every request is a line on
// a pipe this process reads, which the load would otherwise fill.
const c = await startCluster({ pgDir, name: `bench_cluster_${process.pid}`, env: { GONGDAN_LOG: 'warn' } });
const lines = [];
const log = (s) => process.stderr.write(s + '\n');

// wrk runs beside this process's event loop, which keeps reading the nodes' output meanwhile (a
// node blocks on a full pipe)
async function wrk(url, conns, script, env = {}) {
  const args = ['-t2', `-c${conns}`, `-d${secs}s`, '--timeout', '60s', '--latency'];
  if (script) args.push('-s', new URL(script, import.meta.url).pathname);
  const { stdout: out } = await promisify(execFile)('wrk', [...args, url], { encoding: 'utf8', env: { ...process.env, GD_TOKEN: c.lead, ...env } });
  log(out);
  const failed = out.match(/Non-2xx or 3xx responses:\s+(\d+)/);
  if (failed) throw new Error(`${url}: ${failed[1]} requests failed`);
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p99 = out.match(/\s99(?:\.0+)?%\s+(\S+)/)?.[1] ?? '?';
  return { rps: Math.round(rps), p99 };
}
const pct = (a, b) => `${Math.round((100 * a) / b)}%`;
// a fired timer leaves no row: what is fired is what is no longer pending
const pendingAt = (due) => Number(c.sql(`SELECT count(*) FROM deadlines WHERE kind = 'overdue' AND due_at = ${due}`));
const advance = (i, ms) => fetch(c.url(i) + '/api/v1/_test/clock', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: ms }) });

try {
  const me = (await clientOf(c.lb, c.lead)('GET', '/api/v1/me')).body.user;
  // (n1) creates, each with a deadline: an hour ahead through node 1 alone, three hours through all
  const dues = [Date.now() + HOUR, Date.now() + 3 * HOUR].map((t) => Math.floor(t / 1000) * 1000);
  const body = (due) => JSON.stringify({ type: 'after_sales', title: '压测创建工单', content: '买家反馈商品破损，申请退款。',
    handler_id: me.id, deadline: new Date(due).toISOString() });
  log(`== (n1) creates through nginx, 1 node then 3 nodes, 16 connections, ${secs}s each`);
  const create1 = await wrk(c.lb1 + '/api/v1/workorders', 16, 'create.lua', { CREATE_BODY: body(dues[0]) });
  const create3 = await wrk(c.lb + '/api/v1/workorders', 16, 'create.lua', { CREATE_BODY: body(dues[1]) });
  // wrk stops reading at its deadline, but creates it already sent still commit afterwards (a
  // loaded node answers late): wait until none is left, so (n3) counts every timer
  for (let n = -1, now; n !== (now = Number(c.sql('SELECT count(*) FROM workorders'))); n = now) await sleep(2000);

  log(`== (n2) view=todo through nginx, 1 node then 3 nodes, 64 connections, ${secs}s each`);
  const view = '/api/v1/workorders?view=todo&limit=50';
  const bytes = await (await fetch(c.lb + view, { headers: { authorization: `Bearer ${c.lead}` } })).text();
  writeFileSync(join(c.www, 'todo.json'), bytes);
  const view1 = await wrk(c.lb1 + view, 64, 'auth.lua');
  const view3 = await wrk(c.lb + view, 64, 'auth.lua');
  const ceiling = await wrk(c.lb + '/_static/todo.json', 64);

  log('== (n3) deadline firings: node 1 alone, then three nodes together');
  const firing = async (due, who) => {
    const total = pendingAt(due);
    const t0 = Date.now();
    await Promise.all(who.map((i) => advance(i, due + 60e3 - Date.now())));
    while (pendingAt(due) > 0 && Date.now() - t0 < 600e3) await sleep(50);
    return { total, rate: Math.round(total / ((Date.now() - t0) / 1000)), once: pendingAt(due) === 0 };
  };
  // each node's clock moves by its own offset; node 1 goes first, to the first due time
  const fire1 = await firing(dues[0], [1]);
  const fire3 = await firing(dues[1], [1, 2, 3]);
  const mine = `SELECT id FROM workorders WHERE deadline_at IN (${dues.join(',')})`;
  const overdue = Number(c.sql(`SELECT count(*) FROM events WHERE kind = 'overdue' AND workorder_id IN (${mine})`));
  const timers = fire1.total + fire3.total - Number(c.sql(`SELECT count(*) FROM deadlines WHERE kind = 'overdue' AND due_at IN (${dues.join(',')})`));
  // work orders with more than one overdue event (each should have exactly one)
  const twice = Number(c.sql(`SELECT count(*) FROM (SELECT workorder_id FROM events WHERE kind = 'overdue' AND workorder_id IN (${mine}) GROUP BY workorder_id HAVING count(*) > 1) x`));

  log(`== (n4) change on node 1 -> live stream on node 2, ${samples} changes`);
  const node1 = clientOf(c.url(1), c.lead);
  const stream = await openStream(c.url(2), c.lead);
  await sleep(300);
  const lags = [];
  for (let i = 0; i < Number(samples); i++) {
    const t0 = Date.now();
    const r = await node1('POST', '/api/v1/workorders', { type: 'after_sales', title: `sse ${i}` });
    for (let w = 0; w < 500 && !stream.seen.has(r.body.id); w++) await sleep(2);
    if (stream.seen.has(r.body.id)) lags.push(stream.seen.get(r.body.id) - t0);
  }
  stream.close();
  lags.sort((a, b) => a - b);
  const q = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))];

  log('== (n5) takeover: the node holding a webhook lease is killed');
  const posts = [];
  const recv = createServer((req, res) => { req.resume(); req.on('end', () => { posts.push(Date.now()); res.end('ok'); }); });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  const hook = await clientOf(c.lb, c.lead)('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${recv.address().port}/hook` });
  await node1('POST', '/api/v1/workorders', { type: 'after_sales', title: 'hook first' });
  while (!posts.length) await sleep(20);
  const holder = await c.nodeOfSlot(c.sql(`SELECT lease_node FROM webhooks WHERE id = ${hook.body.id}`));
  const killed = Date.now();
  await c.killNode(holder);
  const other = holder === 1 ? 2 : 1;
  await clientOf(c.url(other), c.lead)('POST', '/api/v1/workorders', { type: 'after_sales', title: 'hook after' });
  while (posts[posts.length - 1] < killed && Date.now() - killed < 120e3) await sleep(50);
  const takeover = posts[posts.length - 1] - killed;
  recv.close();
  await c.startNode(holder);

  lines.push('| measurement | 1 node | 3 nodes | ceiling / note |', '|---|---|---|---|',
    `| (n1) durable creates through nginx, 16 conn, requests/s (p99) | ${create1.rps} (${create1.p99}) | ${create3.rps} (${create3.p99}) | each with a deadline |`,
    `| (n2) view=todo through nginx, 64 conn, requests/s (p99) | ${view1.rps} (${view1.p99}), ${pct(view1.rps, ceiling.rps)} of nginx | ${view3.rps} (${view3.p99}), ${pct(view3.rps, ceiling.rps)} of nginx | nginx static file of ${bytes.length} bytes: ${ceiling.rps}/s |`,
    `| (n3) deadline firings/s | ${fire1.rate} (${fire1.total} timers, node 1) | ${fire3.rate} (${fire3.total} timers, 3 nodes claiming) | exactly once: ${fire1.once && fire3.once && overdue === timers && twice === 0 ? 'yes' : 'NO'} (${timers} timers fired, ${overdue} overdue events, ${twice} work orders with more than one) |`,
    `| (n4) change on node 1 → event on node 2's stream, from the request sent | | p50 ${q(0.5)} ms, p99 ${q(0.99)} ms | ${lags.length} of ${samples} changes |`,
    `| (n5) takeover after SIGKILL: webhook endpoint of the killed node, next POST after | | ${(takeover / 1000).toFixed(1)} s | the lease: ≤ 30 s + 1 s |`);
  console.log(lines.join('\n'));
} finally {
  await c.stop();
}
