import { describe, expect, it } from 'vitest';
import { rectInside } from '../../src/geometry/rect';
import { plan, planTracks } from '../../src/framing/plan';
import { FramingTableBuilder } from '../../src/framing/framing-table';
import { tracksFileProblem } from '../../src/framing/tracks-file';
import { face, samples, talk } from './synthetic';

describe('planning the tracks file', () => {
  const base = talk(3);

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

  it('shows the one person full-width while the second is never seen', () => {
    const tracks = planTracks({ ...base, samples: samples(3, 4, () => [face(500, 420, 180)]) });
    expect(tracksFileProblem(tracks)).toBeNull();
    for (const frame of tracks.frames) {
      const [only, none] = frame.panels;
      expect(none).toBeNull();
      expect(only!.w / only!.h).toBeCloseTo(1920 / 1080, 2);
      // Centred on the face unless that would reach past the left edge.
      expect(only!.x + only!.w / 2).toBeCloseTo(Math.max(500, only!.w / 2), 0);
    }
  });
});

describe('planning across shots and absences', () => {
  const seconds = 8;
  const base = talk(seconds);
  const frameTimes = base.frameTimes;
  const centre = (r: { x: number; w: number } | null) => (r ? r.x + r.w / 2 : null);

  it('never smooths across a cut: the frame before it shows the old framing, the frame after it the new', () => {
    const s = samples(seconds, 4, (t) => (t < 4 ? [face(500, 420, 180), face(1400, 400, 180)] : [face(700, 420, 180), face(1200, 400, 180)]));
    const tracks = planTracks({ ...base, samples: s, cuts: [4] });
    expect(tracks.shots).toEqual([0, 120]);
    expect(centre(tracks.frames[119]!.panels[0])).toBeCloseTo(500, 0);
    expect(centre(tracks.frames[120]!.panels[0])).toBeCloseTo(700, 0);
    expect(centre(tracks.frames[120]!.panels[1])).toBeCloseTo(1200, 0);
  });

  it('gives both panels the same head size: the person further away is zoomed more', () => {
    const tracks = planTracks({ ...base, samples: samples(seconds, 4, () => [face(500, 420, 240), face(1400, 400, 120)]) });
    const [near, far] = tracks.frames[100]!.panels;
    // Head height over crop height is the same in both panels.
    expect(240 / near!.h).toBeCloseTo(120 / far!.h, 3);
  });

  it('policy full-width: the one left on screen fills the output while the other is away for 2 s or more, not for a short look-away', () => {
    const s = samples(seconds, 4, (t) => {
      const faces = [face(1400, 400, 180)];
      const away = (t >= 2 && t < 5) || (t >= 6 && t < 6.75);
      if (!away) faces.push(face(500, 420, 180));
      return faces;
    });
    const full = planTracks({ ...base, samples: s, missingPolicy: 'full-width' });
    expect(tracksFileProblem(full)).toBeNull();
    const single = full.frames.map((f) => f.panels[0] === null);
    expect(single[45]).toBe(false); // 1.5 s: both there
    expect(single[105]).toBe(true); // 3.5 s: the left person has been gone 1.5 s of a 3 s absence
    expect(single[190]).toBe(false); // 6.3 s: a look-away shorter than 2 s
    expect(full.frames[105]!.panels[1]!.w / full.frames[105]!.panels[1]!.h).toBeCloseTo(16 / 9, 2);
    const keep = planTracks({ ...base, samples: s, missingPolicy: 'keep' });
    // Keep: the empty chair stays framed where the person was.
    expect(centre(keep.frames[105]!.panels[0])).toBeCloseTo(500, 0);
  });

  it('trim-empty: cuts out a span of 2 s or more where neither person is seen, never a frame with someone', () => {
    const s = samples(seconds, 4, (t) => (t >= 2 && t < 5 ? [] : t >= 6 && t < 7 ? [face(500, 420, 180)] : [face(500, 420, 180), face(1400, 400, 180)]));
    const tracks = planTracks({ ...base, samples: s, trimEmpty: true });
    expect(tracks.trimmed).toEqual([[2, 5]]);
    expect(tracks.frames).toHaveLength(frameTimes.length - 90);
    expect(tracks.frames.some((f) => f.t >= 2 && f.t < 5)).toBe(false);
    expect(tracksFileProblem(tracks)).toBeNull();
    // Off by default.
    expect(planTracks({ ...base, samples: s }).frames).toHaveLength(frameTimes.length);
  });

  it('debug overlay: each frame lists the latest detected faces, labelled with their panel', () => {
    const s = samples(seconds, 4, () => [face(1400, 400, 180), face(500, 420, 180), face(950, 200, 60)]);
    const tracks = planTracks({ ...base, samples: s, overlay: true });
    const faces = tracks.frames[40]!.faces!;
    expect(faces.map((f) => [f.x + f.w / 2, f.person])).toEqual([
      [1400, 1],
      [500, 0],
      [950, null],
    ]);
    expect(planTracks({ ...base, samples: s }).frames[40]!.faces).toBeUndefined();
  });

  it('shows the whole picture when nobody is ever seen', () => {
    const tracks = planTracks({ ...base, samples: samples(seconds, 4, () => []) });
    expect(tracks.frames[0]!.panels).toEqual([{ x: 0, y: 0, w: 1920, h: 1080 }, null]);
  });
});

describe('tracks file validation', () => {
  it('names what is wrong', () => {
    expect(tracksFileProblem(null)).toMatch(/object/);
    expect(tracksFileProblem({ version: 2 })).toMatch(/version/);
    const ok = {
      version: 1,
      source: { width: 10, height: 10 },
      output: { width: 8, height: 8, layout: 'stacked' },
      frames: [{ t: 0, panels: [null, { x: 0, y: 0, w: 1, h: 1 }] }],
    };
    expect(tracksFileProblem(ok)).toBeNull();
    expect(tracksFileProblem({ ...ok, frames: [{ t: 0, panels: [null] }] })).toMatch(/two panels/);
    expect(tracksFileProblem({ ...ok, frames: [{ t: 0, panels: [null, { x: 0, y: 0, w: 2, h: 1 }] }] })).toMatch(/stretched/);
  });
});

describe('planning straight into the packed framing', () => {
  it('gives the same framing as the tracks file, with trimmed spans and the overlay, and leaves the file without frames', () => {
    const seconds = 12;
    const base = talk(seconds);
    const input = {
      ...base,
      samples: samples(seconds, 4, (t) => (t > 3 && t < 7 ? [] : [face(500 + 10 * t, 420, 180), face(1400, 400, 200)])),
      cuts: [8],
      trimEmpty: true,
      overlay: true,
    };
    const tracks = planTracks(input);
    const builder = new FramingTableBuilder(base.frameTimes.length, true);
    const planned = plan(input, builder);
    const table = builder.build();
    expect(planned.tracks.frames).toHaveLength(0);
    expect(tracks.trimmed?.length).toBe(1);
    expect(table.length).toBe(tracks.frames.length);
    tracks.frames.forEach((frame, i) => {
      expect(table.times[i]).toBe(frame.t);
      expect(table.panels(i)).toEqual(frame.panels);
      expect(table.facesAt(i)).toEqual(frame.faces);
    });
  });
});
