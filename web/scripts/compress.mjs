// Runs after `vite build`: writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside
// each text file in dist/, for the server to send to clients that take them (src/http/static.c).
// Files that are compressed already (images, fonts) are left alone, and a variant that would not
// be smaller than its file is not written (the server then sends the file as it is).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'dist');
const TEXT = /\.(html|js|css|svg|json|txt)$/;

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (TEXT.test(e.name)) yield p;
  }
}

let raw = 0,
  br = 0,
  gz = 0;
for (const f of files(dist)) {
  const data = fs.readFileSync(f);
  const variants = [
    ['.br', zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } })],
    ['.gz', zlib.gzipSync(data, { level: 9 })],
  ];
  raw += data.length;
  for (const [ext, out] of variants) {
    fs.rmSync(f + ext, { force: true });
    if (out.length < data.length) fs.writeFileSync(f + ext, out);
    if (ext === '.br') br += Math.min(out.length, data.length);
    else gz += Math.min(out.length, data.length);
  }
}
console.log(`compressed dist/: ${raw} bytes of text, ${gz} gzip, ${br} brotli`);
