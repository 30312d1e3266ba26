import { describe, expect, it } from 'vitest';
import type { CropView } from '../../src/geometry/crop';
import { cameraPath, fillGaps, holdWithinDeadBand, DEFAULT_CAMERA_OPTIONS } from '../../src/tracking/camera';
import { seededRandom } from './synthetic';

const fps = 30;
const rate = 4;
const frameTimes = (seconds: number) => Array.from({ length: seconds * fps }, (_, i) => i / fps);
const sampleTimes = (seconds: number) => Array.from({ length: seconds * rate }, (_, i) => i / rate);

function maxStep(path: CropView[]): number {
  let max = 0;
  for (let i = 1; i < path.length; i++) max = Math.max(max, Math.abs(path[i]!.cx - path[i - 1]!.cx), Math.abs(path[i]!.cy - path[i - 1]!.cy));
  return max;
}

describe('virtual camera', () => {
  it('does not move at all while a seated person jitters within the dead band', () => {
    const random = seededRandom(3);
    const targets = sampleTimes(10).map(() => ({ cx: 500 + (random() - 0.5) * 20, cy: 400 + (random() - 0.5) * 20, h: 600 + (random() - 0.5) * 20 }));
    const path = cameraPath(sampleTimes(10), targets, frameTimes(10), fps)!;
    expect(path).toHaveLength(300);
    expect(maxStep(path)).toBe(0);
    expect(new Set(path.map((v) => v.h)).size).toBe(1);
  });

  it('glides to a new position when the person moves, without jumps', () => {
    const targets = sampleTimes(6).map((t) => (t < 3 ? { cx: 500, cy: 400, h: 600 } : { cx: 800, cy: 400, h: 600 }));
    const path = cameraPath(sampleTimes(6), targets, frameTimes(6), fps)!;
    expect(path[0]!.cx).toBe(500);
    expect(path[path.length - 1]!.cx).toBe(800);
    // 300 px over a ~0.6 s move: no frame step should be a large share of it.
    expect(maxStep(path)).toBeLessThan(300 / 8);
    // Monotonic: it never overshoots or comes back.
    for (let i = 1; i < path.length; i++) expect(path[i]!.cx).toBeGreaterThanOrEqual(path[i - 1]!.cx);
  });

  it('ignores a single wrong detection', () => {
    const targets = sampleTimes(4).map((_, i) => (i === 7 ? { cx: 1500, cy: 100, h: 300 } : { cx: 500, cy: 400, h: 600 }));
    const path = cameraPath(sampleTimes(4), targets, frameTimes(4), fps)!;
    expect(maxStep(path)).toBe(0);
    expect(path[60]!.cx).toBe(500);
  });

  it('holds the first known framing before a person appears and the last one through a gap', () => {
    const a = { cx: 1, cy: 2, h: 3 };
    const b = { cx: 4, cy: 5, h: 6 };
    expect(fillGaps([null, a, null, b, null])).toEqual([a, a, a, b, b]);
    expect(fillGaps([null, null])).toBeNull();
    expect(cameraPath([0, 1], [null, null], [0, 0.5], fps)).toBeNull();
  });

  it('reframes only when the target leaves the dead band', () => {
    const h = 1000;
    const small = DEFAULT_CAMERA_OPTIONS.deadBand * h * 0.9;
    const large = DEFAULT_CAMERA_OPTIONS.deadBand * h * 1.1;
    const held = holdWithinDeadBand(
      [{ cx: 0, cy: 0, h }, { cx: small, cy: 0, h }, { cx: large, cy: 0, h }],
      DEFAULT_CAMERA_OPTIONS,
    );
    expect(held.map((v) => v.cx)).toEqual([0, 0, large]);
  });
});
