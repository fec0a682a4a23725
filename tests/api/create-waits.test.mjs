// A create that waits for the database holds up none of the other requests of its connection's
// thread (src/http/writepool.h): the server runs on one thread, another process holds the
// database's write lock, and while the create waits for it that thread still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startServer, client, BACKEND } from './lib.mjs';

// Another connection holding the lock a create needs, until release(): SQLite's write lock
// (BEGIN IMMEDIATE), or on PostgreSQL the work order table's against writes (reads go on). Resolves
// once it is held.
async function holdWriteLock(db) {
  const proc = BACKEND === 'sqlite'
    ? spawn('/usr/bin/python3', ['-u', '-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
c.execute("COMMIT")
`, db.slice('sqlite:'.length)], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('psql', [db, '-v', 'ON_ERROR_STOP=1', '-Aqt'], { stdio: ['pipe', 'pipe', 'inherit'] });
  if (BACKEND !== 'sqlite') proc.stdin.write("BEGIN;\nLOCK TABLE workorders IN EXCLUSIVE MODE;\nSELECT 'held';\n");
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  while (!out.includes('held')) await once(proc.stdout, 'data');
  const exited = once(proc, 'exit');
  return async () => {
    if (!proc.stdin.writableEnded) proc.stdin.end(BACKEND === 'sqlite' ? '\n' : 'COMMIT;\n');
    await exited;
  };
}

test('a create waiting for the database leaves its thread to the other connections', async () => {
  const srv = await startServer({ args: ['--threads', '1'] });
  const agent = await client(srv, 'tea_agent1');
  const release = await holdWriteLock(srv.db).catch(async (e) => { await srv.cleanup(); throw e; });
  try {
    let created = null;
    const create = agent.post('/api/v1/workorders', { type: 'after_sales', title: '锁等待中的创建', handler_id: agent.user.id })
      .then((r) => { created = r; return r; });
    // the create is in the server (in flight beside this request) before the others ask
    const inflight = async () => {
      const m = await (await fetch(srv.base + '/metrics', { signal: AbortSignal.timeout(3000) })).text();
      return Number(m.match(/^gongdan_http_inflight (\d+)$/m)[1]);
    };
    const until = Date.now() + 5000;
    while (await inflight() < 2) assert.ok(Date.now() < until, 'the create never reached the server');
    // the one thread answers a sign-in check and a list while the create still waits
    const me = await fetch(srv.base + '/api/v1/me', { headers: agent.headers, signal: AbortSignal.timeout(3000) });
    assert.equal(me.status, 200);
    const list = await fetch(srv.base + '/api/v1/workorders?view=todo', { headers: agent.headers, signal: AbortSignal.timeout(3000) });
    assert.equal(list.status, 200);
    assert.equal(created, null, 'the create was answered while the lock was held');
    await release();
    const r = await create;
    assert.equal(r.status, 201);
    const got = await agent.get(`/api/v1/workorders/${r.body.id}`);
    assert.equal(got.body.workorder.title, '锁等待中的创建');
  } finally {
    await release();
    await srv.cleanup();
  }
});
