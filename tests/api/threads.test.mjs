// The server's thread count by backend (docs/decisions.md, "Server threads: 4 per core on SQLite, 2
// on PostgreSQL"): what holds a thread differs, a durable SQLite write waiting for its group commit,
// while on PostgreSQL a signed-in GET waits for its generation suspended. An operator reads the
// count from the start-up log line; --threads overrides it.
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { test } from 'node:test';
import { BACKEND, startServer, until } from './lib.mjs';

// the log line follows the "listening on" line that ends the start, on the other stream
const threadsLogged = async (srv) => Number(await until(() => srv.log.match(/ listening .* threads=(\d+) /)?.[1]));

test('the default is 4 threads per core on SQLite, 2 on PostgreSQL', async () => {
  const srv = await startServer({ demo: false, env: { GONGDAN_LOG: 'info' } });
  try {
    assert.equal(await threadsLogged(srv), (BACKEND === 'postgresql' ? 2 : 4) * cpus().length, srv.log);
  } finally {
    await srv.cleanup();
  }
});

test('requests waiting for the generation on their threads get 4 per core on either backend', async () => {
  const srv = await startServer({ demo: false, env: { GONGDAN_LOG: 'info', GONGDAN_FENCE_SUSPEND: '0' } });
  try {
    assert.equal(await threadsLogged(srv), 4 * cpus().length, srv.log);
  } finally {
    await srv.cleanup();
  }
});

test('--threads sets the count', async () => {
  const srv = await startServer({ demo: false, env: { GONGDAN_LOG: 'info' }, args: ['--threads', '3'] });
  try {
    assert.equal(await threadsLogged(srv), 3, srv.log);
  } finally {
    await srv.cleanup();
  }
});
