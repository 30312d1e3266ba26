import { describe, expect, it } from 'vitest';
import { rectCentre } from '../../src/geometry/rect';
import { assignIdentities } from '../../src/framing/identity';
import { mergeDetections } from '../../src/framing/merge';
import { face, jitter, samples, seededRandom } from './synthetic';

const centreX = (f: { box: { x: number; w: number } } | null) => (f ? rectCentre(f.box as never).x : null);

describe('identities', () => {
  it('panel 0 is whoever is leftmost when both are first seen, whatever order the detector lists them', () => {
    const s = samples(2, 4, () => [face(1400, 400, 200), face(500, 420, 180)]);
    const pairs = assignIdentities(s);
    for (const [p0, p1] of pairs) {
      expect(centreX(p0)).toBe(500);
      expect(centreX(p1)).toBe(1400);
    }
  });

  it('keeps each person through detection noise and a missed detection', () => {
    const random = seededRandom(7);
    const s = samples(10, 4, (t) => {
      const left = { ...face(500, 420, 180), box: jitter(face(500, 420, 180).box, 12, random) };
      const right = { ...face(1400, 400, 200), box: jitter(face(1400, 400, 200).box, 12, random) };
      if (Math.abs(t - 5) < 0.6) return [right]; // the left person looks away for a second
      return random() < 0.5 ? [left, right] : [right, left];
    });
    const pairs = assignIdentities(s);
    pairs.forEach(([p0, p1], i) => {
      const t = s[i]!.t;
      if (Math.abs(t - 5) < 0.6) expect(p0).toBeNull();
      else expect(centreX(p0)!).toBeLessThan(700);
      expect(centreX(p1)!).toBeGreaterThan(1200);
    });
  });

  it('follows people who move steadily, also backwards in time before they were first seen together', () => {
    // Person A alone at first, then B walks in from the right; A drifts right slowly.
    const s = samples(6, 4, (t) => {
      const a = face(400 + 30 * t, 500, 160);
      return t < 2 ? [a] : [a, face(1500 - 20 * (t - 2), 480, 170)];
    });
    const pairs = assignIdentities(s);
    pairs.forEach(([p0, p1], i) => {
      const t = s[i]!.t;
      expect(centreX(p0)).toBeCloseTo(400 + 30 * t);
      if (t < 2) expect(p1).toBeNull();
      else expect(centreX(p1)).toBeCloseTo(1500 - 20 * (t - 2));
    });
  });

  it('with a third face, keeps the two people it started with', () => {
    const s = samples(4, 4, (t) => {
      const faces = [face(500, 420, 180), face(1400, 400, 200)];
      if (t > 1) faces.push(face(950, 300, 120));
      return faces;
    });
    for (const [p0, p1] of assignIdentities(s)) {
      expect(centreX(p0)).toBe(500);
      expect(centreX(p1)).toBe(1400);
    }
  });

  it('returns empty pairs when nobody is ever seen', () => {
    expect(assignIdentities(samples(1, 4, () => []))).toEqual([
      [null, null],
      [null, null],
      [null, null],
      [null, null],
    ]);
  });
});

describe('merging tile detections', () => {
  it('keeps one box per face, the most confident', () => {
    const merged = mergeDetections([face(100, 100, 50, 0.7), face(104, 98, 48, 0.9), face(400, 100, 50, 0.8)]);
    expect(merged).toHaveLength(2);
    expect(merged[0]!.score).toBe(0.9);
  });

  it('drops a box that lies mostly inside a larger one', () => {
    const merged = mergeDetections([face(100, 100, 100, 0.9), face(105, 95, 40, 0.8)]);
    expect(merged).toHaveLength(1);
  });

  it('takes the box of a view at least 1.5 times finer that scored nearly as well, keeping the better score', () => {
    // A small face seen in the whole picture (0.4 network pixels a pixel) with a box twice its size, and
    // in a tile of half the picture (0.71) at its size; real footage: 113 px against 62 px.
    const whole = face(430, 96, 113, 0.81);
    const tile = face(430, 100, 62, 0.7);
    const merged = mergeDetections(
      [whole, tile],
      undefined,
      new Map([
        [whole, 0.4],
        [tile, 0.71],
      ]),
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.box).toEqual(tile.box);
    expect(merged[0]!.score).toBe(0.81);
    // Not from a view barely finer, from one that scored much worse, or from a face cut by its view's edge (no resolution).
    expect(
      mergeDetections(
        [whole, tile],
        undefined,
        new Map([
          [whole, 0.6],
          [tile, 0.71],
        ]),
      )[0]!.box,
    ).toEqual(whole.box);
    expect(mergeDetections([whole, { ...tile, score: 0.6 }], undefined, new Map([[whole, 0.4]]))[0]!.box).toEqual(whole.box);
    // Nor for a face large in its view (a close-up: 300 px at 0.4 is 120 tile pixels).
    const big = face(430, 200, 300, 0.9);
    const bigTile = face(430, 200, 240, 0.85);
    expect(
      mergeDetections(
        [big, bigTile],
        undefined,
        new Map([
          [big, 0.4],
          [bigTile, 0.71],
        ]),
      )[0]!.box,
    ).toEqual(big.box);
    const lowTile = { ...tile, score: 0.6 };
    expect(
      mergeDetections(
        [whole, lowTile],
        undefined,
        new Map([
          [whole, 0.4],
          [lowTile, 0.71],
        ]),
      )[0]!.box,
    ).toEqual(whole.box);
  });
});
