// Retention: the scheduler's janitor pass removes what has outlived its rule (sessions at
// expiry, idempotency keys and unlinked uploads after 24 h, export files 7 days after the job
// finished), driven here by the test clock; what is still in use stays. Rows are read straight
// from the database (lib.mjs's sqlRows; the API cannot show a removed row, only its effect).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, isStored, sqlRows, startServer, storedKeys, until } from './lib.mjs';

const HOUR = 3600e3;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
let srv, lead, xiaoer;

before(async () => {
  srv = await startServer({ testClock: true });
  [lead, xiaoer] = await Promise.all([client(srv, 'tea_lead'), client(srv, 'xiaoer1')]);
});
after(async () => {
  await srv?.cleanup();
});

const sql = (q) => sqlRows(srv.db, q);
const advance = async (ms) => {
  const r = await fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: ms }) });
  assert.equal(r.status, 200);
};
const removed = async (kind) => {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const m = text.match(new RegExp(`^gongdan_retention_removed_total\\{kind="${kind}"\\} (\\d+)$`, 'm'));
  assert.ok(m, `metric for ${kind}`);
  return Number(m[1]);
};
async function upload(c, name) {
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.concat([PNG, Buffer.from(name)])], { type: 'image/png' }), name + '.png');
  const r = await c.post('/api/v1/attachments', fd);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const files = () => storedKeys(srv, 'attachments');

test('the janitor removes expired sessions, old idempotency keys, unlinked uploads and old export files; what is in use stays', { timeout: 120_000 }, async () => {
  // a session that will expire (12 h), and one signed in later that will still be live
  const old = await client(srv, 'tea_agent1', { cookie: true });
  const sessionsBefore = sql('SELECT count(*) FROM sessions')[0][0];
  // an idempotency key
  const k = { 'idempotency-key': 'retention-key-1' };
  const first = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '保留期 幂等' }, k);
  assert.equal(first.status, 201);
  assert.equal((await lead.post('/api/v1/workorders', { type: 'after_sales', title: '保留期 幂等' }, k)).body.id, first.body.id, 'a retry within the day replays');
  // two uploads: one linked to a work order (evidence of a reply), one never linked
  const kept = await upload(lead, 'kept');
  const orphan = await upload(lead, 'orphan');
  // its uploader looked at its thumbnail (made and kept under thumbnails/)
  assert.equal((await lead.get(`/api/v1/attachments/${orphan.id}/thumbnail`)).status, 200);
  const thumb = () => isStored(srv, 'thumbnails', orphan.sha256 + '.webp');
  assert.ok(thumb());
  const order = (await lead.get('/api/v1/orders?limit=1')).body.items[0];
  const wo = (await xiaoer.post('/api/v1/collab', { shop_id: lead.user.shop_id, order_no: order.order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'return_refund' })).body;
  const reply = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'unreachable', contact_at: new Date(Date.parse(wo.created_at) + 1000).toISOString(), attachment_ids: [kept.id] });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(files().length, 2);
  // a finished export
  let job = (await lead.post('/api/v1/exports', { format: 'csv', view: 'shop' })).body;
  job = await until(async () => { const j = (await lead.get(`/api/v1/exports/${job.id}`)).body; return j.state === 'done' && j; }, 20000);
  assert.ok(job, 'the export finished');
  // the job names its file by key (<id>.<format>, a blob of the store)
  const exportKey = sql(`SELECT path FROM exports WHERE id = ${job.id}`)[0][0];
  assert.equal(exportKey, `${job.id}.csv`);
  const exportFile = () => isStored(srv, 'exports', exportKey);
  assert.ok(exportFile());

  // 6 h on, sign in again: this session (12 h) outlives the first
  await advance(6 * HOUR);
  const live = await client(srv, 'tea_agent1', { cookie: true });
  const base = { session: await removed('session'), idem: await removed('idempotency_key'), upload: await removed('unlinked_upload'), export: await removed('export_file') };

  // 13 h after the start: the first session expired, the second is live
  await advance(7 * HOUR);
  assert.ok(await until(async () => (await removed('session')) > base.session, 10000), 'the janitor removed the expired session');
  assert.equal(await removed('session') - base.session, 1);
  assert.equal(sql('SELECT count(*) FROM sessions')[0][0], sessionsBefore, 'the expired session row is gone, the live one stays');
  assert.equal((await old.get('/api/v1/me')).status, 401);
  assert.equal((await live.get('/api/v1/me')).status, 200, 'a live session stays');
  assert.equal(await removed('idempotency_key'), base.idem, 'a 13 h old key stays');
  assert.equal(await removed('unlinked_upload'), base.upload, 'a 13 h old upload stays');

  // 25 h after the start: the key and the orphan upload are a day old
  await advance(12 * HOUR);
  assert.ok(await until(async () => (await removed('unlinked_upload')) > base.upload, 10000), 'the janitor removed the upload');
  assert.equal(await removed('idempotency_key') - base.idem, 1);
  assert.deepEqual(sql("SELECT count(*) FROM idempotency WHERE key = 'retention-key-1'"), [[0]]);
  const again = await lead.post('/api/v1/workorders', { type: 'after_sales', title: '保留期 幂等' }, k);
  assert.equal(again.status, 201);
  assert.notEqual(again.body.id, first.body.id, 'after a day the key is forgotten');
  assert.equal(await removed('unlinked_upload') - base.upload, 1);
  assert.deepEqual(sql(`SELECT id FROM attachments WHERE id IN (${kept.id}, ${orphan.id})`), [[Number(kept.id)]]);
  assert.equal(files().length, 1, 'the orphan\'s file is gone, the linked one\'s stays');
  assert.ok(!thumb(), 'and its thumbnail with it');
  assert.equal((await lead.get(`/api/v1/attachments/${kept.id}`)).status, 200);
  assert.equal((await lead.get(`/api/v1/attachments/${orphan.id}`)).status, 404);
  // the export file is younger than 7 days
  assert.ok(exportFile());
  assert.equal((await fetch(`${srv.base}/api/v1/exports/${job.id}/file`, { headers: lead.headers })).status, 200);

  // 7 days after the export finished: its file goes, the job stays and says so
  await advance(6 * 24 * HOUR);
  assert.ok(await until(async () => (await removed('export_file')) > base.export, 10000), 'the export file was removed');
  assert.ok(!exportFile());
  const after = (await lead.get(`/api/v1/exports/${job.id}`)).body;
  assert.equal(after.state, 'expired');
  const dl = await fetch(`${srv.base}/api/v1/exports/${job.id}/file`, { headers: lead.headers });
  assert.equal(dl.status, 410);
  const body = await dl.json();
  assert.equal(body.error.code, 'gone');
  assert.match(body.error.message, /removed 7 days after the export finished.*export again/);
  assert.equal((await lead.get(`/api/v1/attachments/${kept.id}`)).status, 200, 'a linked attachment never expires');
});
