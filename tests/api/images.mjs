// Images for the attachment tests, made here so every test file says what it is: real PNGs of any
// size (zlib), a small real JPEG, and the hostile inputs of issue 8 — a PNG bomb (a header
// claiming huge dimensions in a tiny file), a truncated JPEG, a PNG whose pixel data is noise,
// and a PDF whose cross-reference table points nowhere.
import { crc32, deflateSync } from 'node:zlib';

// One PNG chunk: length, type, data and CRC (also used by bench/attachments.mjs).
export function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

function ihdr(width, height, colorType) {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h[8] = 8; // bit depth
  h[9] = colorType; // 0 grey, 2 RGB
  return chunk('IHDR', h);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A real RGB PNG; `noise` makes it incompressible (its size is about width * height * 3 bytes).
export function png(width, height, { noise = false, seed = 1 } = {}) {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  let x = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let i = 1; i < row; i++) {
      if (noise) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        raw[y * row + i] = x & 255;
      } else {
        raw[y * row + i] = (y * 255 / height + i) & 255;
      }
    }
  }
  return Buffer.concat([SIGNATURE, ihdr(width, height, 2), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A PNG bomb: the header claims 100000 x 100000 pixels (10 gigapixels); the file is tiny.
export function pngBomb() {
  const rows = deflateSync(Buffer.alloc(1 + 100000 * 3 * 4)); // four rows of zeros, the rest missing
  return Buffer.concat([SIGNATURE, ihdr(100000, 100000, 2), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

// A PNG with a valid header whose pixel data is not a zlib stream.
export function pngGarbage() {
  return Buffer.concat([SIGNATURE, ihdr(64, 64, 2), chunk('IDAT', Buffer.alloc(200, 0x5a)), chunk('IEND', Buffer.alloc(0))]);
}

// A 64 x 48 greyscale JPEG (made once with libvips).
export const JPEG = Buffer.from(
  '/9j/4QC8RXhpZgAASUkqAAgAAAAGABIBAwABAAAAAQAAABoBBQABAAAAVgAAABsBBQABAAAAXgAAACgBAwABAAAAAgAAABMCAwABAAAAAQAAAGmHBAABAAAAZgAAAAAAAAA4YwAA6AMAADhjAADoAwAABgAAkAcABAAAADAyMTABkQcABAAAAAECAwAAoAcABAAAADAxMDABoAMAAQAAAP//AAACoAQAAQAAAEAAAAADoAQAAQAAADAAAAAAAAAA/9sAQwAKBwcIBwYKCAgICwoKCw4YEA4NDQ4dFRYRGCMfJSQiHyIhJis3LyYpNCkhIjBBMTQ5Oz4+PiUuRElDPEg3PT47/8AACwgAMABAAQERAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAAgBAQAAPwDyS17Vs2vatq17VtWvatm17VtWvatm17VtWvavky17Vs2vatq17VtWvatm17VtWvatm17VtWvavky17Vs2vatq17VtWvatm17VtWvatm17VtWvavky17Vs2vatq17VtWvatm17VtWvatm17VtWvavky17Vs2vatq17VtWvatm17VtWvatm17VtWvavky17Vs2vatq17VtWvatm17VtWvatm17VtWvav//Z',
  'base64');

// The same JPEG cut off in the middle of its scan data (no end-of-image marker).
export const JPEG_TRUNCATED = JPEG.subarray(0, JPEG.length - 120);

// A PDF whose startxref points past the end and whose xref table is not one.
export const PDF_BAD_XREF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
  'xref\nthis is not a table\ntrailer\n<< /Root 1 0 R /Size 99 >>\nstartxref\n999999\n%%EOF\n');

// Reads the width and height of a WebP (VP8, VP8L or VP8X) so a test can check a thumbnail's size.
export function webpSize(b) {
  if (b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return null;
  const kind = b.toString('latin1', 12, 16);
  if (kind === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (kind === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  return null;
}
