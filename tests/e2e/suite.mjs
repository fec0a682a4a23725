// The server of one browser test file: started before its tests and stopped after them, so no file
// writes its own before/after pair. Kept apart from server.mjs, which the benches import without
// node:test.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startServer } from './server.mjs';

/**
 * Registers the file's before/after hooks and returns the server: its fields (url, accounts, advanceClock,
 * tmp, stop) are there once the tests run. `account(username)` is the demo's account of that name.
 * `opts` as for startServer. node:test runs a file's top-level `before` hooks together, so a file's
 * own `before` that needs the server awaits `srv.ready` first.
 */
export function serverForFile(opts) {
  let started;
  const srv = {
    ready: new Promise((resolve, reject) => {
      started = { resolve, reject };
    }),
    account(username) {
      const a = srv.accounts.find((x) => x.username === username);
      assert.ok(a, `demo has ${username}`);
      return a;
    },
  };
  srv.ready.catch(() => {}); // the hook below reports a failed start
  before(async () => {
    try {
      Object.assign(srv, await startServer(opts));
      started.resolve(srv);
    } catch (e) {
      started.reject(e);
      throw e;
    }
  });
  after(async () => {
    await srv.stop?.();
  });
  return srv;
}
