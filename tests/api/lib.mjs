// Test harness for the API tests: starts the real gongdan binary on a free port with a fresh
// database (init + demo), and talks to it over real HTTP with fetch. The database is SQLite, or,
// with GONGDAN_TEST_DB=pg, a fresh PostgreSQL database on the throwaway cluster in
// GONGDAN_TEST_PG_DIR (scripts/pg-test-cluster; ctest's fixture "pg" starts one).
// Every fetch to a server started here is checked against docs/openapi.json (contract.mjs): a
// request or an answer the document does not describe fails the test at that fetch.
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRequest, checkResponse, INVALID_HEADER } from './contract.mjs';

export { INVALID } from './contract.mjs';

export const BIN = process.env.GONGDAN_BIN || new URL('../../build/gongdan', import.meta.url).pathname;

const PG_CLUSTER = new URL('../../scripts/pg-test-cluster', import.meta.url).pathname;
let pgDatabases = 0;

// The backend the suites run on, as /healthz names it.
export const BACKEND = process.env.GONGDAN_TEST_DB === 'pg' ? 'postgresql' : 'sqlite';

// A new, empty database for one server (files of SQLite in `dir`): its --db URL.
export function freshDatabase(dir) {
  if (process.env.GONGDAN_TEST_DB !== 'pg') return `sqlite:${join(dir, 'gd.db')}`;
  const cluster = process.env.GONGDAN_TEST_PG_DIR;
  if (!cluster) throw new Error('GONGDAN_TEST_DB=pg needs GONGDAN_TEST_PG_DIR (a running scripts/pg-test-cluster)');
  const name = `api_${process.pid}_${++pgDatabases}`;
  return execFileSync(PG_CLUSTER, ['createdb', cluster, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// The keys of what the server stored in one folder of its bytes (attachments, thumbnails,
// exports): files under the data directory with SQLite (<folder>/<key[0..1]>/<key[2..]>), rows of
// the blobs table with PostgreSQL (every node reads them there).
export function storedKeys(srv, folder) {
  if (srv.db.startsWith('sqlite:')) {
    const root = join(srv.dir, folder);
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => d + f));
  }
  return sqlRows(srv.db, `SELECT key FROM blobs WHERE folder = '${folder}' ORDER BY key`).map((r) => r[0]);
}

export const isStored = (srv, folder, key) => storedKeys(srv, folder).includes(key);

// The rows of one SELECT on a server's database, as arrays of JSON values (a test reads rows the
// API cannot show, e.g. ones a janitor removed): Python's sqlite3, or psql with the rows as JSON.
export function sqlRows(db, query) {
  if (db.startsWith('sqlite:')) {
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps(c.execute(sys.argv[2]).fetchall()))
`, db.slice('sqlite:'.length), query], { encoding: 'utf8' }));
  }
  const json = execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-Atc',
    `SELECT coalesce(json_agg(row_to_json(r)), '[]') FROM (${query}) r`], { encoding: 'utf8' });
  return JSON.parse(json).map((row) => Object.values(row));
}

// Runs one writing statement on a server's database in its own connection and commits it before
// returning, as another process or node would (psql, or Python's sqlite3).
export function sqlExec(db, statement) {
  if (db.startsWith('sqlite:')) {
    execFileSync('/usr/bin/python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute(sys.argv[2])
c.commit()
`, db.slice('sqlite:'.length), statement]);
    return;
  }
  execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-Atqc', statement]);
}

// The origins of the servers started here: fetches to them are checked.
const checkedOrigins = new Set();
const uncheckedFetch = globalThis.fetch;

// fetch, with the request (unless marked INVALID) and the answer checked against the document.
globalThis.fetch = async function checkedFetch(input, init = {}) {
  const url = input instanceof Request ? input.url : String(input);
  if (!checkedOrigins.has(new URL(url).origin)) return uncheckedFetch(input, init);
  const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  new Headers(init.headers).forEach((v, k) => headers.set(k, v));
  const invalid = headers.has(INVALID_HEADER);
  headers.delete(INVALID_HEADER);
  let body = init.body;
  if (input instanceof Request && body === undefined && input.body) body = new Uint8Array(await input.clone().arrayBuffer());
  if (body instanceof Blob) body = new Uint8Array(await body.arrayBuffer());
  const sent = input instanceof Request ? new Request(input, { ...init, headers }) : null;
  const problems = invalid ? [] : checkRequest(method, url, headers, body);
  if (problems.length) contractFailure(problems);
  const res = sent ? await uncheckedFetch(sent) : await uncheckedFetch(input, { ...init, headers });
  const streamed = (res.headers.get('content-type') || '').startsWith('text/event-stream');
  const text = streamed ? null : await res.clone().text();
  const wrong = checkResponse(method, url, res, text);
  if (wrong.length) contractFailure(wrong);
  return res;
};

// A mismatch fails the test at that fetch; with GONGDAN_CONTRACT_SURVEY=FILE it is appended to
// FILE instead, so one run lists every mismatch of a suite (a tool for fixing many at once).
function contractFailure(problems) {
  const text = `contract (docs/openapi.json): ${problems.join('\n')}`;
  if (!process.env.GONGDAN_CONTRACT_SURVEY) throw new Error(text);
  appendFileSync(process.env.GONGDAN_CONTRACT_SURVEY, `${text}\n    at ${new Error().stack.split('\n').find((l) => l.includes('.test.mjs'))?.trim()}\n`);
}

// Starts a server. opts: {demo: true, testClock: false, webhookPrivate: true (the tests' receivers are on
// loopback), env: {}, args: [] (more `serve` options), cwd (where serve runs; the default web root is
// web/dist under it)}. Returns
// {base, db, dir, logins: {username: {role, shop, password}}, stop(), kill(), restart()}.
// With opts.db (and opts.dir), serves that existing database and data directory as they are.
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'gd-api-'));
  const db = opts.db || freshDatabase(dir);
  if (!opts.db) execFileSync(BIN, ['init', '--db', db, '--admin-password', 'admin-password'], { stdio: 'pipe' });
  const logins = {};
  if (opts.demo !== false && !opts.db) {
    const out = execFileSync(BIN, ['demo', '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    for (const line of out.split('\n')) {
      const m = line.match(/^login: (\S+) (\S+) (\S+) (\S+)$/);
      if (m) logins[m[3]] = { role: m[1], shop: m[2], password: m[4] };
    }
  }
  const srv = { dir, db, logins, proc: null, base: null, log: '' };
  srv.start = async () => {
    const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--data-dir', dir];
    if (opts.testClock) args.push('--test-clock');
    if (opts.webhookPrivate !== false) args.push('--webhook-allow-private');
    args.push(...(opts.args || []));
    const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd, env: { ...process.env, ...(opts.env || {}) } });
    srv.proc = proc;
    proc.stderr.on('data', (d) => { srv.log += d; });
    srv.base = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error('server did not start: ' + srv.log)), 10000);
      proc.stdout.on('data', (d) => {
        buf += d;
        const m = buf.match(/listening on (http:\/\/[\d.:]+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${srv.log}`)); });
    });
    checkedOrigins.add(new URL(srv.base).origin);
    return srv;
  };
  // Graceful stop (SIGTERM); resolves with the exit code.
  srv.stop = () => new Promise((resolve) => {
    if (!srv.proc || srv.proc.exitCode !== null) return resolve(srv.proc?.exitCode);
    srv.proc.removeAllListeners('exit');
    srv.proc.on('exit', (code) => resolve(code));
    srv.proc.kill('SIGTERM');
  });
  // Abrupt stop (SIGKILL), as a crash would.
  srv.kill = () => new Promise((resolve) => {
    srv.proc.removeAllListeners('exit');
    srv.proc.on('exit', () => resolve());
    srv.proc.kill('SIGKILL');
  });
  // Stops the server and checks it exited cleanly: under ASan a leak or an error at shutdown
  // makes the exit code non-zero, and the test that owns the server fails.
  srv.cleanup = async () => {
    const code = await srv.stop();
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server exited with ${code}: ${srv.log.slice(-3000)}`);
  };
  // a server that does not start leaves nothing behind (the tests of refused options expect that)
  await srv.start().catch(async (e) => {
    if (srv.proc?.exitCode === null) await srv.kill();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return srv;
}

// A signed-in client. Uses a bearer token made by the CLI (tokens are the integration path) or,
// with {cookie: true}, a real sign-in with cookie + CSRF header.
export async function client(srv, username, { cookie = false } = {}) {
  const c = { srv, username, headers: {} };
  if (cookie) {
    const pw = srv.logins[username]?.password ?? 'admin-password';
    const r = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: pw }) });
    if (r.status !== 200) throw new Error(`sign-in failed for ${username}: ${r.status}`);
    const body = await r.json();
    c.headers.cookie = r.headers.get('set-cookie').split(';')[0];
    c.headers['x-csrf-token'] = body.csrf_token;
    c.user = body.user;
  } else {
    const token = execFileSync(BIN, ['token', 'create', username, '--db', srv.db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    c.headers.authorization = `Bearer ${token}`;
    c.user = (await (await fetch(srv.base + '/api/v1/me', { headers: c.headers })).json()).user;
  }
  // req(method, path, body?, extraHeaders?) -> {status, headers, body (parsed JSON or text)};
  // extraHeaders may spread INVALID for a request that is wrong on purpose
  c.req = async (method, path, body, extra = {}) => {
    const init = { method, headers: { ...c.headers, ...extra } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData ? body : JSON.stringify(body);
      if (!(body instanceof FormData) && !init.headers['content-type']) init.headers['content-type'] = 'application/json';
    }
    const r = await fetch(srv.base + path, init);
    const text = await r.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, body: parsed };
  };
  for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
    c[m] = (path, body, extra) => c.req(m.toUpperCase(), path, body, extra);
  }
  return c;
}

// Users of a shop by username prefix, from the demo: e.g. users(srv, 'tea_').
export function demoUsers(srv, prefix) {
  return Object.keys(srv.logins).filter((u) => u.startsWith(prefix));
}

// Polls fn every 50 ms until it returns something truthy or ms pass; returns the last value.
export async function until(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
