// The OpenAPI document is true: every route of the server's route tables is described, the
// served document is the committed one, and a real validator (@redocly/cli) accepts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startServer } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const doc = JSON.parse(readFileSync(root + 'docs/openapi.json', 'utf8'));

test('every route of the server is in the document', () => {
  const routes = [];
  for (const f of readdirSync(root + 'src/http').filter((f) => f.endsWith('.c'))) {
    const text = readFileSync(root + 'src/http/' + f, 'utf8');
    for (const m of text.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)", "(\/[^"]*)"/g)) routes.push([m[1], m[2]]);
  }
  assert.ok(routes.length > 30);
  const paths = Object.keys(doc.paths).map((p) => [p, new RegExp('^' + p.replace(/\{[^}]+\}/g, '\\{\\}') + '$')]);
  for (const [method, pattern] of routes) {
    const hit = paths.find(([, re]) => re.test(pattern));
    assert.ok(hit, `${method} ${pattern} is not described`);
    assert.ok(doc.paths[hit[0]][method.toLowerCase()], `${method} ${pattern}: method not described`);
  }
});

test('the server serves the committed document', async () => {
  const srv = await startServer({ demo: false });
  const served = await (await fetch(srv.base + '/api/v1/openapi.json')).json();
  assert.deepEqual(served, doc);
  await srv.cleanup();
});

test('a real OpenAPI validator accepts it', () => {
  const redocly = root + 'web/node_modules/.bin/redocly';
  assert.ok(existsSync(redocly), 'npm packages are installed by scripts/install-deps');
  const r = spawnSync(redocly, ['lint', '--format=stylish', root + 'docs/openapi.json'],
    { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out);
  assert.match(out, /is valid/);
  assert.doesNotMatch(out, /warning  /, 'no warnings either');
});
