import { describe, expect, it } from 'vitest';
import { CutDetector, detectCuts, shotIndexAt, shotsFromCuts, SIGNATURE_LENGTH, type FrameSignature } from '../../src/framing/shots';
import { seededRandom } from './synthetic';

/** A frame of a shot: the shot's look plus per-frame noise and a slow drift (camera or people moving). */
function signatures(shotLooks: number[], framesPerShot: number, noise: number, seed = 1): FrameSignature[] {
  const random = seededRandom(seed);
  const out: FrameSignature[] = [];
  shotLooks.forEach((lookSeed, shot) => {
    const base = seededRandom(lookSeed);
    const grid = Array.from({ length: SIGNATURE_LENGTH - 16 }, () => base());
    const histogram = Array.from({ length: 16 }, () => base());
    const sum = histogram.reduce((a, b) => a + b, 0);
    for (let f = 0; f < framesPerShot; f++) {
      const values = new Float32Array(SIGNATURE_LENGTH);
      grid.forEach((v, i) => (values[i] = Math.min(1, Math.max(0, v + (random() - 0.5) * noise + f * 0.001))));
      histogram.forEach((v, i) => (values[grid.length + i] = (v / sum) * (1 + (random() - 0.5) * noise)));
      out.push({ t: (shot * framesPerShot + f) / 30, values });
    }
  });
  return out;
}

describe('cuts', () => {
  it('finds every hard cut at its exact frame, and nothing in noisy, moving shots', () => {
    const s = signatures([11, 22, 33, 44], 45, 0.06);
    expect(detectCuts(s)).toEqual([45 / 30, 90 / 30, 135 / 30]);
  });

  it('finds nothing in one long shot', () => {
    expect(detectCuts(signatures([5], 300, 0.08))).toEqual([]);
  });

  it('does not take a flash (the picture comes back) for a cut', () => {
    const s = signatures([11, 22], 60, 0.04);
    // Frames 20-21 flash white.
    for (const i of [20, 21]) s[i]!.values.fill(1);
    expect(detectCuts(s)).toEqual([60 / 30]);
  });

  it('keeps only a few frames while it works, however long the video', () => {
    const detector = new CutDetector();
    let most = 0;
    for (const s of signatures([11, 22, 33, 44, 55, 66, 77, 88, 99, 111], 300, 0.05)) {
      detector.push(s.t, s.values);
      most = Math.max(most, detector.bufferedFrames);
    }
    expect(detector.finish()).toHaveLength(9);
    expect(most).toBeLessThan(40);
  });

  it('splits frames into shots at the cut times', () => {
    const times = Array.from({ length: 10 }, (_, i) => i / 10);
    expect(shotsFromCuts(times, [0.3, 0.7])).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(shotsFromCuts(times, [])).toEqual([{ start: 0, end: 10 }]);
  });

  it('a sample taken at a cut, its time in whole microseconds, belongs to the shot the cut starts', () => {
    // Frame 569 of a 30 fps video: 18.9666667 s from the container, 18966666 µs from the decoder.
    const times = Array.from({ length: 600 }, (_, i) => i / 30);
    const shots = shotsFromCuts(times, [569 / 30]);
    const starts = shots.map((s) => times[s.start]!);
    expect(shotIndexAt(starts, 18966666 / 1e6)).toBe(1);
    expect(shotIndexAt(starts, 568 / 30)).toBe(0);
  });
});
