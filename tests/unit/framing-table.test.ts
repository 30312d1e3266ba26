import { describe, expect, it } from 'vitest';
import { FramingTable, FramingTableBuilder } from '../../src/framing/framing-table';
import type { TracksFrame } from '../../src/framing/tracks-file';

const frames: TracksFrame[] = [
  {
    t: 0,
    panels: [
      { x: 42.67, y: 0, w: 971.22, h: 863.31 },
      { x: 951.54, y: 0.5, w: 968.46, h: 860.86 },
    ],
    faces: [{ x: 1, y: 2, w: 3, h: 4, person: 0 }],
  },
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

describe('the packed framing written by the planner', () => {
  it('holds what the tracks file would, frame by frame, also when the capacity was too small', () => {
    const builder = new FramingTableBuilder(1, true);
    for (const frame of frames) builder.add(frame.t, frame.panels, frame.faces);
    const table = builder.build();
    expect(table.length).toBe(3);
    frames.forEach((frame, i) => {
      expect(table.times[i]).toBe(frame.t);
      expect(table.panels(i)).toEqual(frame.panels);
      expect(table.facesAt(i)).toEqual(frame.faces);
    });
  });

  it('is cut to the frames given when fewer came than the capacity (trimmed spans)', () => {
    const builder = new FramingTableBuilder(10, false);
    builder.add(0, [null, null]);
    expect(builder.build().times).toEqual(new Float64Array([0]));
  });
});
