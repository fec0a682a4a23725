// make bench, (e): work orders created with two 1 MiB images, then their thumbnails.
// Each "create" is what the workbench does: one upload request carrying both images
// (POST /api/v1/attachments, multipart), then the create naming their ids. Every image is new
// content (a counter in a PNG text chunk), so every upload is stored and every thumbnail made.
// Usage: node bench/attachments.mjs BASE_URL SECONDS CONNECTIONS  (env GD_TOKEN, GD_HANDLER)
// Prints a Markdown table row set and writes nothing else.
import { deflateSync } from 'node:zlib';
import { chunk } from '../tests/api/images.mjs';

const [base, secs = '15', conns = '8'] = process.argv.slice(2);
const auth = { authorization: `Bearer ${process.env.GD_TOKEN}` };

// A 591 x 591 RGB PNG of noise: about 1 MiB that does not compress, as a phone photo does not.
function noisePng(w = 591, h = 591) {
  const row = 1 + w * 3;
  const raw = Buffer.alloc(row * h);
  let x = 2463534242;
  for (let i = 0; i < raw.length; i++) {
    if (i % row === 0) continue;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    raw[i] = x & 255;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return { head: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 }))]), tail: chunk('IEND', Buffer.alloc(0)) };
}
const { head, tail } = noisePng();
let serial = 0;
const image = () => Buffer.concat([head, chunk('tEXt', Buffer.from(`bench\0${process.pid}-${serial++}`, 'latin1')), tail]);

const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

async function createOne() {
  const fd = new FormData();
  fd.append('file', new Blob([image()], { type: 'image/png' }), '破损外箱.png');
  fd.append('file', new Blob([image()], { type: 'image/png' }), '快递面单.png');
  const up = await fetch(`${base}/api/v1/attachments`, { method: 'POST', headers: auth, body: fd });
  if (up.status !== 201) throw new Error(`upload ${up.status}: ${await up.text()}`);
  const ids = (await up.json()).items.map((x) => x.id);
  const r = await fetch(`${base}/api/v1/workorders`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'after_sales', title: '压测：带两张照片的售后工单', content: '买家反馈外箱破损', handler_id: process.env.GD_HANDLER, attachment_ids: ids }),
  });
  if (r.status !== 201) throw new Error(`create ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
  return ids;
}

async function metric(name) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = text.match(new RegExp(`^${name} ([0-9.]+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

const lat = [];
const made = [];
const end = Date.now() + Number(secs) * 1000;
const t0 = Date.now();
await Promise.all(Array.from({ length: Number(conns) }, async () => {
  while (Date.now() < end) {
    const s = performance.now();
    made.push(...(await createOne()));
    lat.push(performance.now() - s);
  }
}));
const elapsed = (Date.now() - t0) / 1000;

// thumbnails: each image's first request makes it (one at a time, so the time is the image's own)
const sample = made.slice(0, 40);
const n0 = await metric('gongdan_thumbnails_made_total');
const s0 = await metric('gongdan_thumbnails_made_seconds_total');
const tlat = [];
for (const id of sample) {
  const s = performance.now();
  const r = await fetch(`${base}/api/v1/attachments/${id}/thumbnail`, { headers: auth });
  if (r.status !== 200) throw new Error(`thumbnail ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
  tlat.push(performance.now() - s);
}
const n = (await metric('gongdan_thumbnails_made_total')) - n0;
const ms = ((await metric('gongdan_thumbnails_made_seconds_total')) - s0) * 1000;
const cached = [];
for (const id of sample.slice(0, 10)) {
  const s = performance.now();
  await (await fetch(`${base}/api/v1/attachments/${id}/thumbnail`, { headers: auth })).arrayBuffer();
  cached.push(performance.now() - s);
}
const f = (v) => `${v.toFixed(1)} ms`;
console.log(`| (e) create with two 1 MiB images (upload + create), ${conns} conn | ${(lat.length / elapsed).toFixed(1)} | ${f(pct(lat, 50))} | ${f(pct(lat, 99))} | ${lat.length} creates, ${(lat.length * 2 * head.length / 1048576 / elapsed).toFixed(1)} MiB/s stored |`);
console.log(`| (e') thumbnail of a new 1 MiB image (591×591 PNG → 320×320 WebP), one at a time | ${(1000 / pct(tlat, 50)).toFixed(1)} | ${f(pct(tlat, 50))} | ${f(pct(tlat, 99))} | server: ${n ? (ms / n).toFixed(1) : '?'} ms per image over ${n} |`);
console.log(`| (e'') the same thumbnail again (cached file) | | ${f(pct(cached, 50))} | ${f(pct(cached, 99))} | |`);
