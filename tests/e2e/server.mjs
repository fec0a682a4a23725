// Starts a real `gongdan serve` on a free loopback port with a fresh demo database, for the browser tests.
// Binary: $GONGDAN_BIN (default build/gongdan); web root: web/dist (built by `npm run build` in web/).
// Database: SQLite, or PostgreSQL with GONGDAN_TEST_DB=pg (as for the API tests: tests/api/lib.mjs).
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freshDatabase } from '../api/lib.mjs';

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function binPath() {
  const b = process.env.GONGDAN_BIN ?? 'build/gongdan';
  return path.isAbsolute(b) ? b : path.join(repoRoot, b);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Parse `login: ROLE SHOP USERNAME PASSWORD` lines. */
export function parseLogins(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^\s*login:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (m) out.push({ role: m[1], shop: m[2], username: m[3], password: m[4] });
  }
  return out;
}

/**
 * Start the server. Returns {url, accounts, tmp, stop()}.
 * accounts: the demo's login lines, plus helpers to pick a lead and an agent of one shop.
 * webRoot: the built workbench to serve (a bench compares two builds), web/dist by default.
 */
export async function startServer({ adminPassword = 'Admin-pass-123', testClock = false, webRoot = path.join(repoRoot, 'web', 'dist') } = {}) {
  const bin = binPath();
  if (!fs.existsSync(bin)) throw new Error(`gongdan binary not found at ${bin} (set GONGDAN_BIN or build it)`);
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) throw new Error(`${webRoot}/index.html missing: run \`npm run build\` in web/ first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gongdan-e2e-'));
  const db = freshDatabase(tmp);
  await run(bin, ['init', '--db', db, '--admin-password', adminPassword], { cwd: repoRoot });
  const demo = await run(bin, ['demo', '--db', db], { cwd: repoRoot });
  const accounts = parseLogins(`${demo.stdout}\n${demo.stderr}`);
  if (!accounts.length) throw new Error(`gongdan demo printed no login lines:\n${demo.stdout}\n${demo.stderr}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(tmp, 'serve.log'), 'a');
  // the webhook test's receiver is on loopback, which a server refuses by default
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', webRoot, '--webhook-allow-private'];
  if (testClock) args.push('--test-clock');
  const child = spawn(bin, args, {
    cwd: repoRoot,
    stdio: ['ignore', log, log],
  });
  let exited = null;
  child.on('exit', (code, sig) => (exited = { code, sig }));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`gongdan serve exited early (${JSON.stringify(exited)}):\n${fs.readFileSync(path.join(tmp, 'serve.log'), 'utf8')}`);
    try {
      const r = await fetch(`${url}/api/v1/me`);
      if (r.status === 401 || r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('gongdan serve did not answer within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 5000);
        child.on('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    fs.closeSync(log);
    if (!process.env.KEEP_E2E_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  };
  /** Move the server's clock forward (needs testClock); the scheduler fires what became due. */
  const advanceClock = async (ms) => {
    const r = await fetch(`${url}/api/v1/_test/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advance_ms: ms }),
    });
    if (!r.ok) throw new Error(`advance clock: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return { url, accounts, tmp, stop, advanceClock };
}

/** A lead (or owner) and an agent of the same shop. */
export function leadAndAgent(accounts) {
  for (const lead of accounts.filter((a) => a.role === 'shop_lead').concat(accounts.filter((a) => a.role === 'shop_owner'))) {
    const agent = accounts.find((a) => a.role === 'shop_agent' && a.shop === lead.shop);
    if (agent) return { lead, agent };
  }
  throw new Error(`no lead and agent of one shop in: ${JSON.stringify(accounts)}`);
}

/** Plain API client with a cookie jar (for setup and checks outside the browser). */
export async function apiLogin(url, username, password) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const body = await r.json();
  const cookie = (r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie')]).filter(Boolean).map((c) => c.split(';')[0]).join('; ');
  const call = async (method, p, b, headers = {}) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, ...(b !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: b !== undefined ? JSON.stringify(b) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return { user: body.user, csrf: body.csrf_token, cookie, call };
}
