// Storage hardening: what one signed-in user can make the server hold. Distinct filter
// combinations of the work order list are distinct SQL statements; the statement cache keeps a
// bounded number of them, so memory stays flat however many a client invents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { client, startServer } from './lib.mjs';

let srv, lead;

before(async () => {
  // two threads, so two statement caches fill quickly; no ASan quarantine, so freed memory is
  // given back as it is in a normal build
  srv = await startServer({
    args: ['--threads', '2'],
    env: { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? process.env.ASAN_OPTIONS + ':' : ''}quarantine_size_mb=0` },
  });
  lead = await client(srv, 'tea_lead');
});
after(async () => {
  await srv?.cleanup();
});

const rssKiB = () => Number(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

// The n-th distinct combination of list filters (each bit adds a condition to the SQL).
function filterQuery(n, me) {
  const p = new URLSearchParams();
  const bits = [
    ['handler', me], ['creator', me], ['order_no', 'o'], ['buyer', 'b'],
    ['created_from', '2020-01-01T00:00:00Z'], ['created_to', '2099-01-01T00:00:00Z'],
    ['deadline_from', '2020-01-01T00:00:00Z'], ['deadline_to', '2099-01-01T00:00:00Z'],
    ['type', 'after_sales'], ['state', 'open'],
  ];
  bits.forEach(([k, v], i) => { if (n & (1 << i)) p.set(k, v); });
  p.set('view', ['shop', 'todo', 'created', 'assigned', 'overdue'][(n >> 10) % 5]);
  p.set('sort', ['deadline', '-deadline', 'created', '-created'][Math.floor((n >> 10) / 5) % 4]);
  return '/api/v1/workorders?' + p;
}

test('thousands of distinct filter queries leave the server\'s memory bounded', async () => {
  const me = lead.user.id;
  const run = async (from, to) => {
    for (let n = from; n < to; n++) {
      const r = await lead.get(filterQuery(n, me));
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  };
  await run(0, 1000); // fills both threads' caches
  const warm = rssKiB();
  await run(1000, 3000);
  const grown = rssKiB() - warm;
  // unbounded, 2000 more statements hold about 35 MiB; bounded, the caches only swap them
  console.log(`rss growth ${grown} KiB`);
  assert.ok(grown < 12 * 1024, `RSS grew by ${grown} KiB over 2000 new filter combinations`);
});

// Search indexes each piece of text once: the fields, each note, each remark written with a state
// change. What a user finds is what they wrote, wherever they wrote it.
test('search finds a note after an edit, a completion remark, and terms from different pieces', async () => {
  const search = async (q) => (await lead.get('/api/v1/workorders?view=shop&q=' + encodeURIComponent(q))).body.items.map((w) => w.id);
  let r = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '补发配件 搜索用例', content: '买家缺少滤网' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  r = await lead.post(`/api/v1/workorders/${id}/notes`, { text: '已联系仓库 备注甲乙' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await lead.patch(`/api/v1/workorders/${id}`, { title: '补寄配件 搜索用例' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(await search('补寄配件'), [id], 'the new title');
  assert.deepEqual(await search('补发配件'), [], 'the old title is gone');
  assert.deepEqual(await search('备注甲乙'), [id], 'the note outlives the edit');
  assert.deepEqual(await search('备注甲乙 补寄配件'), [id], 'a note term and a title term together');
  r = await lead.post(`/api/v1/workorders/${id}/start`, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await lead.post(`/api/v1/workorders/${id}/complete`, { text: '已发货 运单号 SF1234567890' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(await search('SF1234567890'), [id], 'a tracking number written when completing');
  assert.deepEqual(await search('sf1234567890 滤网'), [id], 'a remark term and a content term together');
});
