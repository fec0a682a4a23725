// The first run as the docs describe it: docs/collab.md's curl flow runs as written (on its own port
// and files), every file it uploads exists, the README and docs link only inside the repository, and
// `make run` builds the server alone (not the test binaries) and the workbench only when it changed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { BIN } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => readFileSync(join(ROOT, p), 'utf8');

function flowBlock() {
  const s = read('docs/collab.md');
  const i = s.indexOf('## Play the flow with curl');
  assert.ok(i >= 0, 'docs/collab.md has the flow');
  const b = s.indexOf('```sh', i) + 5;
  return s.slice(b, s.indexOf('```', b));
}

const freePort = () =>
  new Promise((res) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

test('docs/collab.md: every command is one a fresh clone has, every uploaded file is made first', () => {
  const block = flowBlock();
  for (const line of block.split('\n')) {
    assert.doesNotMatch(line, /(^|[\s$(])gongdan\s/, `a bare gongdan is not on PATH after make run: ${line}`);
  }
  for (const [, f] of block.matchAll(/file=@(\S+)/g)) {
    assert.match(block, new RegExp(`> ?${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), `${f} is created before it is uploaded`);
  }
  // evidence belongs to a step that is still open: the upload comes before the last decision
  assert.ok(block.indexOf('/attachments') < block.indexOf('decide_appeal'), 'the evidence is uploaded before the case is closed');
});

test('docs/collab.md: the flow runs as written and ends in final', { timeout: 120_000, skip: !existsSync('/usr/bin/jq') && 'jq is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gd-docs-'));
  const port = await freePort();
  try {
    const script = flowBlock()
      .replaceAll('build/gongdan', BIN)
      .replaceAll('127.0.0.1:8090', `127.0.0.1:${port}`)
      .replaceAll('/tmp/c.db', join(dir, 'c.db'))
      .replaceAll('/tmp/cdata', join(dir, 'cdata'))
      .replaceAll('/tmp/evidence.png', join(dir, 'evidence.png'))
      .replace(/^(\$G serve .*) &$/m, `$1 > ${join(dir, 'serve.log')} 2>&1 &`)
      .replace('kill %1', 'kill %1; wait');
    const r = spawnSync('bash', ['-e', '-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });
    assert.equal(r.status, 0, `the flow failed:\n${r.stdout}\n${r.stderr}`);
    const out = r.stdout.split('\n').map((l) => l.trim().replace(/,$/, '')).filter((l) => l.startsWith('"'));
    assert.deepEqual(out, ['"intervention"', '"created"', '"seller_timeout"', '"judged"', '"appeal_review"', '"final"'], r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README and docs link only inside the repository', () => {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const f of files) {
    const s = read(f);
    for (const [, target] of s.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // a web address
      const p = resolve(ROOT, dirname(f), target);
      assert.ok(p.startsWith(ROOT + '/'), `${f} links outside the repository: ${target}`);
      assert.ok(existsSync(p), `${f} links to a missing file: ${target}`);
    }
    assert.doesNotMatch(s, /\.\.\/shared\//, `${f} points at ../shared, which a clone does not have`);
  }
  assert.match(read('README.md'), /\[docs\/STYLE\.md\]\(docs\/STYLE\.md\)/);
});

test('make run builds only the server, quietly, and the workbench only when web/ changed', () => {
  const dry = execFileSync('make', ['-n', '-o', 'deps', 'run', 'BUILD=build-docs-test', 'DB=/nonexistent/x.db'], { cwd: ROOT, encoding: 'utf8' });
  const builds = dry.split('\n').filter((l) => /cmake --build/.test(l));
  assert.equal(builds.length, 1, dry);
  assert.match(builds[0], /--target gongdan\b/, 'only the server binary, not the test programs');
  assert.match(builds[0], />\s*build-docs-test\/build\.log 2>&1/, 'the compiler output goes to a log');
  // the workbench is a file target on its sources: up to date → not rebuilt
  const q = spawnSync('make', ['-q', 'web/dist/index.html'], { cwd: ROOT });
  if (existsSync(join(ROOT, 'web/dist/index.html'))) {
    const touched = spawnSync('make', ['-n', '-o', 'deps', '-W', 'web/src/App.tsx', 'web'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(touched.stdout, /npm run --silent build/, 'a changed source rebuilds the workbench');
    assert.ok(q.status === 0 || q.status === 1, 'make -q answers');
  }
});
