import { describe, expect, it } from 'vitest';
import { readRect } from '../../src/composite/cpu/cpu-compositor';

const visible = { x: 0, y: 0, width: 1920, height: 1080 };

describe('the part of the frame the CPU compositor copies', () => {
  it('covers both crops with a margin, on even pixels', () => {
    const rect = readRect(
      [
        { x: 301.3, y: 120.7, w: 500, h: 444.4 },
        { x: 1101, y: 151, w: 480, h: 426.7 },
      ],
      visible,
      1,
      1,
    )!;
    expect(rect).toEqual({ x: 296, y: 116, width: 1290, height: 466 });
    for (const v of Object.values(rect)) expect(v % 2).toBe(0);
    expect(rect.x).toBeLessThanOrEqual(301.3 - 4);
    expect(rect.x + rect.width).toBeGreaterThanOrEqual(1581 + 4);
    expect(rect.y + rect.height).toBeGreaterThanOrEqual(120.7 + 444.4 + 4);
  });

  it('stays inside the visible picture and maps display pixels to coded ones', () => {
    const rect = readRect([{ x: 0, y: 0, w: 400, h: 300 }, null], { x: 0, y: 0, width: 1440, height: 1080 }, 0.75, 1)!;
    expect(rect).toEqual({ x: 0, y: 0, width: 306, height: 306 });
  });

  it('copies the whole frame when the crops cover nearly all of it, when there are none, or when an edge is odd', () => {
    expect(readRect([{ x: 0, y: 0, w: 1920, h: 1080 }, null], visible, 1, 1)).toBeNull();
    expect(readRect([null, null], visible, 1, 1)).toBeNull();
    expect(readRect([{ x: 900, y: 300, w: 381, h: 421 }, null], { x: 0, y: 0, width: 1281, height: 721 }, 1, 1)).toBeNull();
  });
});
