// The OpenAPI document is true: it is the output of its one source (scripts/openapi.py), every
// route of the server's route tables is described, the served document is the committed one, and
// a real validator (@redocly/cli) accepts it. (Every API test checks what it sends and gets
// against it: contract.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { client, startServer, INVALID } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const doc = JSON.parse(readFileSync(root + 'docs/openapi.json', 'utf8'));

test('the committed document is what scripts/openapi.py writes (no hand edits)', () => {
  const r = spawnSync('python3', [root + 'scripts/openapi.py', '--stdout'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout === readFileSync(root + 'docs/openapi.json', 'utf8'),
    'docs/openapi.json differs from the output of scripts/openapi.py: edit the script and run it');
});

test('what the server changed to meet the document (issue 11)', async () => {
  const srv = await startServer();
  try {
    const [lead, xiaoer] = await Promise.all(['tea_lead', 'xiaoer1'].map((u) => client(srv, u)));
    // a 204 has no body and so no Content-Type
    const out = await lead.delete('/api/v1/session');
    assert.equal(out.status, 204);
    assert.equal(out.headers.get('content-type'), null);
    // one validation of q for everyone: a platform user (who reads no orders) is told too
    for (const c of [lead, xiaoer]) {
      const r = await c.get('/api/v1/orders?q=' + 'x'.repeat(65), undefined, INVALID);
      assert.equal(r.status, 422, c.username);
      assert.equal(r.body.error.field, 'q');
    }
    // times in event data are RFC 3339, not milliseconds
    const order = (await lead.get('/api/v1/orders?limit=1')).body.items[0];
    const wo = (await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: order.order_no,
      category: '描述不符', complaint: '颜色不一致', remedy: 'refund' })).body;
    const created = (await lead.get(`/api/v1/workorders/${wo.id}`)).body.events.find((e) => e.kind === 'created');
    assert.equal(created.data.reply_due, wo.deadline);
    assert.ok(!Object.keys(created.data).some((k) => k.endsWith('_ms')), JSON.stringify(created.data));
  } finally {
    await srv.cleanup();
  }
});

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
