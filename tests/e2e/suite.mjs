// The server of one browser test file: started before its tests and stopped after them, so no file
// writes its own before/after pair. Kept apart from server.mjs, which the benches import without
// node:test.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startServer } from './server.mjs';

/**
 * Registers the file's before/after hooks and returns the server: its fields (url, accounts, advanceClock,
 * tmp, stop) are there once the tests run. `account(username)` is the demo's account of that name.
 * `opts` as for startServer.
 */
export function serverForFile(opts) {
  const srv = {
    account(username) {
      const a = srv.accounts.find((x) => x.username === username);
      assert.ok(a, `demo has ${username}`);
      return a;
    },
  };
  before(async () => {
    Object.assign(srv, await startServer(opts));
  });
  after(async () => {
    await srv.stop?.();
  });
  return srv;
}
