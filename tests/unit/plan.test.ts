import { describe, expect, it } from 'vitest';
import { rectInside } from '../../src/geometry/rect';
import { planTracks } from '../../src/tracking/plan';
import { tracksFileProblem } from '../../src/tracking/tracks-file';
import { face, samples } from './synthetic';

describe('planning the tracks file', () => {
  const frameTimes = Array.from({ length: 90 }, (_, i) => i / 30);
  const base = {
    sourceFile: 'talk.mp4',
    source: { width: 1920, height: 1080 },
    fps: 30,
    frameTimes,
    outputFile: 'talk.dualface.mp4',
    output: { width: 1920, height: 1080 },
    layout: 'side-by-side' as const,
  };

  it('gives one entry per frame with panel crops of the panel aspect, inside the source, left person in panel 0', () => {
    const tracks = planTracks({ ...base, samples: samples(3, 4, () => [face(1400, 400, 200), face(500, 420, 180)]) });
    expect(tracksFileProblem(tracks)).toBeNull();
    expect(tracks.frames).toHaveLength(90);
    expect(tracks.source).toEqual({ file: 'talk.mp4', width: 1920, height: 1080, frames: 90, fps: 30 });
    expect(tracks.output).toEqual({ file: 'talk.dualface.mp4', width: 1920, height: 1080, layout: 'side-by-side' });
    for (const frame of tracks.frames) {
      const [left, right] = frame.panels;
      for (const r of [left!, right!]) {
        expect(rectInside(r, { x: 0, y: 0, w: 1920, h: 1080 }, 0.01)).toBe(true);
        expect(r.w / r.h).toBeCloseTo(960 / 1080, 2);
      }
      expect(left!.x + left!.w / 2).toBeCloseTo(500, 0);
      expect(right!.x + right!.w / 2).toBeCloseTo(1400, 0);
    }
    expect(tracks.frames[1]!.t).toBeCloseTo(1 / 30, 6);
  });

  it('shows the likely half of the frame for a person never seen', () => {
    const tracks = planTracks({ ...base, samples: samples(3, 4, () => [face(500, 420, 180)]) });
    const right = tracks.frames[0]!.panels[1]!;
    expect(right.x + right.w / 2).toBeCloseTo(1440, 0);
  });
});

describe('tracks file validation', () => {
  it('names what is wrong', () => {
    expect(tracksFileProblem(null)).toMatch(/object/);
    expect(tracksFileProblem({ version: 2 })).toMatch(/version/);
    const ok = { version: 1, source: { width: 10, height: 10 }, output: { width: 8, height: 8, layout: 'stacked' }, frames: [{ t: 0, panels: [null, { x: 0, y: 0, w: 1, h: 1 }] }] };
    expect(tracksFileProblem(ok)).toBeNull();
    expect(tracksFileProblem({ ...ok, frames: [{ t: 0, panels: [null] }] })).toMatch(/two panels/);
  });
});
