// A client generated from docs/openapi.json works: openapi-typescript turns the document into
// types, client/flow.ts (openapi-fetch calls) must type-check against them, and the flow then
// runs against a real server: an order, a work order from it, transfer, note, complete, and a
// collaborative case to judgement. Every request and answer is also checked by the harness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { client, startServer } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const bin = (name) => root + 'tests/node_modules/.bin/' + name;

test('a generated client runs the center and the collaborative flow', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gd-client-'));
  const srv = await startServer();
  try {
    symlinkSync(root + 'tests/node_modules', join(dir, 'node_modules'));
    for (const f of ['flow.ts', 'tsconfig.json']) copyFileSync(root + 'tests/api/client/' + f, join(dir, f));
    let r = spawnSync(bin('openapi-typescript'), [root + 'docs/openapi.json', '-o', join(dir, 'schema.d.ts')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    r = spawnSync(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, 'the flow type-checks against the generated client:\n' + r.stdout + r.stderr);
    const js = ts.transpileModule(readFileSync(join(dir, 'flow.ts'), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    writeFileSync(join(dir, 'flow.mjs'), js);
    const { flow } = await import(join(dir, 'flow.mjs'));

    const tokens = {};
    const names = {};
    for (const u of ['tea_lead', 'tea_agent1', 'xiaoer1', 'supervisor']) {
      const c = await client(srv, u);
      tokens[u] = c.headers.authorization.slice('Bearer '.length);
      names[u] = c.user.display_name;
    }
    const out = await flow(srv.base, tokens);
    assert.deepEqual(out.center.states, ['open', 'open', 'done']);
    assert.equal(out.center.handler, names.tea_agent1, 'the agent it was transferred to handles it');
    for (const k of ['created', 'transferred', 'noted', 'state_changed']) assert.ok(out.center.kinds.includes(k), k);
    assert.deepEqual(out.collab.states, ['awaiting_seller', 'platform_verify', 'intervention', 'judged']);
    assert.equal(out.collab.outcome, 'support_buyer');
    for (const k of ['created', 'replied', 'verified', 'judged']) assert.ok(out.collab.kinds.includes(k), k);
  } finally {
    await srv.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
