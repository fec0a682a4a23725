// The configuration a user gets from `make run`: the server started from the repository's root
// with no --web-root, so it serves the built workbench (web/dist) next to the API. The other API
// suites start it without the workbench; a bug that only shows with it (/healthz answered by
// index.html) slipped through once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { BACKEND, INVALID, startServer } from './lib.mjs';

const repoRoot = new URL('../../', import.meta.url).pathname;

test('make run configuration: the route table wins over the workbench, which serves the rest', async () => {
  assert.ok(existsSync(repoRoot + 'web/dist/index.html'), 'web/dist is built (make test builds it)');
  const srv = await startServer({ cwd: repoRoot, webhookPrivate: false });
  try {
    let r = await fetch(srv.base + '/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const health = await r.json();
    assert.deepEqual({ ...health, node: typeof health.node }, { status: 'ok', backend: BACKEND, node: 'string' });

    r = await fetch(srv.base + '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(await r.text(), /^# HELP gongdan_http_requests_total/m);

    r = await fetch(srv.base + '/api/v1/openapi.json');
    assert.equal((await r.json()).openapi.slice(0, 2), '3.');

    // a route's other methods are 405, not the workbench
    r = await fetch(srv.base + '/healthz', { method: 'POST', headers: INVALID });
    assert.equal(r.status, 405);

    // the workbench: its index at / and at any client route, its assets as files
    for (const path of ['/', '/workorders/42', '/collab']) {
      r = await fetch(srv.base + path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type'), /^text\/html/, path);
      assert.match(await r.text(), /<div id="root">/, path);
    }
    r = await fetch(srv.base + '/assets/missing-file.js');
    assert.equal(r.status, 404, 'a missing asset is not index.html');
    r = await fetch(srv.base + '/api/v1/no-such-route', { headers: INVALID });
    assert.equal(r.status, 404);
    assert.equal((await r.json()).error.code, 'not_found');
  } finally {
    await srv.cleanup();
  }
});
