// GET /metrics of a live server, after requests of every status class, is valid Prometheus text
// that passes `promtool check metrics` (names, HELP and TYPE, counters ending in _total), and
// every gongdan_ metric the alert rules (deploy/prometheus/gongdan-alerts.yml) use is exposed: an
// alert on a metric nobody exports never fires.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { INVALID, startServer } from './lib.mjs';

let srv, text;
before(async () => {
  srv = await startServer({ demo: false });
  await fetch(srv.base + '/healthz'); // 2xx
  await fetch(srv.base + '/api/v1/me'); // 401
  await fetch(srv.base + '/api/v1/nope', { headers: INVALID }); // 404
  await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-password' }) });
  const r = await fetch(srv.base + '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  text = await r.text();
});
after(async () => { await srv?.cleanup(); });

test('promtool check metrics accepts /metrics', () => {
  const p = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(p.error, undefined, `promtool did not run (scripts/install-deps installs it): ${p.error}`);
  assert.equal(p.status, 0, `promtool check metrics:\n${p.stdout}${p.stderr}\n--- /metrics:\n${text}`);
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^gongdan_/, 'every metric is gongdan_');
  }
});

test('the requests made are counted by status class', () => {
  const count = (code) => Number(text.match(new RegExp(`^gongdan_http_requests_total\\{code="${code}"\\} (\\d+)$`, 'm'))?.[1]);
  assert.ok(count('2xx') >= 2);
  assert.ok(count('4xx') >= 2);
});

test('every gongdan_ metric the alert rules use is exposed', () => {
  const rules = readFileSync(new URL('../../deploy/prometheus/gongdan-alerts.yml', import.meta.url), 'utf8');
  const used = new Set(rules.match(/\bgongdan_[a-z_]+/g));
  assert.ok(used.size >= 3);
  const exposed = new Set(text.match(/^# TYPE (gongdan_[a-z_]+)/gm).map((l) => l.slice(7)));
  for (const name of used) assert.ok(exposed.has(name), `${name} is used by an alert but not in /metrics`);
});
