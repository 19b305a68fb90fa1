// Draws images/icon.png (128x128 RGBA): a white shield holding a padlock on a dark blue tile.
// No image libraries: each pixel's coverage of each shape is sampled 4x4 times, and the PNG is
// written with zlib. Re-run after changing a shape: node scripts/draw-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const TILE = [0x1b, 0x3a, 0x5c];
const SHIELD = [0xff, 0xff, 0xff];
const LOCK = [0x1b, 0x3a, 0x5c];
const KEYHOLE = [0xff, 0xff, 0xff];

function roundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Straight sides from the top down to y=64, then both sides curve into a point at y=114. */
function shield(x, y) {
  const dx = Math.abs(x - 64);
  const top = 16 + 5 * (1 - (dx / 38) ** 2); // the top edge dips a little in the middle
  if (y < top || dx > 38) return false;
  if (y <= 64) return true;
  const t = (y - 64) / 50;
  return t <= 1 && dx <= 38 * (1 - t ** 1.8);
}

function lockBody(x, y) {
  return roundedRect(x, y, 44, 58, 84, 92, 5);
}

function shackle(x, y) {
  const r = Math.hypot(x - 64, y - 58);
  if (y <= 58) return r >= 9 && r <= 15;
  return y <= 62 && ((x >= 49 && x <= 55) || (x >= 73 && x <= 79));
}

function keyhole(x, y) {
  return Math.hypot(x - 64, y - 71) <= 5 || (Math.abs(x - 64) <= 2.2 && y >= 71 && y <= 83);
}

/** Painter's order: later layers cover earlier ones. */
const LAYERS = [
  { color: TILE, inside: (x, y) => roundedRect(x, y, 0, 0, SIZE, SIZE, 22) },
  { color: SHIELD, inside: shield },
  { color: LOCK, inside: (x, y) => lockBody(x, y) || shackle(x, y) },
  { color: KEYHOLE, inside: keyhole },
];

function pixel(px, py) {
  let [r, g, b, a] = [0, 0, 0, 0];
  for (const { color, inside } of LAYERS) {
    let hits = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        if (inside(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
      }
    }
    const coverage = hits / SAMPLES ** 2;
    if (coverage === 0) continue;
    // "Over" compositing with straight (non-premultiplied) alpha.
    const outA = coverage + a * (1 - coverage);
    r = (color[0] * coverage + r * a * (1 - coverage)) / outA;
    g = (color[1] * coverage + g * a * (1 - coverage)) / outA;
    b = (color[2] * coverage + b * a * (1 - coverage)) / outA;
    a = outA;
  }
  return [r, g, b, a * 255].map((v) => Math.round(v));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function drawIconPng() {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0 (None), then RGBA
    for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(row, 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter set, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');
  mkdirSync(path.dirname(out), { recursive: true });
  const png = drawIconPng();
  writeFileSync(out, png);
  console.log(`images/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
}
