// The workbench's files over HTTP: precompressed variants chosen by Accept-Encoding (br, then gzip,
// else the file as it is), Content-Encoding, Vary and an ETag per encoding, 304 on If-None-Match,
// no variant for files that are compressed already, and the cache headers (hashed assets for a
// year, index.html checked on each load). A web root made here, so each case has its files; and
// the real build (web/dist), which must carry a .br and a .gz beside each text file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib.mjs';

let srv, root;
const APP = 'console.log("the app");\n'.repeat(200);
const STYLE = 'body { color: #123456; }\n'.repeat(200);
const INDEX = '<!doctype html><div id="root"></div>' + '<!-- padding -->'.repeat(100);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gd-web-'));
  mkdirSync(join(root, 'assets'));
  const br = (s) => zlib.brotliCompressSync(Buffer.from(s));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'index.html.br'), br(INDEX));
  writeFileSync(join(root, 'index.html.gz'), zlib.gzipSync(INDEX));
  writeFileSync(join(root, 'assets/app-1a2b3c.js'), APP);
  writeFileSync(join(root, 'assets/app-1a2b3c.js.br'), br(APP));
  writeFileSync(join(root, 'assets/app-1a2b3c.js.gz'), zlib.gzipSync(APP));
  // a build that wrote no .br for this one: gzip is the best there is
  writeFileSync(join(root, 'assets/style-4d5e6f.css'), STYLE);
  writeFileSync(join(root, 'assets/style-4d5e6f.css.gz'), zlib.gzipSync(STYLE));
  // an image is compressed already: a .gz beside it (there should be none) is never sent
  writeFileSync(join(root, 'assets/logo-7a8b9c.png'), PNG);
  writeFileSync(join(root, 'assets/logo-7a8b9c.png.gz'), zlib.gzipSync(PNG));
  srv = await startServer({ demo: false, args: ['--web-root', root] });
});
after(async () => {
  await srv.cleanup();
  rmSync(root, { recursive: true, force: true });
});

// fetch() would ask for and undo the encodings itself; this sends exactly the headers given and
// returns the bytes as they came.
function get(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(srv.base + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync, undefined: (b) => b };

test('Accept-Encoding picks br, then gzip, else the file as it is; q=0 refuses a coding', async () => {
  const cases = [
    ['br, gzip, deflate', 'br'],
    ['gzip, deflate, br', 'br'], // br first on a tie, whatever the order in the header
    ['gzip', 'gzip'],
    ['GZIP;q=0.8', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'], // the client's preference wins
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['br;q=0.0, gzip; q=0.000', undefined],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['gzip, *;q=0', 'gzip'],
    ['identity', undefined],
    ['deflate', undefined],
    [undefined, undefined], // no header: as it is
  ];
  for (const [accept, want] of cases) {
    const r = await get('/assets/app-1a2b3c.js', accept === undefined ? {} : { 'accept-encoding': accept });
    assert.equal(r.status, 200, accept);
    assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${accept}`);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8', accept);
    assert.equal(r.headers.vary, 'Accept-Encoding', accept);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', accept);
    assert.equal(decode[want](r.body).toString(), APP, accept);
    if (want) assert.ok(r.body.length < APP.length / 5, `${want} is the precompressed file`);
    assert.match(r.headers.etag, want ? new RegExp(`^"[0-9a-f]+-[0-9a-f]+-${want}"$`) : /^"[0-9a-f]+-[0-9a-f]+"$/, accept);
  }
});

test('a missing .br falls back to the .gz, then to the file', async () => {
  let r = await get('/assets/style-4d5e6f.css', { 'accept-encoding': 'br, gzip' });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(r.body).toString(), STYLE);
  r = await get('/assets/style-4d5e6f.css', { 'accept-encoding': 'br' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.headers.vary, 'Accept-Encoding');
  assert.equal(r.body.toString(), STYLE);
});

test('files compressed already are sent as they are, without Vary', async () => {
  const r = await get('/assets/logo-7a8b9c.png', { 'accept-encoding': 'br, gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'image/png');
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.headers.vary, undefined);
  assert.deepEqual(r.body, PNG);
});

test('each encoding has its own ETag; If-None-Match answers 304 for that encoding only', async () => {
  const br = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'br' });
  const gz = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'gzip' });
  const id = await get('/assets/app-1a2b3c.js');
  assert.equal(new Set([br.headers.etag, gz.headers.etag, id.headers.etag]).size, 3);

  let r = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag });
  assert.equal(r.status, 304);
  assert.equal(r.body.length, 0);
  assert.equal(r.headers.etag, br.headers.etag);
  assert.equal(r.headers.vary, 'Accept-Encoding');
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  r = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'br', 'if-none-match': `"other", W/${br.headers.etag}` });
  assert.equal(r.status, 304, 'a weak tag in a list matches too');
  // the gzip tag does not match what a br client would get
  r = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'br', 'if-none-match': gz.headers.etag });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'br');
  r = await get('/assets/app-1a2b3c.js', { 'if-none-match': id.headers.etag });
  assert.equal(r.status, 304);
});

test('index.html (at / and at client routes) is compressed too and checked on each load; HEAD sends no body', async () => {
  for (const path of ['/', '/list/todo', '/wo/42']) {
    const r = await get(path, { 'accept-encoding': 'gzip, br' });
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', path);
    assert.equal(r.headers['content-encoding'], 'br', path);
    assert.equal(r.headers['cache-control'], 'no-cache', path);
    assert.equal(r.headers.vary, 'Accept-Encoding', path);
    assert.equal(zlib.brotliDecompressSync(r.body).toString(), INDEX, path);
  }
  const head = await get('/', { 'accept-encoding': 'gzip' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-encoding'], 'gzip');
  assert.equal(head.body.length, 0);
  const r = await get('/assets/missing-0a0b0c.js', { 'accept-encoding': 'br' });
  assert.equal(r.status, 404, 'a missing asset is not index.html');
});

test('the web build writes a .br and a .gz beside each text file of web/dist', { skip: !existsSync(new URL('../../web/dist/index.html', import.meta.url)) && 'web/dist is not built' }, () => {
  const dist = new URL('../../web/dist/', import.meta.url).pathname;
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const text = walk(dist).filter((f) => /\.(html|js|css|svg|json)$/.test(f) && statSync(f).size > 1024);
  assert.ok(text.length > 5);
  for (const f of text) {
    assert.ok(existsSync(f + '.br'), `${f}.br`);
    assert.ok(existsSync(f + '.gz'), `${f}.gz`);
    assert.ok(statSync(f + '.br').size < statSync(f).size, `${f}.br is smaller`);
  }
});
