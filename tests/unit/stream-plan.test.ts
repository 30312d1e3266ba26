// The framing planned as the video is read (StreamPlanner) against the whole-video planner, on
// synthetic talks: the same people in the same panels, crops close, nothing smoothed across a cut.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_OPTIONS } from '../../src/framing/camera';
import { castFromSamples } from '../../src/framing/cast';
import { plan, type PlanInput } from '../../src/framing/plan';
import type { PlannedFrame } from '../../src/framing/stream-plan';
import { stream } from '../framing-drivers';
import type { Rect } from '../../src/geometry/rect';
import type { DetectionSample, Face } from '../../src/framing/types';
import { face, jitter, look, samples, seenAgain, seededRandom, talk } from './synthetic';

const LEFT = look(11);
const RIGHT = look(22);
const THIRD = look(33);

function person(cx: number, cy: number, size: number, appearance: readonly number[], random: () => number, noise = 4): Face {
  return { ...face(cx, cy, size), box: jitter(face(cx, cy, size).box, noise, random), appearance: seenAgain(appearance, random, 0.2) };
}

const centre = (r: Rect) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });

/** Per panel, the distance between the two planners' crop centres in crop heights (null where either has none). */
function distances(
  a: readonly PlannedFrame[],
  b: readonly { panels: [Rect | null, Rect | null] }[],
): { max: number; mean: number; p99: number; mismatched: number } {
  let max = 0;
  const all: number[] = [];
  let sum = 0;
  let n = 0;
  let mismatched = 0;
  a.forEach((frame, i) => {
    frame.panels.forEach((crop, p) => {
      const other = b[i]!.panels[p];
      if (!crop || !other) {
        if (!crop !== !other) mismatched++;
        return;
      }
      const d = Math.hypot(centre(crop).x - centre(other).x, centre(crop).y - centre(other).y) / other.h + Math.abs(Math.log(crop.h / other.h));
      max = Math.max(max, d);
      all.push(d);
      sum += d;
      n++;
    });
  });
  all.sort((x, y) => x - y);
  return { max, mean: n ? sum / n : 0, p99: all[Math.floor(all.length * 0.99)] ?? 0, mismatched };
}

function twoPeople(seconds: number, at: (t: number, random: () => number) => Face[], extra: Partial<PlanInput> = {}): PlanInput {
  const random = seededRandom(7);
  return { ...talk(seconds), samples: samples(seconds, 5, (t) => at(t, random)), ...extra };
}

describe('StreamPlanner against the whole-video planner', () => {
  it('frames every frame once, in order, with the same times', () => {
    const input = twoPeople(20, (_, r) => [person(600, 400, 180, LEFT, r), person(1300, 420, 170, RIGHT, r)]);
    const { frames } = stream(input);
    expect(frames.map((f) => f.t)).toEqual(plan(input).tracks.frames.map((f) => f.t));
  });

  it('noisy detections: same people in the same panels, crops within a few percent', () => {
    const input = twoPeople(40, (t, r) => [
      person(600 + 40 * Math.sin(t / 3), 400, 180, LEFT, r, 8),
      person(1300, 420 + 20 * Math.sin(t / 5), 170, RIGHT, r, 8),
    ]);
    const whole = plan(input).tracks.frames;
    const { frames } = stream(input);
    const d = distances(frames, whole);
    expect(d.mismatched).toBe(0);
    // Both are cameras locked off within the dead band (6 % of the crop height): where each decides
    // to hold differs by up to about that much.
    expect(d.mean).toBeLessThan(0.03);
    expect(d.p99).toBeLessThan(2 * DEFAULT_CAMERA_OPTIONS.deadBand);
    expect(d.max).toBeLessThan(0.15);
    // Panel 0 is the person on the left.
    expect(centre(frames[100]!.panels[0]!).x).toBeLessThan(900);
  });

  it('a crossing: each panel keeps its person as they swap sides', () => {
    // They walk past each other between 8 s and 12 s (the left one passes in front, a little lower).
    const x = (t: number, from: number, to: number) => from + (to - from) * Math.min(1, Math.max(0, (t - 8) / 4));
    const input = twoPeople(24, (t, r) => [person(x(t, 500, 1400), 420, 180, LEFT, r), person(x(t, 1400, 500), 380, 170, RIGHT, r)]);
    const whole = plan(input).tracks.frames;
    const { frames } = stream(input);
    // Whoever panel 0 shows, it shows them on both sides of the crossing; the two plans agree.
    const side = (f: { panels: [Rect | null, Rect | null] }) => centre(f.panels[0]!).x > 960;
    for (const f of frames.filter((f) => f.t > 14)) expect(side(f)).toBe(!side(frames[60]!));
    expect(side(frames[60]!)).toBe(side(whole[60]!));
    expect(distances(frames, whole).mismatched).toBe(0);
    expect(distances(frames, whole).mean).toBeLessThan(0.03);
  });

  it('cuts: nothing smoothed across one; the first frame after it is framed for the new shot', () => {
    const cuts = [10, 20];
    const place = (t: number) => (t < 10 ? [500, 1400] : t < 20 ? [800, 1100] : [400, 1500]);
    const input = twoPeople(30, (t, r) => [person(place(t)[0]!, 420, t < 10 ? 180 : 260, LEFT, r), person(place(t)[1]!, 420, t < 10 ? 180 : 260, RIGHT, r)], {
      cuts,
    });
    const whole = plan(input).tracks.frames;
    const { frames, planner } = stream(input);
    expect(planner.shotStarts).toEqual(plan(input).tracks.shots);
    for (const cut of cuts) {
      const first = frames.findIndex((f) => f.t >= cut - 1e-6);
      const x = place(cut)[0]!;
      expect(Math.abs(centre(frames[first]!.panels[0]!).x - x)).toBeLessThan(20);
      // The last frame before the cut is still framed for the old shot.
      expect(Math.abs(centre(frames[first - 1]!.panels[0]!).x - place(cut - 1)[0]!)).toBeLessThan(20);
    }
    expect(distances(frames, whole).mean).toBeLessThan(0.02);
  });

  it('a look-away under full-width: the same frames give the whole output to the other person', () => {
    // The right person is not detected from 12 s to 17 s.
    const input = twoPeople(30, (t, r) => [person(600, 400, 180, LEFT, r), ...(t >= 12 && t < 17 ? [] : [person(1300, 420, 170, RIGHT, r)])], {
      missingPolicy: 'full-width',
    });
    const whole = plan(input).tracks.frames;
    const { frames } = stream(input);
    const oneCrop = (fs: readonly { panels: [Rect | null, Rect | null] }[]) => fs.map((f) => f.panels[1] === null);
    expect(oneCrop(frames)).toEqual(oneCrop(whole));
    expect(oneCrop(frames).filter(Boolean).length).toBeGreaterThan(100);
  });

  it('a long still stretch: the camera is locked off, whatever the windows', () => {
    const input = twoPeople(60, (_, r) => [person(600, 400, 180, LEFT, r, 3), person(1300, 420, 170, RIGHT, r, 3)]);
    const { frames } = stream(input, { window: 2 });
    const crops = new Set(frames.slice(60).map((f) => JSON.stringify(f.panels)));
    expect(crops.size).toBe(1);
  });

  it('a third person passing through gets no panel', () => {
    const input = twoPeople(30, (t, r) => [
      person(500, 400, 180, LEFT, r),
      person(1400, 420, 170, RIGHT, r),
      ...(t > 10 && t < 14 ? [person(950, 500, 200, THIRD, r)] : []),
    ]);
    const { frames } = stream(input);
    for (const f of frames) {
      expect(centre(f.panels[0]!).x).toBeLessThan(700);
      expect(centre(f.panels[1]!).x).toBeGreaterThan(1200);
    }
  });

  it('people who look unlike the cast (the light of another camera) still get their panels', () => {
    // The look across the file saw them one way; the stream sees colours past the appearance gate.
    const cast = castFromSamples(
      samples(30, 0.5, () => [
        { ...face(500, 400, 180), appearance: LEFT },
        { ...face(1400, 420, 170), appearance: RIGHT },
      ]),
    );
    const input = twoPeople(20, (_, r) => [person(520, 400, 180, look(44), r), person(1380, 420, 170, look(55), r)]);
    const { frames } = stream(input, { cast });
    expect(frames).toHaveLength(input.frameTimes.length);
    for (const f of frames) {
      expect(centre(f.panels[0]!).x).toBeLessThan(700);
      expect(centre(f.panels[1]!).x).toBeGreaterThan(1200);
    }
  });

  it('holds a few windows of frames, not the video', () => {
    const input = twoPeople(120, (_, r) => [person(600, 400, 180, LEFT, r), person(1300, 420, 170, RIGHT, r)]);
    const { maxHeld, frames } = stream(input);
    expect(frames.length).toBe(120 * 30);
    // Window 4 s + look-ahead 3 s + context 3 s + the lag, at 30 fps.
    expect(maxHeld).toBeLessThan(11 * 30 + 30);
  });

  it('a person the cast missed joins it when seen for a while', () => {
    const input = twoPeople(20, (t, r) => [person(600, 400, 180, LEFT, r), ...(t >= 5 ? [person(1300, 420, 170, RIGHT, r)] : [])]);
    // The look saw only the first person.
    const { frames } = stream(input, { cast: castFromSamples(input.samples.filter((s) => s.t < 4)), lag: 0.5 });
    const last = frames[frames.length - 1]!;
    expect(last.panels[0] && last.panels[1]).toBeTruthy();
    expect(centre(last.panels[0]!).x).toBeLessThan(centre(last.panels[1]!).x);
  });
});

export type { DetectionSample };
