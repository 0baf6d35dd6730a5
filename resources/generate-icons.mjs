// Writes the tray and app icons as PNGs with nothing but zlib (no image tooling needed).
// Run: node resources/generate-icons.mjs. The output is committed; re-run after changes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** RGBA pixels (size × size × 4) → PNG bytes. */
function png(size, pixels) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A filled disc with a lighter wave across it (a stream), anti-aliased at the edge. */
function icon(size, [r, g, b]) {
  const px = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const radius = size / 2 - 0.5;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, radius - d + 0.5));
      const wave = c + Math.sin((x / size) * Math.PI * 2) * size * 0.12;
      const onWave = Math.abs(y - wave) < Math.max(1, size * 0.09);
      const i = (y * size + x) * 4;
      px[i] = onWave ? 255 : r;
      px[i + 1] = onWave ? 255 : g;
      px[i + 2] = onWave ? 255 : b;
      px[i + 3] = Math.round(alpha * 255);
    }
  return png(size, px);
}

const STATES = { running: [34, 160, 90], paused: [130, 130, 140], attention: [230, 120, 20] };
for (const [state, rgb] of Object.entries(STATES)) {
  writeFileSync(join(here, `tray-${state}.png`), icon(16, rgb));
  writeFileSync(join(here, `tray-${state}@2x.png`), icon(32, rgb));
}
writeFileSync(join(here, 'icon.png'), icon(512, [30, 110, 200]));
console.log('icons written to', here);
