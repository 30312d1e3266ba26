// What the page's review and settings do to framing and settings: pure logic.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings, settingsLink, storedSettings } from '../../src/app/settings';
import { rectInside } from '../../src/geometry/rect';
import { addNudge, applyNudges } from '../../src/framing/edits';
import { plan } from '../../src/framing/plan';
import { face, samples, talk } from './synthetic';

const input = {
  ...talk(4),
  samples: samples(4, 4, () => [face(500, 420, 180), face(1400, 400, 180), face(950, 300, 100)]),
  cuts: [2],
};
const centreX = (r: { x: number; w: number } | null) => (r ? r.x + r.w / 2 : null);

describe('review: re-planning with other people', () => {
  it('lists the people found and re-plans from the labels alone: swapped, or another person chosen', () => {
    const first = plan(input);
    expect(first.people).toHaveLength(3);
    expect(first.samples.every((s) => s.faces.every((f) => f.person !== undefined && f.appearance === undefined))).toBe(true);
    const [p0, p1] = first.chosen;
    expect(centreX(first.tracks.frames[10]!.panels[0])).toBeCloseTo(500, 0);
    const again = { ...input, samples: first.samples };
    const swapped = plan({ ...again, chosen: [p1!, p0!] }).tracks;
    expect(centreX(swapped.frames[10]!.panels[0])).toBeCloseTo(1400, 0);
    expect(centreX(swapped.frames[10]!.panels[1])).toBeCloseTo(500, 0);
    const third = first.people.find((p) => p.index !== p0 && p.index !== p1)!;
    const other = plan({ ...again, chosen: [p0!, third.index] }).tracks;
    expect(centreX(other.frames[10]!.panels[1])).toBeCloseTo(950, 0);
  });
});

describe('review: nudging a crop for one shot', () => {
  it('moves and zooms one panel in one shot only, keeping the aspect and staying inside the source', () => {
    const tracks = plan(input).tracks;
    const nudged = applyNudges(
      tracks,
      addNudge(addNudge([], { shot: 1, panel: 0, dx: 0.05, dy: 0, zoom: 1 }), { shot: 1, panel: 0, dx: 0.05, dy: 0, zoom: 1.25 }),
    );
    const before = tracks.frames[90]!.panels[0]!;
    const after = nudged.frames[90]!.panels[0]!;
    expect(after.h).toBeCloseTo(before.h / 1.25, 1);
    expect(after.w / after.h).toBeCloseTo(before.w / before.h, 3);
    expect(centreX(after)).toBeCloseTo(centreX(before)! + 0.1 * before.w, 0);
    // Shot 0 and the other panel are untouched.
    expect(nudged.frames[10]).toEqual(tracks.frames[10]);
    expect(nudged.frames[90]!.panels[1]).toEqual(tracks.frames[90]!.panels[1]);
    const far = applyNudges(tracks, [{ shot: 1, panel: 0, dx: -5, dy: -5, zoom: 0.2 }]);
    expect(rectInside(far.frames[90]!.panels[0]!, { x: 0, y: 0, w: 1920, h: 1080 }, 0.01)).toBe(true);
  });
});

describe('settings', () => {
  it('defaults, then what was remembered, then the link', () => {
    expect(resolveSettings(null, new URLSearchParams())).toEqual(DEFAULT_SETTINGS);
    const stored = storedSettings({ ...DEFAULT_SETTINGS, layout: 'stacked', size: { width: 1080, height: 1920 }, trimEmpty: true });
    const remembered = resolveSettings(stored, new URLSearchParams());
    expect([remembered.layout, remembered.size, remembered.trimEmpty]).toEqual(['stacked', { width: 1080, height: 1920 }, true]);
    const linked = resolveSettings(stored, new URLSearchParams('layout=side-by-side&encoders=1&review=0&bitrateMbps=8'));
    expect([linked.layout, linked.size, linked.encoders, linked.review, linked.bitrateMbps, linked.trimEmpty]).toEqual([
      'side-by-side',
      { width: 1920, height: 1080 },
      1,
      false,
      8,
      true,
    ]);
  });

  it('ignores what it cannot use', () => {
    const s = resolveSettings('{not json', new URLSearchParams('layout=diagonal&jobs=0&size=1921x1080&detectionRate=x&compositor=magic'));
    expect(s).toEqual(DEFAULT_SETTINGS);
  });

  it('makes a link that carries only what differs from the defaults', () => {
    const link = settingsLink('http://localhost:8080/', { ...DEFAULT_SETTINGS, missingPolicy: 'full-width', encoders: 3 });
    expect(link).toBe('http://localhost:8080/?encoders=3&missingPolicy=full-width');
    expect(resolveSettings(null, new URL(link).searchParams)).toEqual({ ...DEFAULT_SETTINGS, missingPolicy: 'full-width', encoders: 3 });
  });
});
