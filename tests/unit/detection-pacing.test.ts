import { describe, expect, it } from 'vitest';
import { LikenessPacer, SmallFaceSearchPacer } from '../../src/detect/search';
import { detectorCount } from '../../src/detect/client';

describe('small-face search pacing', () => {
  it('runs at once, then at most every 1.5 s', () => {
    const pacer = new SmallFaceSearchPacer();
    expect(pacer.due(0)).toBe(true);
    pacer.record(0, 'found');
    expect(pacer.due(1.4)).toBe(false);
    expect(pacer.due(1.5)).toBe(true);
  });

  it('doubles the wait after each search that found nobody new, up to 8x, and resets when one does', () => {
    const pacer = new SmallFaceSearchPacer();
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      pacer.record(t, 'fruitless');
      let next = t;
      while (!pacer.due(next)) next += 0.25;
      waits.push(next - t);
      t = next;
    }
    expect(waits).toEqual([3, 6, 12, 12, 12]);
    pacer.record(t, 'found');
    expect(pacer.due(t + 1.5)).toBe(true);
  });

  it('ignores detections where the search did not run', () => {
    const pacer = new SmallFaceSearchPacer();
    pacer.record(0, 'fruitless');
    pacer.record(2, 'not-run');
    expect(pacer.due(3)).toBe(true);
  });
});

describe('detection workers per machine', () => {
  it('one on small machines, one per four cores on larger ones, at most four', () => {
    expect([1, 2, 4, 7, 8, 12, 16, 64].map(detectorCount)).toEqual([1, 1, 1, 1, 2, 3, 4, 4]);
  });
});

describe('likeness pacing', () => {
  /** The times described among samples every 0.1 s from `from` to `to`, with `faces(t)` faces known. */
  function described(pacer: LikenessPacer, from: number, to: number, faces: (t: number) => number, cutAt = from): number[] {
    const times: number[] = [];
    for (let i = 0; from + i * 0.1 <= to + 1e-9; i++) {
      const t = Math.round((from + i * 0.1) * 10) / 10;
      if (pacer.due(t, t === cutAt, faces(t))) times.push(t);
    }
    return times;
  }

  it('describes at a cut, then at gaps doubling from 0.5 s to 2 s while the shot stays the same', () => {
    expect(described(new LikenessPacer(), 0, 10, () => 2)).toEqual([0, 0.5, 1.5, 3.5, 5.5, 7.5, 9.5]);
  });

  it('starts the short gaps again when a face comes or goes, and at the next cut', () => {
    const pacer = new LikenessPacer();
    // Two faces, a third enters at 6 s.
    expect(described(pacer, 0, 8, (t) => (t < 6 ? 2 : 3))).toEqual([0, 0.5, 1.5, 3.5, 5.5, 6, 7]);
    expect(described(pacer, 8.1, 9, () => 1)).toEqual([8.1, 8.6]);
  });
});
