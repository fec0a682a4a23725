// Team statistics (GET /api/v1/stats): random activity over the API on a test clock, then every
// figure is recounted here from the work orders' timelines (GET /api/v1/workorders/{id}) and
// compared: counts exactly, percentiles within the histogram precision (docs/reports.md: a
// reported percentile is within 0.5% + 1 s of the exact nearest-rank value; checked here as
// |reported - exact| <= max(1 s, 1% of exact)). The activity spans a whole month (February 2032,
// a leap one), so a range reads that month from the monthly rollups and its other days from the
// daily ones, and both are checked against the recount. Also: day and month boundaries in the
// shop's zone (+08:00), permissions, the CLI, and that a rebuild from the work orders gives the
// same rollups.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { BIN, client, INVALID, startServer } from './lib.mjs';

const TZ_MS = 8 * 3600 * 1000;
const DAY_MS = 86400 * 1000;
let srv, lead, users;

// A deterministic PRNG so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dayOf = (ms) => {
  const d = new Date(Math.floor((ms + TZ_MS) / DAY_MS) * DAY_MS);
  return d.toISOString().slice(0, 10);
};

async function setClock(c, iso) {
  const r = await c.post('/api/v1/_test/clock', { now: iso });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}
async function advance(c, ms) {
  const r = await c.post('/api/v1/_test/clock', { advance_ms: ms });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return Date.parse(r.body.now);
}

before(async () => {
  srv = await startServer({ testClock: true });
  lead = await client(srv, 'tea_lead');
  users = (await lead.get('/api/v1/users')).body.items;
});
after(async () => {
  await srv?.cleanup();
});

// Recount one work order from its timeline.
function fromTimeline(detail) {
  const evs = detail.events;
  const created = evs.find((e) => e.kind === 'created');
  const createdAt = Date.parse(created.at);
  let handler = created.data.handler ?? null;
  let state = 'open';
  let doneAt = null;
  let firstAction = null;
  let transfers = 0;
  for (const e of evs) {
    const at = Date.parse(e.at);
    if (['noted', 'transferred', 'state_changed'].includes(e.kind) && firstAction === null) firstAction = at;
    if (e.kind === 'transferred' || (e.kind === 'assigned' && e.data.from)) transfers++;
    if (e.kind === 'transferred' || e.kind === 'assigned') handler = e.data.to;
    if (e.kind === 'state_changed') {
      state = e.data.to;
      doneAt = state === 'done' ? at : null;
    }
  }
  const wo = detail.workorder;
  // the timeline and the work order agree (so the recount below really is from the timeline)
  assert.equal(wo.state, state, `state of ${wo.number}`);
  assert.equal(wo.handler?.id ?? null, handler, `handler of ${wo.number}`);
  assert.equal(wo.transfers, transfers, `transfers of ${wo.number}`);
  assert.equal(wo.done_at ? Date.parse(wo.done_at) : null, doneAt, `done_at of ${wo.number}`);
  assert.equal(wo.first_action_at ? Date.parse(wo.first_action_at) : null, firstAction, `first action of ${wo.number}`);
  const deadline = wo.deadline ? Date.parse(wo.deadline) : null;
  const finished = ['done', 'cancelled'].includes(state);
  return {
    type: wo.type, handler: handler ?? 'none', day: dayOf(createdAt),
    done: state === 'done' ? 1 : 0,
    open: finished ? 0 : 1,
    overdue: wo.overdue && !finished ? 1 : 0,
    transferred: transfers,
    within: state === 'done' && (!deadline || doneAt <= deadline) ? 1 : 0,
    fa: firstAction === null ? null : Math.floor((firstAction - createdAt) / 1000),
    dn: state === 'done' ? Math.floor((doneAt - createdAt) / 1000) : null,
  };
}

function pct(values, p) {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.max(1, Math.floor((p * v.length + 99) / 100)) - 1];
}

function expectGroups(rows, keyOf) {
  const g = new Map();
  for (const r of rows) {
    const k = keyOf(r);
    if (!g.has(k)) g.set(k, []);
    g.get(k).push(r);
  }
  return g;
}

function compare(label, got, rows) {
  const sum = (f) => rows.reduce((s, r) => s + r[f], 0);
  assert.equal(got.created, rows.length, `${label} created`);
  for (const f of ['done', 'open', 'overdue', 'transferred']) assert.equal(got[f], sum(f), `${label} ${f}`);
  const done = sum('done');
  const rate = done ? sum('within') / done : null;
  if (rate === null) assert.equal(got.within_deadline_rate, null, `${label} within_deadline_rate`);
  else assert.ok(Math.abs(got.within_deadline_rate - rate) < 1e-9, `${label} within_deadline_rate ${got.within_deadline_rate} != ${rate}`);
  const near = (a, b, what) => {
    if (b === null) return assert.equal(a, null, `${label} ${what}`);
    assert.ok(a !== null && Math.abs(a - b) <= Math.max(1, 0.01 * b), `${label} ${what}: got ${a}, exact ${b}`);
  };
  const fa = rows.filter((r) => r.fa !== null).map((r) => r.fa);
  const dn = rows.filter((r) => r.dn !== null).map((r) => r.dn);
  near(got.first_action_p50_s, pct(fa, 50), 'first_action_p50_s');
  near(got.first_action_p90_s, pct(fa, 90), 'first_action_p90_s');
  near(got.done_p50_s, pct(dn, 50), 'done_p50_s');
  near(got.done_p90_s, pct(dn, 90), 'done_p90_s');
}

test('statistics agree with a recount from the timelines', { timeout: 300_000 }, async () => {
  const agents = users.filter((u) => u.role === 'shop_agent');
  const types = ['order_review', 'shipping', 'waybill', 'out_of_stock', 'after_sales', 'task_memo'];
  const rand = rng(20260301);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  // start just before midnight in Shanghai so the first work orders straddle a day and a month
  // boundary (both are still 31 January in UTC)
  await setClock(lead, '2032-01-31T23:59:30+08:00');
  const ids = [];
  let now = 0;
  const first = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '跨日边界 前' });
  assert.equal(first.status, 201);
  ids.push(first.body.id);
  now = await advance(lead, 60_000); // 00:00:30 the next day
  const second = await lead.post('/api/v1/workorders', { type: 'task_memo', title: '跨日边界 后' });
  ids.push(second.body.id);
  for (let step = 0; step < 260; step++) {
    // 4.5 hours apart on average: about seven weeks, past the end of February
    now = await advance(lead, Math.floor(rand() * rand() * 18 * 3600 * 1000) + 1000);
    const r = rand();
    if (r < 0.3 || ids.length < 5) {
      const body = { type: pick(types), title: `随机工单 ${step}`, handler_id: pick(agents).id };
      if (rand() < 0.4) body.deadline = new Date(now + Math.floor(rand() * 4 * 3600 * 1000) + 60_000).toISOString();
      const c = await lead.post('/api/v1/workorders', body);
      assert.equal(c.status, 201, JSON.stringify(c.body));
      ids.push(c.body.id);
      continue;
    }
    const id = pick(ids);
    const act = pick(['start', 'notes', 'transfer', 'complete', 'complete', 'reopen', 'cancel', 'chase', 'assign']);
    const body = act === 'notes' ? { text: `备注 ${step}` }
      : act === 'transfer' || act === 'assign' ? { to: pick(agents).id, reason: '换人处理' }
        : act === 'reopen' ? { reason: '重开' } : undefined;
    const res = await lead.post(`/api/v1/workorders/${id}/${act}`, body);
    assert.ok([200, 409, 422].includes(res.status), `${act}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the scheduler mark what is overdue

  const rows = [];
  for (const id of ids) {
    const d = await lead.get(`/api/v1/workorders/${id}`);
    assert.equal(d.status, 200);
    rows.push(fromTimeline(d.body));
  }
  const from = dayOf(Date.parse('2032-01-31T12:00:00+08:00'));
  const to = dayOf(now);
  assert.ok(rows.some((r) => r.day === '2032-01-31') && rows.some((r) => r.day === '2032-02-01'), 'the boundary work orders fall on two days');
  assert.ok(to > '2032-03-01', `the activity runs past February (to ${to})`);
  assert.ok(rows.some((r) => r.done) && rows.some((r) => r.overdue) && rows.some((r) => r.transferred), 'the activity covers done, overdue and transferred');

  for (const [group, keyOf] of [['type', (r) => r.type], ['handler', (r) => r.handler], ['day', (r) => r.day]]) {
    const res = await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=${group}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const expected = expectGroups(rows, keyOf);
    const got = new Map(res.body.groups.filter((g) => g.created > 0).map((g) => [g.key, g]));
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), `${group}: the same groups`);
    for (const [k, rs] of expected) compare(`${group}=${k}`, got.get(k), rs);
    compare(`${group} totals`, res.body.totals, rows);
    if (group === 'day') {
      const days = res.body.groups.map((g) => g.key);
      assert.equal(days[0], from);
      assert.equal(days[days.length - 1], to);
    }
  }
  // one day only: the boundary day holds the first memo, not the second
  const d1 = await lead.get('/api/v1/stats?from=2032-01-31&to=2032-01-31&group=type');
  assert.equal(d1.body.totals.created, rows.filter((r) => r.day === '2032-01-31').length);
  // whole months (the monthly rollups alone, or with days at one or both ends) and ranges with
  // no whole month, each against the recount of its days
  const inFeb = (r) => r.day >= '2032-02-01' && r.day <= '2032-02-29';
  const ranges = [['2032-02-01', '2032-02-29'], ['2032-02-01', to], ['2032-01-31', '2032-02-29'], ['2032-02-02', '2032-02-29'], ['2032-02-10', '2032-03-05']];
  for (const [f, t] of ranges) {
    for (const [group, keyOf] of [['type', (r) => r.type], ['handler', (r) => r.handler]]) {
      const res = await lead.get(`/api/v1/stats?from=${f}&to=${t}&group=${group}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const mine = rows.filter((r) => r.day >= f && r.day <= t);
      const got = new Map(res.body.groups.filter((g) => g.created > 0).map((g) => [g.key, g]));
      const expected = expectGroups(mine, keyOf);
      assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), `${f}..${t} by ${group}: the same groups`);
      for (const [k, rs] of expected) compare(`${f}..${t} ${group}=${k}`, got.get(k), rs);
      compare(`${f}..${t} by ${group}: totals`, res.body.totals, mine);
    }
  }
  assert.ok(rows.filter(inFeb).length > 20, 'February has work orders of its own');
  const feb = (await lead.get('/api/v1/stats?from=2032-02-01&to=2032-02-29&group=type')).body;
  assert.equal(feb.totals.created, rows.filter(inFeb).length, 'February in the shop\'s zone: the second memo, not the first');
  // filters
  const ship = await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=handler&type=shipping`);
  compare('type=shipping', ship.body.totals, rows.filter((r) => r.type === 'shipping'));
  const h = agents[0].id;
  const one = await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=type&handler=${h}`);
  compare(`handler=${h}`, one.body.totals, rows.filter((r) => r.handler === h));

  // the CLI reads the same rollups; a rebuild from the work orders gives the same figures
  const before = (await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=handler`)).body;
  const cli = JSON.parse(execFileSync(BIN, ['stats', '--db', srv.db, '--shop', '江南茶舍旗舰店', '--from', from, '--to', to, '--group', 'handler', '--json'], { encoding: 'utf8' }));
  assert.equal(cli.totals.created, before.totals.created);
  assert.equal(cli.totals.done_p90_s, before.totals.done_p90_s);
  execFileSync(BIN, ['stats', 'rebuild', '--db', srv.db, '--shop', '江南茶舍旗舰店'], { stdio: 'pipe' });
  const rebuilt = (await lead.get(`/api/v1/stats?from=${from}&to=${to}&group=handler`)).body;
  assert.deepEqual(rebuilt, before, 'a rebuild from the work orders gives the same statistics');
  const febRebuilt = (await lead.get('/api/v1/stats?from=2032-02-01&to=2032-02-29&group=type')).body;
  assert.deepEqual(febRebuilt, feb, 'and the same whole month (the monthly rollups recomputed)');
});

test('statistics: who may see what', async () => {
  const agent = await client(srv, 'tea_agent1');
  const owner = await client(srv, 'tea_owner');
  const baby = await client(srv, 'baby_lead');
  const xiaoer = await client(srv, 'xiaoer1');
  const q = '/api/v1/stats?from=2025-01-01&to=2034-12-31&group=type';
  assert.equal((await agent.get(q)).status, 403, 'agents see no statistics');
  const mine = await lead.get(q);
  assert.equal(mine.status, 200);
  assert.deepEqual((await owner.get(q)).body, mine.body, 'the owner sees the same shop');
  const other = await baby.get(q);
  assert.equal(other.status, 200);
  assert.notEqual(other.body.totals.created, mine.body.totals.created, 'another shop has its own figures');
  const shopId = lead.user.shop_id;
  assert.equal((await baby.get(`${q}&shop_id=${shopId}`)).status, 404, 'a lead cannot ask for another shop');
  const plat = await xiaoer.get(`${q}&shop_id=${shopId}`);
  assert.equal(plat.status, 200);
  assert.equal(plat.body.totals.created, mine.body.totals.created, 'platform staff see any shop');
  const all = await xiaoer.get(q);
  assert.equal(all.body.totals.created, mine.body.totals.created + other.body.totals.created, 'or all shops');
  assert.equal((await lead.get('/api/v1/stats?from=2031-01-01&to=2030-01-01', undefined, INVALID)).status, 422);
  assert.equal((await lead.get('/api/v1/stats?from=2031-1-1', undefined, INVALID)).status, 422);
  assert.equal((await lead.get('/api/v1/stats?group=week', undefined, INVALID)).status, 422);
  // the shape the workbench reads
  const t = mine.body.totals;
  for (const k of ['created', 'done', 'open', 'overdue', 'transferred', 'first_action_p50_s', 'first_action_p90_s', 'done_p50_s', 'done_p90_s', 'within_deadline_rate']) assert.ok(k in t, k);
  for (const k of ['reply_within_window_rate', 'intervention_rate', 'judged_against_rate', 'appeal_success_rate']) assert.ok(k in t.collab, k);
  assert.ok('dispute_rate' in mine.body);
});
