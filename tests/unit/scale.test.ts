import { describe, expect, it } from 'vitest';
import { fillPlane, scalePlane, type PlaneView } from '../../src/composite/cpu/scale';

function plane(width: number, height: number, value: (x: number, y: number) => number, step = 1): PlaneView {
  const data = new Uint8Array(width * height * step);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(y * width + x) * step] = value(x, y);
  return { data, offset: 0, stride: width * step, width, height, step };
}

describe('bilinear plane scaling (the CPU compositor)', () => {
  it('copies exactly at 1:1', () => {
    const src = plane(8, 6, (x, y) => x * 10 + y);
    const dst = plane(8, 6, () => 0);
    scalePlane(src, { x: 0, y: 0, w: 8, h: 6 }, dst, { x: 0, y: 0, w: 8, h: 6 });
    expect([...dst.data]).toEqual([...src.data]);
  });

  it('samples a horizontal ramp linearly when upscaling, as a GPU sampler does', () => {
    const src = plane(4, 2, (x) => x * 64);
    const dst = plane(8, 2, () => 0);
    scalePlane(src, { x: 0, y: 0, w: 4, h: 2 }, dst, { x: 0, y: 0, w: 8, h: 2 });
    // Output centres map to source x = (i + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, ...
    expect([...dst.data.subarray(0, 8)]).toEqual([0, 16, 48, 80, 112, 144, 176, 192]);
  });

  it('crops: a region of the source fills the target rectangle, leaving the rest untouched', () => {
    const src = plane(10, 10, (x, y) => (x >= 5 && y >= 5 ? 200 : 50));
    const dst = plane(8, 4, () => 7);
    scalePlane(src, { x: 5, y: 5, w: 5, h: 5 }, dst, { x: 4, y: 0, w: 4, h: 4 });
    for (let y = 0; y < 4; y++) {
      expect([...dst.data.subarray(y * 8, y * 8 + 4)]).toEqual([7, 7, 7, 7]);
      for (const v of dst.data.subarray(y * 8 + 4, y * 8 + 8)) expect(v).toBeGreaterThanOrEqual(190);
    }
  });

  it('reads one channel of interleaved chroma (NV12)', () => {
    const uv = new Uint8Array(4 * 2 * 2);
    for (let i = 0; i < 8; i++) {
      uv[2 * i] = 100;
      uv[2 * i + 1] = 30;
    }
    const u: PlaneView = { data: uv, offset: 0, stride: 8, width: 4, height: 2, step: 2 };
    const v: PlaneView = { ...u, offset: 1 };
    const outU = plane(2, 1, () => 0);
    const outV = plane(2, 1, () => 0);
    scalePlane(u, { x: 0, y: 0, w: 4, h: 2 }, outU, { x: 0, y: 0, w: 2, h: 1 });
    scalePlane(v, { x: 0, y: 0, w: 4, h: 2 }, outV, { x: 0, y: 0, w: 2, h: 1 });
    expect([...outU.data]).toEqual([100, 100]);
    expect([...outV.data]).toEqual([30, 30]);
  });

  it('fills a black panel', () => {
    const dst = plane(4, 2, () => 0);
    fillPlane(dst, { x: 2, y: 0, w: 2, h: 2 }, 16);
    expect([...dst.data]).toEqual([0, 0, 16, 16, 0, 0, 16, 16]);
  });
});
