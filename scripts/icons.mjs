// The app icon as PNG at any size (install prompts want raster icons), drawn from the same shapes
// as public/icon.svg: a dark rounded square, two panels, a face in each. No image library: a tiny
// rasteriser with 4x4 supersampling and a PNG writer on node:zlib.
import { deflateSync } from 'node:zlib';

const SHAPES = [
  { kind: 'rect', x: 0, y: 0, w: 512, h: 512, r: 96, colour: [0x14, 0x16, 0x1a] },
  { kind: 'rect', x: 48, y: 112, w: 196, h: 288, r: 24, colour: [0x4c, 0x7d, 0xff] },
  { kind: 'rect', x: 268, y: 112, w: 196, h: 288, r: 24, colour: [0xff, 0xcf, 0x4a] },
  { kind: 'circle', x: 146, y: 220, r: 56, colour: [0xe8, 0xe8, 0xea] },
  { kind: 'circle', x: 366, y: 220, r: 56, colour: [0x14, 0x16, 0x1a] },
];

function inside(shape, x, y) {
  if (shape.kind === 'circle') return (x - shape.x) ** 2 + (y - shape.y) ** 2 <= shape.r ** 2;
  const dx = Math.max(shape.x + shape.r - x, 0, x - (shape.x + shape.w - shape.r));
  const dy = Math.max(shape.y + shape.r - y, 0, y - (shape.y + shape.h - shape.r));
  if (x < shape.x || x > shape.x + shape.w || y < shape.y || y > shape.y + shape.h) return false;
  return dx * dx + dy * dy <= shape.r * shape.r;
}

/** RGBA pixels of the icon, `size` square; `maskable` shrinks it into the safe zone on a full background. */
export function iconPixels(size, maskable = false) {
  const pixels = new Uint8Array(size * size * 4);
  const scale = 512 / size / (maskable ? 0.8 : 1);
  const offset = maskable ? -51.2 : 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (i + (sx + 0.5) / 4) * scale + offset;
          const y = (j + (sy + 0.5) / 4) * scale + offset;
          let colour = maskable ? SHAPES[0].colour : null;
          for (const shape of SHAPES) if (inside(shape, x, y)) colour = shape.colour;
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a += 255;
          }
        }
      }
      const o = (j * size + i) * 4;
      const n = a / 255;
      pixels[o] = n ? r / n : 0;
      pixels[o + 1] = n ? g / n : 0;
      pixels[o + 2] = n ? b / n : 0;
      pixels[o + 3] = a / 16;
    }
  }
  return pixels;
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
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng(pixels, width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(pixels.buffer, y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
