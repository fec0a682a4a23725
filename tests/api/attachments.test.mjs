// Attachments on every work order (issue 8): added on create, with a note or on their own (the ids
// of POST /attachments uploads), shown in the work order with their thumbnails, the same limits and
// tenant rules as collaborative evidence, timeline events; thumbnails made on the server, and the
// hostile images of the issue (a PNG bomb, a truncated JPEG, a PNG of noise data, a PDF with a bad
// xref, files lying about their type) answered with a clear error while the server carries on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, INVALID, isStored, startServer } from './lib.mjs';
import { JPEG, JPEG_TRUNCATED, PDF_BAD_XREF, png, pngBomb, pngGarbage, webpSize } from './images.mjs';

let srv, lead, agent, agent2, other, platform;

before(async () => {
  srv = await startServer();
  [lead, agent, agent2, other, platform] = await Promise.all(
    ['tea_lead', 'tea_agent1', 'tea_agent2', 'baby_lead', 'xiaoer1'].map((u) => client(srv, u)),
  );
});
after(async () => { await srv?.cleanup(); });

async function upload(c, files) {
  const fd = new FormData();
  for (const [name, data, type] of files) fd.append('file', new Blob([data], { type }), name);
  return c.post('/api/v1/attachments', fd);
}
async function uploadOne(c, name, data, type) {
  const r = await upload(c, [[name, data, type]]);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const detail = async (c, id) => (await c.get(`/api/v1/workorders/${id}`)).body;
async function raw(c, path) {
  const r = await fetch(srv.base + path, { headers: c.headers });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}
async function metric(name) {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : NaN;
}
async function createWith(c, ids, extra = {}, headers = {}) {
  return c.post('/api/v1/workorders', { type: 'after_sales', title: '买家收到破损商品', content: '见照片', attachment_ids: ids, ...extra }, headers);
}

test('create with two photos: linked, listed with thumbnails, named in the created event', async () => {
  const photo = await uploadOne(lead, '破损外箱.png', png(1200, 900), 'image/png');
  const jpeg = await uploadOne(lead, '签收单.jpg', JPEG, 'image/jpeg');
  const r = await createWith(lead, [photo.id, jpeg.id], { handler_id: agent.user.id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const d = await detail(lead, r.body.id);
  assert.deepEqual(d.attachments.map((x) => [x.filename, x.mime, x.purpose]),
    [['破损外箱.png', 'image/png', 'create'], ['签收单.jpg', 'image/jpeg', 'create']]);
  assert.equal(d.attachments[0].thumbnail_url, `/api/v1/attachments/${photo.id}/thumbnail`);
  assert.equal(d.events[0].kind, 'created');
  assert.deepEqual(d.events[0].data.attachments.map((x) => x.filename), ['破损外箱.png', '签收单.jpg']);

  // the thumbnail: a WebP of at most 320 px a side, made once per content
  const made = await metric('gongdan_thumbnails_made_total');
  const t = await raw(lead, photo.thumbnail_url ?? `/api/v1/attachments/${photo.id}/thumbnail`);
  assert.equal(t.status, 200);
  assert.equal(t.headers.get('content-type'), 'image/webp');
  assert.deepEqual(webpSize(t.bytes), { width: 320, height: 240 });
  assert.ok(isStored(srv, 'thumbnails', photo.sha256 + '.webp'));
  const again = await raw(lead, `/api/v1/attachments/${photo.id}/thumbnail`);
  assert.deepEqual(again.bytes, t.bytes);
  assert.equal(await metric('gongdan_thumbnails_made_total'), made + 1, 'the second request is served from the cache');
  // a small image is not enlarged
  const small = await raw(lead, `/api/v1/attachments/${jpeg.id}/thumbnail`);
  assert.equal(small.status, 200);
  assert.deepEqual(webpSize(small.bytes), { width: 64, height: 48 });

  // the handler (an agent) sees them; another shop and an agent of the shop who is no party do not
  assert.equal((await raw(agent, `/api/v1/attachments/${photo.id}/thumbnail`)).status, 200);
  for (const c of [other, agent2, platform]) {
    assert.equal((await raw(c, `/api/v1/attachments/${photo.id}`)).status, 404, c.username);
    assert.equal((await raw(c, `/api/v1/attachments/${photo.id}/thumbnail`)).status, 404, c.username);
  }
  // in-page preview: ?inline=1 for images and PDFs; downloads otherwise
  const inline = await raw(lead, `/api/v1/attachments/${photo.id}?inline=1`);
  assert.match(inline.headers.get('content-disposition'), /^inline;/);
  assert.equal(inline.headers.get('x-content-type-options'), 'nosniff');
  assert.match((await raw(lead, `/api/v1/attachments/${photo.id}`)).headers.get('content-disposition'), /^attachment;/);
});

test('with a note, or on their own: events noted and attached, for whoever may note', async () => {
  const wo = (await lead.post('/api/v1/workorders', { type: 'customer_memo', title: '备忘', handler_id: agent.user.id })).body;
  const a = await uploadOne(agent, '聊天截图.png', png(40, 30, { seed: 7 }), 'image/png');
  const note = await agent.post(`/api/v1/workorders/${wo.id}/notes`, { text: '买家补充了截图', attachment_ids: [a.id] });
  assert.equal(note.status, 200, JSON.stringify(note.body));
  assert.equal(note.body.version, wo.version + 1);
  const b = await uploadOne(agent, '物流.pdf', PDF_BAD_XREF, 'application/pdf');
  const alone = await agent.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [b.id] });
  assert.equal(alone.status, 200, JSON.stringify(alone.body));
  const c = await uploadOne(agent, '再一张.png', png(40, 30, { seed: 8 }), 'image/png');
  const noText = await agent.post(`/api/v1/workorders/${wo.id}/notes`, { attachment_ids: [c.id] });
  assert.equal(noText.status, 200, 'a note of files alone needs no text');
  const d = await detail(lead, wo.id);
  const evs = d.events.slice(1);
  assert.deepEqual(evs.map((e) => e.kind), ['noted', 'attached', 'attached']);
  assert.equal(evs[0].data.text, '买家补充了截图');
  assert.deepEqual(evs[0].data.attachments, [{ id: a.id, filename: '聊天截图.png', mime: 'image/png' }]);
  assert.equal(evs[1].data.attachments[0].mime, 'application/pdf');
  assert.equal(evs[1].data.text, undefined);
  assert.deepEqual(d.attachments.map((x) => x.purpose), ['note', 'attach', 'attach']);
  // a PDF has no thumbnail (the page shows an icon) but previews in the page
  const pdf = d.attachments[1];
  assert.equal(pdf.thumbnail_url, null);
  const t = await agent.get(`/api/v1/attachments/${b.id}/thumbnail`);
  assert.equal(t.status, 404);
  assert.match(t.body.error.message, /only images have a thumbnail/);
  const inline = await raw(agent, `/api/v1/attachments/${b.id}?inline=1`);
  assert.equal(inline.status, 200);
  assert.equal(inline.headers.get('content-type'), 'application/pdf');
  assert.match(inline.headers.get('content-disposition'), /^inline;/);
  // the text is still required when no files come; the files route needs files
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/notes`, {})).body.error.field, 'text');
  const none = await agent.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [] });
  assert.equal(none.status, 422);
  assert.equal(none.body.error.field, 'attachment_ids');
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/attachments`, { text: 'x' }, INVALID)).status, 422, 'unknown field');
  // another shop: 404; an agent of the shop who is no party: 404 (may not open it)
  const d2 = await uploadOne(other, 'x.png', png(8, 8), 'image/png');
  assert.equal((await other.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [d2.id] })).status, 404);
  const e = await uploadOne(agent2, 'y.png', png(8, 8, { seed: 3 }), 'image/png');
  assert.equal((await agent2.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [e.id] })).status, 404);
});

test('refusals write nothing: another user\'s upload, a linked one, too many, a collaborative case', async () => {
  const before = (await lead.get('/api/v1/workorders?view=created&limit=200')).body.items.length;
  const mine = await uploadOne(lead, 'ok.png', png(10, 10, { seed: 11 }), 'image/png');
  const theirs = await uploadOne(agent, 'theirs.png', png(10, 10, { seed: 12 }), 'image/png');
  const r = await createWith(lead, [mine.id, theirs.id]);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'attachment_ids');
  assert.match(r.body.error.message, new RegExp(`${theirs.id} is not an unused upload of yours`));
  assert.equal((await lead.get('/api/v1/workorders?view=created&limit=200')).body.items.length, before, 'no work order was made');
  // nothing was linked either: the first upload is still free to use
  const ok = await createWith(lead, [mine.id]);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const reuse = await createWith(lead, [mine.id]);
  assert.equal(reuse.status, 422, 'already linked');
  const tooMany = [];
  for (let i = 0; i < 10; i++) tooMany.push((await uploadOne(lead, `p${i}.png`, png(4, 4, { seed: 100 + i }), 'image/png')).id);
  const many = await createWith(lead, tooMany);
  assert.equal(many.status, 413);
  assert.equal(many.body.error.field, 'attachment_ids');
  assert.match(many.body.error.message, /at most 9 files per submission \(attachments\.max_files\)/);
  const bad = await createWith(lead, ['abc'], {}, INVALID);
  assert.equal(bad.status, 422);
  const twice = await createWith(lead, [tooMany[0], tooMany[0]], {}, INVALID);
  assert.equal(twice.status, 422);
  assert.match(twice.body.error.message, /listed twice/);
  const huge = await createWith(lead, Array.from({ length: 17 }, (_, i) => String(1000 + i)), {}, INVALID);
  assert.equal(huge.status, 422);
  assert.match(huge.body.error.message, /at most 16 ids/);

  // a collaborative case takes files as evidence, not as notes
  const orders = (await lead.get('/api/v1/orders?limit=1')).body.items;
  const cse = await platform.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: orders[0].order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'refund' });
  assert.equal(cse.status, 201, JSON.stringify(cse.body));
  const x = await uploadOne(lead, 'ev.png', png(6, 6, { seed: 21 }), 'image/png');
  const n = await lead.post(`/api/v1/workorders/${cse.body.id}/attachments`, { attachment_ids: [x.id] });
  assert.equal(n.status, 422);
  assert.match(n.body.error.message, /evidence/);
  // the case page lists its evidence with thumbnails too
  const rep = await lead.post(`/api/v1/workorders/${cse.body.id}/reply`, { option: 'not_agreed', description: '见图', attachment_ids: [x.id] });
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  const cd = await detail(platform, cse.body.id);
  assert.equal(cd.attachments[0].purpose, 'reply');
  assert.equal((await raw(platform, cd.attachments[0].thumbnail_url)).status, 200);
});

test('hostile images: a clear error, remembered, and the server carries on', async () => {
  const wo = (await lead.post('/api/v1/workorders', { type: 'after_sales', title: '坏图' })).body;
  const bomb = await uploadOne(lead, 'bomb.png', pngBomb(), 'image/png');
  const trunc = await uploadOne(lead, 'cut.jpg', JPEG_TRUNCATED, 'image/jpeg');
  const noise = await uploadOne(lead, 'noise.png', pngGarbage(), 'image/png');
  assert.equal(bomb.mime, 'image/png');
  assert.ok(bomb.size < 2000, 'a tiny file');
  const linked = await lead.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [bomb.id, trunc.id, noise.id] });
  assert.equal(linked.status, 200, JSON.stringify(linked.body));

  const refusedPixels = await metric('gongdan_thumbnails_refused_total{limit="max_pixels"}');
  const b = await lead.get(`/api/v1/attachments/${bomb.id}/thumbnail`);
  assert.equal(b.status, 413);
  assert.equal(b.body.error.code, 'too_large');
  assert.match(b.body.error.message, /100000×100000 pixels, more than the thumbnail limit of 50 megapixels \(thumbnail\.max_pixels\)/);
  const b2 = await lead.get(`/api/v1/attachments/${bomb.id}/thumbnail`);
  assert.equal(b2.status, 413, 'the refusal is remembered');
  assert.equal(await metric('gongdan_thumbnails_refused_total{limit="max_pixels"}'), refusedPixels + 1, 'decoded once');
  for (const x of [trunc, noise]) {
    const r = await lead.get(`/api/v1/attachments/${x.id}/thumbnail`);
    assert.equal(r.status, 422, x.filename);
    assert.equal(r.body.error.code, 'unreadable_image');
    assert.match(r.body.error.message, new RegExp(`no thumbnail of attachment ${x.id}: the image`));
  }
  // the files themselves still download as stored
  assert.deepEqual((await raw(lead, `/api/v1/attachments/${trunc.id}`)).bytes, JPEG_TRUNCATED);
  // files lying about their type never get in
  const lie = await upload(lead, [['photo.jpg', png(5, 5), 'image/jpeg']]);
  assert.equal(lie.status, 422);
  assert.equal(lie.body.error.code, 'type_mismatch');
  const text = await upload(lead, [['photo.png', Buffer.from('not an image at all\n'), 'image/png']]);
  assert.equal(text.status, 415);
  // still serving, and a good image after the bad ones
  assert.equal((await fetch(srv.base + '/healthz')).status, 200);
  const good = await uploadOne(lead, 'good.png', png(640, 480, { seed: 5 }), 'image/png');
  await lead.post(`/api/v1/workorders/${wo.id}/attachments`, { attachment_ids: [good.id] });
  const g = await raw(lead, `/api/v1/attachments/${good.id}/thumbnail`);
  assert.equal(g.status, 200);
  assert.deepEqual(webpSize(g.bytes), { width: 320, height: 240 });
});
