// The platform sees shops (issue 8): its lists and case pages name the shop of every case (a
// work order's number is per shop, so GD-000123 alone is ambiguous across shops), filter by shop
// and sort by shop, with keyset paging that holds across the shop boundary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer } from './lib.mjs';

let srv, platform, tea, baby;

before(async () => {
  srv = await startServer();
  [platform, tea, baby] = await Promise.all(['xiaoer1', 'tea_lead', 'baby_lead'].map((u) => client(srv, u)));
});
after(async () => { await srv?.cleanup(); });

async function openCase(shop) {
  const order = (await shop.get('/api/v1/orders?limit=1')).body.items[0];
  const r = await platform.post('/api/v1/collab', { shop_id: shop.user.shop_id, order_no: order.order_no,
    category: '描述不符', complaint: '颜色不一致', remedy: 'refund' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('cases name their shop; the list filters and sorts by shop', async () => {
  const cases = [await openCase(tea), await openCase(baby), await openCase(tea), await openCase(baby)];
  assert.equal(cases[0].shop_id, tea.user.shop_id);
  assert.equal(cases[1].shop_id, baby.user.shop_id);

  const d = (await platform.get(`/api/v1/workorders/${cases[1].id}`)).body;
  assert.deepEqual(d.shop, { id: baby.user.shop_id, name: baby.user.shop_name });

  const all = (await platform.get('/api/v1/workorders?view=created&limit=200')).body.items;
  assert.deepEqual(new Set(all.map((w) => w.shop_id)), new Set([tea.user.shop_id, baby.user.shop_id]));
  const onlyTea = (await platform.get(`/api/v1/workorders?view=created&shop_id=${tea.user.shop_id}`)).body.items;
  assert.ok(onlyTea.length >= 2);
  assert.ok(onlyTea.every((w) => w.shop_id === tea.user.shop_id));

  // sort=shop pages through every case grouped by shop, one at a time
  for (const sort of ['shop', '-shop']) {
    const seen = [];
    let cursor = null;
    do {
      const r = await platform.get(`/api/v1/workorders?view=created&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      seen.push(...r.body.items);
      cursor = r.body.next_cursor;
    } while (cursor);
    assert.equal(seen.length, all.length, sort);
    const keys = seen.map((w) => [BigInt(w.shop_id), BigInt(w.id)]);
    const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
    if (sort === '-shop') sorted.reverse();
    assert.deepEqual(keys, sorted, sort);
  }
  assert.equal((await platform.get('/api/v1/workorders?view=created&shop_id=abc', undefined, INVALID)).status, 422);
  assert.equal((await platform.get('/api/v1/workorders?view=created&sort=shopname', undefined, INVALID)).status, 422);
  // a shop's own list never reaches another shop, whatever shop_id it names
  const cross = await tea.get(`/api/v1/workorders?view=shop&shop_id=${baby.user.shop_id}`);
  assert.equal(cross.status, 200);
  assert.deepEqual(cross.body.items, []);
  const own = await tea.get(`/api/v1/workorders?view=shop&shop_id=${tea.user.shop_id}&limit=5`);
  assert.ok(own.body.items.length > 0);
});
