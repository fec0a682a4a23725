// The rendered row cache (src/http/rowcache.c): a list view after a write reads its page's keys,
// takes the rows it rendered before at the same version and names, and renders only the rest.
// Its answers must be byte for byte what a fresh render writes: a second server on the same
// database, with the row cache off, renders every view afresh, and after writes of every kind
// (create, edit, assign, transfer, notes, chase, start, complete, reopen, cancel, attachments,
// bulk actions, the deadline engine's overdue mark, a person renamed, a write from outside the
// server) both servers' answers are compared as bytes. Both servers have the view cache off, so
// every view below goes through the row cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, sqlExec, until } from './lib.mjs';
import { png } from './images.mjs';

let srv, fresh, lead, agent1, agent2, otherLead;

before(async () => {
  srv = await startServer({ testClock: true, env: { GONGDAN_VIEW_CACHE: '0' } });
  fresh = await startServer({ db: srv.db, dir: srv.dir, env: { GONGDAN_VIEW_CACHE: '0', GONGDAN_ROW_CACHE_MB: '0' } });
  [lead, agent1, agent2, otherLead] = await Promise.all(['tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead'].map((u) => client(srv, u)));
});
after(async () => {
  await fresh?.stop();
  await srv?.cleanup();
});

async function metric(s, name) {
  const text = await (await fetch(s.base + '/metrics')).text();
  const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : NaN;
}

const VIEWS = [
  '/api/v1/workorders?view=todo&limit=50',
  '/api/v1/workorders?view=shop&sort=-created&limit=50',
  '/api/v1/workorders?view=shop&sort=deadline&limit=7',
  '/api/v1/workorders?view=created&sort=created&limit=50',
  '/api/v1/workorders?view=assigned&limit=50',
  '/api/v1/workorders?view=shop&state=in_progress&limit=50',
];

// The answer's bytes from a server (identity coding: the bytes as rendered).
async function raw(s, c, path) {
  const r = await fetch(s.base + path, { headers: { ...c.headers, 'accept-encoding': 'identity' } });
  assert.equal(r.status, 200, path);
  return r.text();
}

// Every view of every user, and its next page when there is one, the same bytes from both
// servers.
async function sameAsFresh(what) {
  for (const c of [lead, agent1, agent2, otherLead]) {
    // the shop views are the leads' (docs/permissions.md)
    for (const view of VIEWS.filter((v) => c === lead || c === otherLead || !v.includes('view=shop'))) {
      let path = view;
      for (let page = 0; page < 3 && path; page++) {
        const kept = await raw(srv, c, path);
        assert.equal(kept, await raw(fresh, c, path), `after ${what}: ${c.username} ${path}`);
        const next = JSON.parse(kept).next_cursor;
        path = next ? `${view}&cursor=${next}` : null;
      }
    }
  }
}

async function create(c, body) {
  const r = await c.post('/api/v1/workorders', { type: 'after_sales', content: '行缓存', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function ok(r, what) {
  assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

test('a view after a write renders only the rows that changed, and reads as a fresh render', async () => {
  const a = await create(lead, { title: '行缓存 甲', handler_id: agent1.user.id });
  for (let i = 0; i < 5; i++) await create(lead, { title: `行缓存 填充 ${i}`, handler_id: agent1.user.id });
  const todo = VIEWS[0];
  await raw(srv, agent1, todo); // every row of the page rendered and kept
  const hits0 = await metric(srv, 'gongdan_row_cache_requests_total{result="hit"}');
  const misses0 = await metric(srv, 'gongdan_row_cache_requests_total{result="miss"}');
  const before = JSON.parse(await raw(srv, agent1, todo)).items.length;
  assert.ok(before >= 6, `${before} rows in the todo view`);
  assert.equal(await metric(srv, 'gongdan_row_cache_requests_total{result="hit"}') - hits0, before, 'an unchanged page is every row kept');
  assert.equal(await metric(srv, 'gongdan_row_cache_requests_total{result="miss"}'), misses0);

  await ok(await agent1.patch(`/api/v1/workorders/${a.id}`, { title: '行缓存 甲 改' }), 'edit');
  const misses1 = await metric(srv, 'gongdan_row_cache_requests_total{result="miss"}');
  const items = JSON.parse(await raw(srv, agent1, todo)).items;
  assert.equal(items.find((w) => w.id === a.id).title, '行缓存 甲 改', 'the edit is in the next view');
  assert.equal(await metric(srv, 'gongdan_row_cache_requests_total{result="miss"}') - misses1, 1, 'only the edited row is rendered again');
  assert.ok(await metric(srv, 'gongdan_row_cache_rows') >= before);
  assert.ok(await metric(srv, 'gongdan_row_cache_bytes') > 0);
  assert.equal(await metric(srv, 'gongdan_row_cache_bound_bytes'), 64 * 1024 * 1024);
  assert.equal(await metric(fresh, 'gongdan_row_cache_bound_bytes'), 0, 'GONGDAN_ROW_CACHE_MB=0 turns it off');
  await sameAsFresh('an edit');
});

test('after writes of every kind the kept rows read as a fresh render', async () => {
  const w = [];
  for (let i = 0; i < 8; i++) {
    w.push(await create(lead, { title: `各种写入 ${i}`, handler_id: agent1.user.id, deadline: new Date(Date.now() + 3600e3).toISOString() }));
  }
  await create(otherLead, { title: '别家的 行缓存', handler_id: otherLead.user.id });
  await sameAsFresh('creates'); // every view rendered and kept on both sides

  const steps = [
    ['assign', () => lead.post(`/api/v1/workorders/${w[0].id}/assign`, { to: agent2.user.id })],
    ['transfer', () => agent1.post(`/api/v1/workorders/${w[1].id}/transfer`, { to: agent2.user.id, reason: '换人' })],
    ['a note', () => agent1.post(`/api/v1/workorders/${w[2].id}/notes`, { text: '买家补充了截图' })],
    ['a chase', () => lead.post(`/api/v1/workorders/${w[2].id}/chase`, { text: '请尽快' })],
    ['start', () => agent1.post(`/api/v1/workorders/${w[3].id}/start`)],
    ['complete', () => agent1.post(`/api/v1/workorders/${w[3].id}/complete`, { text: '已处理' })],
    ['reopen', () => lead.post(`/api/v1/workorders/${w[3].id}/reopen`, { reason: '买家又来了' })],
    ['cancel', () => lead.post(`/api/v1/workorders/${w[4].id}/cancel`, { reason: '重复' })],
    ['an edit of priority and deadline', () => lead.patch(`/api/v1/workorders/${w[5].id}`, { priority: 'urgent', deadline: new Date(Date.now() + 7200e3).toISOString() })],
    ['an attachment', async () => {
      const fd = new FormData();
      fd.append('file', new Blob([png(8, 8)], { type: 'image/png' }), 'a.png');
      const up = await ok(await agent1.post('/api/v1/attachments', fd), 'upload');
      return agent1.post(`/api/v1/workorders/${w[6].id}/attachments`, { attachment_ids: [up.items[0].id] });
    }],
    ['a bulk transfer', () => lead.post('/api/v1/workorders/bulk', { action: 'transfer', ids: [w[6].id, w[7].id], to: agent2.user.id, reason: '人手调整' })],
    ['a bulk note', () => lead.post('/api/v1/workorders/bulk', { action: 'note', ids: [w[5].id, w[7].id], text: '已复核' })],
  ];
  for (const [what, step] of steps) {
    await ok(await step(), what);
    await sameAsFresh(what);
  }
});

test('the overdue mark of the deadline engine is in the next view', async () => {
  // the deadline two hours away: the row is kept rendered (not overdue) before the clock moves
  const w = await create(lead, { title: '会超时的', handler_id: agent1.user.id, deadline: new Date(Date.now() + 7200e3).toISOString() });
  await sameAsFresh('a create');
  const kept = JSON.parse(await raw(srv, agent1, VIEWS[0])).items.find((x) => x.id === w.id);
  assert.equal(kept.overdue, false);
  const r = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 3 * 3600e3 }) });
  assert.equal(r.status, 200);
  const marked = await until(async () => (await lead.get(`/api/v1/workorders/${w.id}`)).body.workorder.overdue, 10000);
  assert.equal(marked, true, 'the engine marked it overdue');
  // the mark keeps the version (a user's If-Match still holds): the row is known by the clock
  assert.equal((await lead.get(`/api/v1/workorders/${w.id}`)).body.workorder.version, kept.version);
  const row = JSON.parse(await raw(srv, agent1, VIEWS[0])).items.find((x) => x.id === w.id);
  assert.equal(row.overdue, true, 'the kept row was not served');
  await sameAsFresh('the overdue mark');
});

test('a person renamed is in the next view, with no version of the work order moved', async () => {
  const w = await create(lead, { title: '改名前', handler_id: agent2.user.id });
  await sameAsFresh('a create');
  const name = `小二改名 ${Date.now()}`;
  await ok(await lead.patch(`/api/v1/users/${agent2.user.id}`, { display_name: name }), 'rename');
  const row = JSON.parse(await raw(srv, agent2, VIEWS[0])).items.find((x) => x.id === w.id);
  assert.equal(row.handler.display_name, name);
  assert.equal(row.version, w.version, 'the work order itself did not change');
  await sameAsFresh('a rename of the handler');
  await ok(await lead.patch(`/api/v1/users/${lead.user.id}`, { display_name: `组长改名 ${Date.now()}` }), 'rename');
  await sameAsFresh('a rename of the creator');
});

test('a write from outside the server that moves the version is in the next view', async () => {
  const [first] = JSON.parse(await raw(srv, agent1, VIEWS[0])).items;
  sqlExec(srv.db, `UPDATE workorders SET title = '库外改的', version = version + 1 WHERE id = ${first.id}`);
  const row = JSON.parse(await raw(srv, agent1, VIEWS[0])).items.find((x) => x.id === first.id);
  assert.equal(row.title, '库外改的');
  await sameAsFresh('an outside write');
});

test('a collaborative case past its platform step\'s due time is kept rendered: the overdue mark never comes for it', async () => {
  const xiaoer = await client(srv, 'xiaoer1');
  const [order] = (await lead.get('/api/v1/orders?limit=1')).body.items;
  const c = await ok(await xiaoer.post('/api/v1/collab', {
    shop_id: lead.user.shop_id, order_no: order.order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'return_refund',
  }), 'the platform pushes a case');
  await ok(await lead.post(`/api/v1/workorders/${c.id}/reply`, { option: 'not_agreed', description: '不同意' }), 'the seller disagrees');
  // past the intervention's due time: the platform's lateness is an internal event, and the
  // work order is not flagged overdue for the shop (docs/collab.md)
  const r = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 60 * 86400e3 }) });
  assert.equal(r.status, 200);
  const late = await until(async () => (await xiaoer.get(`/api/v1/workorders/${c.id}`)).body.events.some((e) => e.kind === 'overdue'), 10000);
  assert.ok(late, 'the platform step\'s due time fired');
  const view = VIEWS[1]; // the lead's shop view, newest first: the case is on its first page
  const row = JSON.parse(await raw(srv, lead, view)).items.find((x) => x.id === c.id);
  assert.equal(row.state, 'intervention');
  assert.equal(row.overdue, false);
  // once the engine has marked what the clock made overdue, a view renders nothing again; a row
  // rendered not overdue and past due was rendered afresh on every view
  const misses = () => metric(srv, 'gongdan_row_cache_requests_total{result="miss"}');
  const settled = await until(async () => {
    const before = await misses();
    await raw(srv, lead, view);
    return (await misses()) === before;
  }, 10000);
  assert.ok(settled, 'every view of the page rendered a row again');
  await sameAsFresh('a case past its platform step');
});
