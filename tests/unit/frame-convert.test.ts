import { describe, expect, it } from 'vitest';
import { i420Size, rgbaToI420 } from '../../src/media/frame-convert';

describe('RGBA to I420 (frames of formats read through a conversion)', () => {
  it('writes BT.709 limited range: black 16, white 235, red and blue on their chroma axes; chroma the mean of 2x2', () => {
    // 3x2 pixels: black, white, red / blue, white, white. Odd width: the last chroma column covers one column.
    const px = [
      [0, 0, 0],
      [255, 255, 255],
      [255, 0, 0],
      [0, 0, 255],
      [255, 255, 255],
      [255, 255, 255],
    ];
    const rgba = new Uint8Array(px.flatMap((p) => [...p, 255]));
    const out = new Uint8Array(i420Size(3, 2));
    expect(out.length).toBe(6 + 2 * 2);
    rgbaToI420(rgba, 3, 2, out);
    expect([...out.subarray(0, 6)]).toEqual([16, 235, 63, 32, 235, 235]);
    // Column 2 (red over white): U below 128, V above.
    const [u0, u1, v0, v1] = [out[6]!, out[7]!, out[8]!, out[9]!];
    expect(u1).toBeLessThan(128);
    expect(v1).toBeGreaterThan(128);
    // Columns 0-1: black, white, blue, white: blue pulls U up and V down.
    expect(u0).toBeGreaterThan(128);
    expect(v0).toBeLessThan(128);
  });
});
