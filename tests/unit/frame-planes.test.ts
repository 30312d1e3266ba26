import { describe, expect, it } from 'vitest';
import { FramePlanes, type PlanesLayout } from '../../src/media/frame-planes';

const layout: PlanesLayout = {
  width: 4,
  height: 2,
  ax: 1,
  bx: 0,
  cx: 0,
  ay: 0,
  by: 1,
  cy: 0,
  sx: 1,
  sy: 1,
  visibleW: 4,
  visibleH: 2,
  yOffset: 0,
  yStride: 4,
  uOffset: 8,
  uStride: 2,
  vOffset: 10,
  vStride: 2,
  chromaStep: 1,
};

describe('frame planes snapshot', () => {
  const planes = FramePlanes.fromSnapshot({ data: Uint8Array.from({ length: 12 }, (_, i) => i * 10).buffer, layout });

  it('copies into a buffer handed back when it is the right size, and leaves the planes alone', () => {
    const spare = new ArrayBuffer(12);
    const snapshot = planes.snapshot(spare);
    expect(snapshot.data).toBe(spare);
    expect([...new Uint8Array(snapshot.data)]).toEqual([...planes.data]);
    expect(snapshot.layout).toEqual(layout);
    expect(snapshot.layout).not.toBe(layout);
    new Uint8Array(spare)[0] = 255;
    expect(planes.data[0]).toBe(0);
  });

  it('makes a new buffer when the one handed back is another size (a frame of another size)', () => {
    const spare = new ArrayBuffer(8);
    const snapshot = planes.snapshot(spare);
    expect(snapshot.data).not.toBe(spare);
    expect([...new Uint8Array(snapshot.data)]).toEqual([...planes.data]);
  });
});
