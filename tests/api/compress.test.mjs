// gzip of the API's JSON answers (http/compress.c): a JSON answer of at least 1024 bytes is sent
// gzipped when Accept-Encoding takes gzip, with Vary: Accept-Encoding either way; smaller answers,
// clients that do not take gzip (absent header, q=0, br only) and the live stream (SSE) get the
// bytes as they are. A list view is compressed once when the view cache stores it: a hit sends
// the stored gzip and compresses nothing (the send-time counters stay still).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { startServer, client } from './lib.mjs';

let srv, lead;
before(async () => {
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
});
after(async () => { await srv.cleanup(); });

// fetch() would ask for and undo gzip itself; this sends exactly the headers given and returns
// the bytes as they came (the stream is cut after its first bytes).
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(srv.base + path, { headers: { ...lead.headers, ...headers } }, (res) => {
      const chunks = [];
      const done = () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
      res.on('data', (c) => {
        chunks.push(c);
        if (res.headers['content-type']?.startsWith('text/event-stream')) { req.destroy(); done(); }
      });
      res.on('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

const metric = async (name) => {
  const text = await (await fetch(srv.base + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ')[1]) : undefined;
};

const LIST = '/api/v1/workorders?view=shop&limit=50';

test('a list view is gzipped for a client that takes gzip, and the same JSON as it is for one that does not', async () => {
  const plain = await get(LIST);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.ok(plain.body.length >= 1024, `the view is ${plain.body.length} bytes`);
  const items = JSON.parse(plain.body).items;
  assert.ok(items.length > 10);

  for (const accept of ['gzip', 'gzip, deflate, br', 'br;q=1, gzip;q=0.5', '*']) {
    const gz = await get(LIST, { 'accept-encoding': accept });
    assert.equal(gz.status, 200, accept);
    assert.equal(gz.headers['content-encoding'], 'gzip', accept);
    assert.equal(gz.headers.vary, 'Accept-Encoding', accept);
    assert.equal(gz.headers['content-type'], 'application/json', accept);
    assert.ok(gz.body.length < plain.body.length / 3, `${accept}: ${gz.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body)).items, items, accept);
  }
  for (const accept of ['gzip;q=0', 'br', 'identity', '*;q=0']) {
    const r = await get(LIST, { 'accept-encoding': accept });
    assert.equal(r.headers['content-encoding'], undefined, accept);
    assert.equal(r.headers.vary, 'Accept-Encoding', accept);
    assert.deepEqual(JSON.parse(r.body).items, items, accept);
  }
});

test('a work order (not a cached view) is gzipped as it is sent, and counted', async () => {
  const id = JSON.parse((await get(LIST)).body).items[0].id;
  const before = await metric('gongdan_http_compressed_responses_total');
  const plain = await get(`/api/v1/workorders/${id}`);
  const gz = await get(`/api/v1/workorders/${id}`, { 'accept-encoding': 'gzip' });
  assert.equal(gz.status, 200);
  assert.ok(plain.body.length >= 1024, `the work order is ${plain.body.length} bytes`);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.etag, plain.headers.etag, 'the ETag is the version either way');
  assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body)), JSON.parse(plain.body));
  assert.equal(await metric('gongdan_http_compressed_responses_total'), before + 1);
});

test('a view served again from the view cache sends the gzip stored with it, compressing nothing', async () => {
  const path = '/api/v1/workorders?view=shop&limit=40&sort=-created';
  const first = await get(path, { 'accept-encoding': 'gzip' });
  assert.equal(first.headers['content-encoding'], 'gzip');
  const hits = async () => {
    const text = await (await fetch(srv.base + '/metrics')).text();
    return Number(text.match(/gongdan_view_cache_requests_total\{result="hit"\} (\d+)/)[1]);
  };
  const hitsBefore = await hits();
  const identityBefore = await metric('gongdan_http_compressed_bytes_total{coding="identity"}');
  const answersBefore = await metric('gongdan_http_compressed_responses_total');
  // The server has a few threads, each with its own cache, and a commit anywhere moves the
  // generation (on PostgreSQL, a commit in any database of the cluster, such as another suite's
  // running beside this one, which can go on committing for a while): ask until a thread answers
  // from its cache, for at most 15 s.
  let asked = 0;
  const until = Date.now() + 15_000;
  while (asked < 8 || (Date.now() < until && await hits() === hitsBefore)) {
    const again = await get(path, { 'accept-encoding': 'gzip' });
    asked++;
    assert.equal(again.headers['content-encoding'], 'gzip');
    assert.deepEqual(JSON.parse(zlib.gunzipSync(again.body)), JSON.parse(zlib.gunzipSync(first.body)));
  }
  assert.ok(await hits() > hitsBefore, `answered from the view cache (asked ${asked} times in 15 s)`);
  assert.equal(await metric('gongdan_http_compressed_bytes_total{coding="identity"}'), identityBefore,
    'nothing was gzipped at send time');
  assert.equal(await metric('gongdan_http_compressed_responses_total'), answersBefore + asked);
});

test('small answers, errors and the live stream go as they are', async () => {
  const me = await get('/api/v1/me', { 'accept-encoding': 'gzip' });
  assert.equal(me.status, 200);
  assert.ok(me.body.length < 1024);
  assert.equal(me.headers['content-encoding'], undefined);
  assert.equal(me.headers.vary, undefined);
  assert.equal(JSON.parse(me.body).user.username, 'tea_lead');

  const missing = await get('/api/v1/workorders/999999999', { 'accept-encoding': 'gzip' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(missing.body).error.code, 'not_found');

  const stream = await get('/api/v1/stream', { 'accept-encoding': 'gzip' });
  assert.equal(stream.status, 200);
  assert.match(stream.headers['content-type'], /^text\/event-stream/);
  assert.equal(stream.headers['content-encoding'], undefined);
  assert.match(stream.body.toString(), /^(:|event:|retry:|id:|data:)/m);
});
