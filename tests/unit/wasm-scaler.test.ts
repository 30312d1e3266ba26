import { describe, expect, it } from 'vitest';
import { scalePlane, type PlaneView, type Region } from '../../src/composite/cpu/scale';
import { horizontalFirst, WasmScaler } from '../../src/composite/cpu/wasm-scaler';

/** A deterministic noisy picture: the hardest case for two implementations to agree on. */
function noise(bytes: Uint8Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < bytes.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    bytes[i] = s >>> 24;
  }
}

interface Case {
  name: string;
  source: { width: number; height: number; step: 1 | 2 };
  region: Region;
  output: { width: number; height: number };
  target: Region;
}

const cases: Case[] = [
  {
    name: 'upscaled face crop into a stacked panel',
    source: { width: 1920, height: 1080, step: 1 },
    region: { x: 301.3, y: 97.8, w: 700.4, h: 622.6 },
    output: { width: 1080, height: 1920 },
    target: { x: 0, y: 960, w: 1080, h: 960 },
  },
  {
    name: 'chroma of it, panel width not a multiple of 8',
    source: { width: 960, height: 540, step: 1 },
    region: { x: 150.65, y: 48.9, w: 350.2, h: 311.3 },
    output: { width: 540, height: 960 },
    target: { x: 0, y: 0, w: 540, h: 480 },
  },
  {
    name: 'shrunk crop beside another panel',
    source: { width: 1920, height: 1080, step: 1 },
    region: { x: 0, y: 0, w: 1500, h: 1080 },
    output: { width: 1920, height: 1080 },
    target: { x: 960, y: 0, w: 960, h: 1080 },
  },
  {
    name: 'crop reaching past the edges (clamped)',
    source: { width: 320, height: 180, step: 1 },
    region: { x: -10, y: -5, w: 340, h: 195 },
    output: { width: 200, height: 120 },
    target: { x: 4, y: 2, w: 190, h: 111 },
  },
  {
    name: 'narrow panel enlarged 3x (horizontal first, last step overlapping)',
    source: { width: 160, height: 90, step: 1 },
    region: { x: 20.2, y: 10.7, w: 7.1, h: 30.4 },
    output: { width: 64, height: 120 },
    target: { x: 20, y: 10, w: 21, h: 91 },
  },
  {
    name: 'one channel of interleaved chroma (NV12), upscaled',
    source: { width: 480, height: 270, step: 2 },
    region: { x: 100.5, y: 40.25, w: 150, h: 133 },
    output: { width: 270, height: 480 },
    target: { x: 0, y: 240, w: 270, h: 240 },
  },
];

describe('the WebAssembly SIMD scaler', () => {
  const scaler = WasmScaler.create();

  it('is available (WebAssembly SIMD) in this engine', () => {
    expect(scaler).not.toBeNull();
  });

  for (const c of cases) {
    it(`agrees with the JavaScript scaler within one level: ${c.name}`, () => {
      const sourceBytes = c.source.width * c.source.step * c.source.height;
      const outputBytes = c.output.width * c.output.height;
      const frames = scaler!.frames(sourceBytes, outputBytes);
      noise(frames.source, 7);
      frames.output.fill(77);
      const source: PlaneView = {
        data: frames.source,
        offset: c.source.step === 2 ? 1 : 0,
        stride: c.source.width * c.source.step,
        width: c.source.width,
        height: c.source.height,
        step: c.source.step,
      };
      const destination: PlaneView = { data: frames.output, offset: 0, stride: c.output.width, width: c.output.width, height: c.output.height, step: 1 };
      expect(scaler!.scale(source, c.region, destination, c.target)).toBe(true);

      const expected = new Uint8Array(outputBytes).fill(77);
      scalePlane({ ...source, data: frames.source.slice() }, c.region, { ...destination, data: expected }, c.target);
      let worst = 0;
      let outside = 0;
      for (let y = 0; y < c.output.height; y++) {
        for (let x = 0; x < c.output.width; x++) {
          const i = y * c.output.width + x;
          const inside = x >= c.target.x && x < c.target.x + c.target.w && y >= c.target.y && y < c.target.y + c.target.h;
          if (inside) worst = Math.max(worst, Math.abs(frames.output[i]! - expected[i]!));
          else if (frames.output[i] !== 77) outside++;
        }
      }
      expect(worst).toBeLessThanOrEqual(1);
      expect(outside).toBe(0);
    });
  }

  it('scales horizontally first when that touches fewer samples: enlarging, or shrinking only across', () => {
    // Geometries of the cases above.
    expect(horizontalFirst(624, 704, 1080, 960)).toBe(true); // face crop enlarged ~1.5x
    expect(horizontalFirst(32, 16, 21, 91)).toBe(true); // enlarged 3x
    expect(horizontalFirst(1080, 1504, 960, 1080)).toBe(true); // shrunk across only: the vertical pass then runs on 960 samples, not 1504
    expect(horizontalFirst(196, 352, 190, 111)).toBe(false); // shrunk both ways
    expect(horizontalFirst(2160, 1504, 960, 1080)).toBe(false); // 4K rows halved
  });

  it('declines what its shuffle cannot reach (interleaved chroma shrunk 3x), writing nothing', () => {
    const frames = scaler!.frames(1920 * 2 * 10, 200 * 10);
    frames.output.fill(5);
    const source: PlaneView = { data: frames.source, offset: 0, stride: 3840, width: 1920, height: 10, step: 2 };
    const destination: PlaneView = { data: frames.output, offset: 0, stride: 200, width: 200, height: 10, step: 1 };
    expect(scaler!.scale(source, { x: 0, y: 0, w: 600, h: 10 }, destination, { x: 0, y: 0, w: 200, h: 10 })).toBe(false);
    expect(frames.output.every((v) => v === 5)).toBe(true);
  });

  it('declines views that are not in its memory', () => {
    const plane: PlaneView = { data: new Uint8Array(64 * 64), offset: 0, stride: 64, width: 64, height: 64, step: 1 };
    expect(scaler!.scale(plane, { x: 0, y: 0, w: 64, h: 64 }, { ...plane, data: new Uint8Array(64 * 64) }, { x: 0, y: 0, w: 64, h: 64 })).toBe(false);
  });
});
