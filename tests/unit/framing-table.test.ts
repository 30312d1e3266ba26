import { describe, expect, it } from 'vitest';
import { FramingTable } from '../../src/tracking/framing-table';
import type { TracksFrame } from '../../src/tracking/tracks-file';

const frames: TracksFrame[] = [
  { t: 0, panels: [{ x: 42.67, y: 0, w: 971.22, h: 863.31 }, { x: 951.54, y: 0.5, w: 968.46, h: 860.86 }], faces: [{ x: 1, y: 2, w: 3, h: 4, person: 0 }] },
  { t: 0.033333, panels: [null, { x: 0, y: 0, w: 1920, h: 1080 }] },
  { t: 0.066667, panels: [null, null] },
];

describe('the packed framing the render pass reads', () => {
  it('gives back every frame exactly as the tracks file has it', () => {
    const table = FramingTable.fromFrames(frames, true);
    expect(table.length).toBe(3);
    expect([...table.times]).toEqual([0, 0.033333, 0.066667]);
    frames.forEach((frame, i) => expect(table.panels(i)).toEqual(frame.panels));
    expect(table.facesAt(0)).toEqual(frames[0]!.faces);
    expect(table.facesAt(1)).toBeUndefined();
  });

  it('keeps no faces unless asked (they are only for the debug overlay)', () => {
    expect(FramingTable.fromFrames(frames, false).facesAt(0)).toBeUndefined();
  });
});
