// Detection paced by what the picture needs: full rate while things move, once a second while still.
import { describe, expect, it } from 'vitest';
import { DetectionPacer, sameFaces } from '../../src/detect/search';

const box = (x: number, y: number, h: number) => ({ x, y, w: h, h });

/** Frames at 30 fps for `seconds`; `faces(t)` is what each detection answers, `moved(t)` whether the picture changed. */
function detectedTimes(seconds: number, faces: (t: number) => ReturnType<typeof box>[], moved: (t: number) => boolean = () => false): number[] {
  const pacer = new DetectionPacer(4);
  const times: number[] = [];
  for (let i = 0; i < seconds * 30; i++) {
    const t = i / 30;
    if (!pacer.due(t, moved(t))) continue;
    pacer.asked(t);
    pacer.answered(faces(t));
    times.push(t);
  }
  return times;
}

describe('sameFaces', () => {
  it('holds for the same faces a little jittered, not for a move, a new face or none', () => {
    expect(sameFaces([box(100, 100, 200), box(900, 100, 180)], [box(901, 101, 181), box(102, 99, 201)])).toBe(true);
    expect(sameFaces([box(100, 100, 200)], [box(130, 100, 200)])).toBe(false);
    expect(sameFaces([box(100, 100, 200)], [box(100, 100, 200), box(900, 100, 180)])).toBe(false);
    expect(sameFaces([], [])).toBe(false);
  });
});

describe('DetectionPacer', () => {
  it('detects at the full rate while faces move', () => {
    const times = detectedTimes(10, (t) => [box(100 + 40 * t, 100, 200)]);
    expect(times.length).toBe(40);
  });

  it('detects once a second while the same faces sit still and the picture does not change', () => {
    const times = detectedTimes(10, () => [box(100, 100, 200), box(900, 100, 180)]);
    // The first two answers at the full rate show it is still; then one a second.
    expect(times.length).toBeLessThanOrEqual(12);
    expect(times.length).toBeGreaterThanOrEqual(10);
  });

  it('goes back to the full rate as soon as the picture changes', () => {
    const times = detectedTimes(
      10,
      () => [box(100, 100, 200)],
      (t) => t >= 5,
    );
    expect(times.filter((t) => t >= 5).length).toBe(20);
  });

  it('after a reset (a cut) starts again at the full rate', () => {
    const pacer = new DetectionPacer(4);
    for (const t of [0, 0.25, 0.5]) {
      pacer.asked(t);
      pacer.answered([box(100, 100, 200)]);
    }
    expect(pacer.due(0.75, false)).toBe(false);
    pacer.reset();
    expect(pacer.due(0.75, false)).toBe(true);
  });
});
