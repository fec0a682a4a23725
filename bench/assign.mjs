// Assignment rules (docs/assignment.md): what a least-open-work rule over 20 agents costs a create,
// on SQLite with the demo data, over HTTP with durable commits.
//   node bench/assign.mjs        (CREATES per round, default 1000; ROUNDS, default 3; CONC, default 8)
// Each round makes CREATES work orders without a handler of a type with no rule, then CREATES of a
// type whose rule is least open work among 20 agents (each create reads the 20 agents' status and
// their open-work counters and writes the 'assigned' event), CONC requests at a time; the rounds
// alternate so drift in the machine falls on both. Creates/s per round, the medians, and what the
// rule costs (the issue allows at most 20%). Prints the host's load average: the machine is shared.
import assert from 'node:assert/strict';
import os from 'node:os';
import { apiLogin, startServer } from '../tests/e2e/server.mjs';

const CREATES = Number(process.env.CREATES || 1000);
const ROUNDS = Number(process.env.ROUNDS || 3);
const CONC = Number(process.env.CONC || 8);
const AGENTS = 20;

const srv = await startServer();
const rates = { plain: [], rule: [] };
const loads = [];
let spread = null;
try {
  const owner = srv.accounts.find((a) => a.username === 'tea_owner');
  const O = await apiLogin(srv.url, owner.username, owner.password);
  const ids = [];
  for (let i = 0; i < AGENTS; i++) {
    const r = await O.call('POST', '/users', { username: `bench_agent${i}`, display_name: `基准客服${i}`, role: 'shop_agent', password: 'bench-password-1' });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const rule = await O.call('PUT', '/assignment/rules/out_of_stock', { kind: 'least_open', members: ids, reassign: false });
  assert.equal(rule.status, 200, rule.text);

  // CREATES work orders of `type`, CONC at a time; creates/s
  const round = async (type, withRule) => {
    let next = 0;
    const worker = async () => {
      while (next < CREATES) {
        const i = next++;
        const r = await O.call('POST', '/workorders', { type, title: `分派基准 ${i}` });
        assert.equal(r.status, 201, r.text);
        assert.equal(!!r.json.handler, withRule, 'the rule places every one; the plain type none');
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONC }, worker));
    return (CREATES * 1000) / (performance.now() - t0);
  };
  await round('waybill', false); // warm-up: caches, the statement cache, the page cache
  for (let r = 0; r < ROUNDS; r++) {
    loads.push(os.loadavg()[0]);
    rates.plain.push(await round('waybill', false));
    rates.rule.push(await round('out_of_stock', true));
  }
  // least open work spreads the work: every agent's open count within one of the others'
  const team = (await O.call('GET', '/agents/status')).json.items.filter((x) => ids.includes(x.user_id));
  assert.equal(team.length, AGENTS);
  const lists = await Promise.all(ids.map((id) => O.call('GET', `/workorders?view=shop&handler=${id}&state=open&limit=200`)));
  const open = lists.map((l) => l.json.items.length);
  spread = `${Math.min(...open)}–${Math.max(...open)}`;
} finally {
  await srv.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plain = median(rates.plain);
const withRule = median(rates.rule);
const load = loads.reduce((a, b) => a + b, 0) / loads.length;
console.log(`creates with a least-open-work rule over ${AGENTS} agents (SQLite, demo data, ${CONC} at a time): ${ROUNDS} rounds of ${CREATES}, load average ${load.toFixed(1)} (${os.cpus().length} cores)\n`);
console.log('| creates | creates/s per round | median creates/s |');
console.log('|---|---|---|');
console.log(`| without a rule (waybill) | ${rates.plain.map((x) => x.toFixed(0)).join(', ')} | ${plain.toFixed(0)} |`);
console.log(`| least open work over ${AGENTS} (out_of_stock) | ${rates.rule.map((x) => x.toFixed(0)).join(', ')} | ${withRule.toFixed(0)} |`);
console.log(`\nthe rule costs ${(100 * (1 - withRule / plain)).toFixed(1)}% of the creates/s (at most 20% allowed); open work per agent after the rounds: ${spread}`);
