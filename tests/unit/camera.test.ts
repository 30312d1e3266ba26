import { describe, expect, it } from 'vitest';
import type { CropView } from '../../src/geometry/crop';
import { DEFAULT_CAMERA_OPTIONS, findHolds, interpolateTargets, limitSpeed, shotCamera } from '../../src/framing/camera';
import { seededRandom } from './synthetic';

const fps = 30;
const rate = 4;
const frameTimes = (seconds: number) => Array.from({ length: seconds * fps }, (_, i) => i / fps);
const sampleTimes = (seconds: number) => Array.from({ length: seconds * rate }, (_, i) => i / rate);

function maxStep(path: readonly CropView[]): number {
  let max = 0;
  for (let i = 1; i < path.length; i++) max = Math.max(max, Math.abs(path[i]!.cx - path[i - 1]!.cx), Math.abs(path[i]!.cy - path[i - 1]!.cy));
  return max;
}

/** Mean |second difference| of the centre, relative to the crop height. */
function jitter(xs: readonly number[], h: number): number {
  let sum = 0;
  for (let i = 1; i + 1 < xs.length; i++) sum += Math.abs(xs[i + 1]! - 2 * xs[i]! + xs[i - 1]!);
  return sum / (xs.length - 2) / h;
}

describe('virtual camera', () => {
  it('does not move at all while a seated person jitters within the dead band', () => {
    const random = seededRandom(3);
    const targets = sampleTimes(10).map(() => ({ cx: 500 + (random() - 0.5) * 20, cy: 400 + (random() - 0.5) * 20, h: 600 + (random() - 0.5) * 20 }));
    const path = shotCamera(sampleTimes(10), targets, frameTimes(10), fps)!;
    expect(path).toHaveLength(300);
    expect(maxStep(path)).toBe(0);
    expect(new Set(path.map((v) => v.h)).size).toBe(1);
    // Locked off where the person sits, not where they were first seen.
    expect(Math.abs(path[0]!.cx - 500)).toBeLessThan(6);
  });

  it('glides to a new position when the person moves and stays, without jumps or overshoot', () => {
    const targets = sampleTimes(8).map((t) => (t < 4 ? { cx: 500, cy: 400, h: 600 } : { cx: 800, cy: 400, h: 600 }));
    const path = shotCamera(sampleTimes(8), targets, frameTimes(8), fps)!;
    expect(path[0]!.cx).toBe(500);
    expect(path[path.length - 1]!.cx).toBe(800);
    // 300 px (half a crop height): no frame step should be a large share of it.
    expect(maxStep(path)).toBeLessThan(300 / 8);
    for (let i = 1; i < path.length; i++) expect(path[i]!.cx).toBeGreaterThanOrEqual(path[i - 1]!.cx - 1e-9);
    // Still (exactly) for the second before and after the move.
    expect(path.slice(0, 60).every((v) => v.cx === 500)).toBe(true);
    expect(path.slice(-60).every((v) => v.cx === 800)).toBe(true);
  });

  it('ignores a single wrong detection', () => {
    const targets = sampleTimes(4).map((_, i) => (i === 7 ? { cx: 1500, cy: 100, h: 300 } : { cx: 500, cy: 400, h: 600 }));
    const path = shotCamera(sampleTimes(4), targets, frameTimes(4), fps)!;
    expect(maxStep(path)).toBe(0);
    expect(path[60]!.cx).toBe(500);
  });

  it('pans with a person who keeps moving: centred, and calmer than following the true face frame by frame', () => {
    const random = seededRandom(11);
    const seconds = 12;
    // A slow sway across the room plus the small quick movements every talking head makes.
    const truth = (t: number) => 900 + 400 * Math.sin(t * 0.7) + 6 * Math.sin(t * 2 * Math.PI * 2.5);
    const h = 600;
    const targets = sampleTimes(seconds).map((t) => ({ cx: truth(t) + (random() - 0.5) * 30, cy: 400 + (random() - 0.5) * 30, h: h + (random() - 0.5) * 20 }));
    const frames = frameTimes(seconds);
    const path = shotCamera(sampleTimes(seconds), targets, frames, fps)!;
    const cropWidth = h * (960 / 1080);
    const offsets = path.map((v, i) => Math.abs(v.cx - truth(frames[i]!)) / cropWidth).sort((a, b) => a - b);
    expect(offsets[Math.floor(offsets.length / 2)]!).toBeLessThan(0.05);
    // The face (a third of the crop height wide) stays inside the crop all the time.
    expect(offsets[offsets.length - 1]!).toBeLessThan(0.5 - 1 / 6);
    const ours = jitter(
      path.map((v) => v.cx),
      h,
    );
    const ideal = jitter(frames.map(truth), h);
    expect(ours).toBeLessThan(ideal);
  });

  it('holds the first sighting before it and the last after it, and interpolates between samples', () => {
    const a = { cx: 0, cy: 0, h: 100 };
    const b = { cx: 100, cy: 0, h: 100 };
    const out = interpolateTargets([1, 2], [a, b], [0, 1, 1.5, 2, 3])!;
    expect([...out.cx]).toEqual([0, 0, 50, 100, 100]);
    for (const h of out.h) expect(h).toBeCloseTo(100, 9);
    expect(interpolateTargets([0, 1], [null, null], [0, 0.5])).toBeNull();
    expect(shotCamera([0, 1], [null, null], [0, 0.5], fps)).toBeNull();
  });

  it('finds holds only where the value stays within the band long enough', () => {
    const values = [...Array<number>(10).fill(0), 5, 10, 15, 20, ...Array<number>(10).fill(30)];
    const holds = findHolds(values, 1, 5);
    expect(holds.slice(0, 10).every((v) => v === 0)).toBe(true);
    expect(holds.slice(10, 14).every((v) => Number.isNaN(v))).toBe(true);
    expect(holds.slice(14).every((v) => v === 30)).toBe(true);
  });

  it('never pans faster than the speed limit, however far the person jumps', () => {
    const limited = limitSpeed([0, 0, 0, 0, 100, 100, 100, 100], 10);
    for (let i = 1; i < limited.length; i++) expect(Math.abs(limited[i]! - limited[i - 1]!)).toBeLessThanOrEqual(10 + 1e-9);
    const targets = sampleTimes(6).map((t) => (t < 3 ? { cx: 300, cy: 400, h: 400 } : { cx: 1600, cy: 400, h: 400 }));
    const path = shotCamera(sampleTimes(6), targets, frameTimes(6), fps)!;
    expect(maxStep(path)).toBeLessThanOrEqual((DEFAULT_CAMERA_OPTIONS.maxSpeed * 400) / fps + 1e-6);
  });
});
