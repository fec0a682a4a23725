// Several gongdan nodes on one PostgreSQL behind Debian's nginx, as an operator would run them:
// shared by the three-node test (cluster.test.mjs) and the benchmark (bench/cluster.mjs).
//   const c = await startCluster({ pgDir, name });  // a fresh database with the demo, 3 nodes, nginx
//   c.lb (all nodes, round robin), c.lb1 (node 1 alone), c.www (a directory nginx serves at /_static/)
//   c.startNode(i), c.killNode(i) (SIGKILL), c.stopNode(i) (SIGTERM), c.nodeOfSlot(slot), c.sql(q)
//   await c.stop()  // nginx and every node; throws when a node did not exit cleanly
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvents } from '../sse.mjs';

export const BIN = process.env.GONGDAN_BIN || new URL('../../build/gongdan', import.meta.url).pathname;
const PG_CLUSTER = new URL('../../scripts/pg-test-cluster', import.meta.url).pathname;
const PSQL = '/usr/lib/postgresql/15/bin/psql';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A client of one base URL with a bearer token: (method, path, body?, headers?) -> {status, headers, body}.
export function clientOf(base, token) {
  return async (method, path, body, extra = {}) => {
    const init = { method, headers: { authorization: `Bearer ${token}`, ...extra } };
    if (body !== undefined) { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
    const r = await fetch(base + path, init);
    const text = await r.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, body: parsed };
  };
}

// Opens a live stream on `base` (with a bearer token, or the headers given) and collects its work
// order events with their arrival time; .ended resolves with the time the server ended it.
export async function openStream(base, token) {
  const ac = new AbortController();
  const headers = typeof token === 'string' ? { authorization: `Bearer ${token}` } : token;
  const res = await fetch(base + '/api/v1/stream', { headers, signal: ac.signal });
  if (res.status !== 200) throw new Error(`stream on ${base}: ${res.status}`);
  const s = { seen: new Map(), close: () => ac.abort() };
  s.ended = readEvents(res, (ev, data) => {
    if (ev === 'workorder' && !s.seen.has(data.id)) s.seen.set(data.id, Date.now());
  }).then((ended) => (ended ? Date.now() : null)); // null: closed by this side
  return s;
}

// env: more environment for the nodes (e.g. test-only pauses).
export async function startCluster({ pgDir, name, count = 3, threads = 4, env = {} }) {
  const c = { nodes: [], logins: {} };
  c.dir = mkdtempSync(join(tmpdir(), 'gd-cluster-'));
  c.db = execFileSync(PG_CLUSTER, ['createdb', pgDir, name], { encoding: 'utf8' }).trim();
  c.sql = (q) => execFileSync(PSQL, [c.db, '-Atc', q], { encoding: 'utf8' }).trim();
  execFileSync(BIN, ['init', '--db', c.db, '--admin-password', 'admin-password'], { stdio: 'pipe' });
  const out = execFileSync(BIN, ['demo', '--db', c.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const line of out.split('\n')) {
    const m = line.match(/^login: (\S+) (\S+) (\S+) (\S+)$/);
    if (m) c.logins[m[3]] = { role: m[1], shop: m[2], password: m[4] };
  }

  // Starts node i (1-based) on its port; resolves once it listens.
  c.startNode = (i) => {
    const n = c.nodes[i - 1];
    n.log = '';
    n.proc = spawn(BIN, ['serve', '--db', c.db, '--listen', `127.0.0.1:${n.port}`, '--node-id', `node${i}`,
      '--data-dir', join(c.dir, `data${i}`), '--threads', String(threads), '--test-clock', '--webhook-allow-private'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    n.proc.stderr.on('data', (d) => { n.log += d; });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node${i} did not start: ${n.log}`)), 15000);
      n.proc.stdout.on('data', (d) => { if (/listening on/.test(d)) { clearTimeout(timer); resolve(); } });
      n.proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`node${i} exited ${code}: ${n.log}`)); });
    });
  };
  c.killNode = (i) => {
    const p = c.nodes[i - 1].proc;
    p.removeAllListeners('exit');
    return new Promise((resolve) => { p.on('exit', resolve); p.kill('SIGKILL'); });
  };
  c.stopNode = (i) => {
    const p = c.nodes[i - 1].proc;
    if (!p || p.exitCode !== null || p.signalCode) return Promise.resolve(p?.exitCode ?? 0);
    p.removeAllListeners('exit');
    return new Promise((resolve) => { p.on('exit', (code) => resolve(code)); p.kill('SIGTERM'); });
  };
  c.url = (i) => `http://127.0.0.1:${c.nodes[i - 1].port}`;
  // The node (1-based) whose node slot is `slot`, by its /metrics; 0 when none.
  c.nodeOfSlot = async (slot) => {
    for (let i = 1; i <= c.nodes.length; i++) {
      const text = await (await fetch(c.url(i) + '/metrics')).text();
      if (text.match(/^gongdan_node_info\{node="[^"]*",slot="(-?\d+)"\} 1$/m)[1] === String(slot)) return i;
    }
    return 0;
  };

  for (let i = 1; i <= count; i++) c.nodes.push({ port: await freePort() });
  for (let i = 1; i <= count; i++) await c.startNode(i);
  await startNginx(c, await freePort(), await freePort());
  // a shop lead sees every work order of the shop (and hears of each)
  c.leadName = Object.keys(c.logins).find((u) => c.logins[u].role === 'shop_lead');
  c.lead = execFileSync(BIN, ['token', 'create', c.leadName, '--db', c.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  c.stop = async () => {
    if (c.nginx && c.nginx.exitCode === null) {
      await new Promise((resolve) => { c.nginx.on('exit', resolve); c.nginx.kill('SIGTERM'); });
    }
    const codes = [];
    for (let i = 1; i <= c.nodes.length; i++) codes.push(await c.stopNode(i));
    rmSync(c.dir, { recursive: true, force: true });
    for (const [i, code] of codes.entries()) {
      if (code !== 0 && code !== null) throw new Error(`node${i + 1} exited with ${code}: ${c.nodes[i].log.slice(-3000)}`);
    }
  };
  return c;
}

// nginx on `port` in front of every node (round robin, SSE unbuffered), on `port1` in front of
// node 1 alone, and serving c.www at /_static/ on both (the benchmark's ceiling).
async function startNginx(c, port, port1) {
  const ngx = join(c.dir, 'nginx');
  c.www = join(c.dir, 'www');
  mkdirSync(ngx);
  mkdirSync(c.www);
  chmodSync(c.dir, 0o755);
  chmodSync(c.www, 0o755);
  const upstreams = c.nodes.map((n) => `server 127.0.0.1:${n.port} max_fails=1 fail_timeout=3s;`).join(' ');
  const server = (p, upstream) => `
  server {
    listen 127.0.0.1:${p};
    location /_static/ { alias ${c.www}/; }
    location / {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;          # live streams (SSE) pass through as they come
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;  # never for POST: the client retries with its key
    }
  }`;
  writeFileSync(join(ngx, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${ngx}/nginx.pid;
error_log ${ngx}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${ngx}/body; proxy_temp_path ${ngx}/proxy; fastcgi_temp_path ${ngx}/fastcgi;
  uwsgi_temp_path ${ngx}/uwsgi; scgi_temp_path ${ngx}/scgi;
  upstream gongdan { ${upstreams} keepalive 16; }
  upstream gongdan1 { server 127.0.0.1:${c.nodes[0].port}; keepalive 16; }
  ${server(port, 'gongdan')}
  ${server(port1, 'gongdan1')}
}
`);
  c.nginx = spawn('nginx', ['-p', ngx, '-e', join(ngx, 'error.log'), '-c', join(ngx, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  c.nginx.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) {
        c.lb = `http://127.0.0.1:${port}`;
        c.lb1 = `http://127.0.0.1:${port1}`;
        return;
      }
    } catch { /* not yet */ }
    if (c.nginx.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`nginx did not start: ${log}`);
}
