// Identities through what real conversations do: crossings, occlusions, look-aways, cuts, extra people.
import { describe, expect, it } from 'vitest';
import { rectCentre } from '../../src/geometry/rect';
import { appearanceDistance } from '../../src/framing/appearance';
import { identify } from '../../src/framing/identity';
import type { Face } from '../../src/framing/types';
import { face, jitter, look, samples, seenAgain, seededRandom } from './synthetic';

const lookA = look(1);
const lookB = look(2);
const lookC = look(3);

function person(cx: number, cy: number, size: number, appearance: number[], random: () => number): Face {
  const f = face(cx, cy, size);
  return { box: jitter(f.box, size * 0.05, random), score: 0.9, appearance: seenAgain(appearance, random) };
}

/** Which look each panel's face has, per sample (null where nobody). */
function panelLooks(pairs: ReturnType<typeof identify>['pairs']) {
  return pairs.map((pair) => pair.map((f) => (f ? (appearanceDistance(f.appearance, lookA)! < appearanceDistance(f.appearance, lookB)! ? 'A' : 'B') : null)));
}

describe('identities, the hard cases', () => {
  it('tells looks apart: the same person seen again is much closer than another person', () => {
    const random = seededRandom(5);
    expect(appearanceDistance(seenAgain(lookA, random), lookA)!).toBeLessThan(0.05);
    expect(appearanceDistance(lookA, lookB)!).toBeGreaterThan(0.3);
    expect(appearanceDistance(undefined, lookA)).toBeNull();
  });

  it('keeps both people through a crossing, where their faces overlap, with noisy boxes and missed detections', () => {
    const random = seededRandom(9);
    // A walks right, B walks left; they pass each other at t = 4 s (B behind A, hidden for a moment).
    let seenA = 0;
    const s = samples(8, 4, (t) => {
      const a = person(300 + 150 * t, 500, 160, lookA, random);
      const b = person(1500 - 150 * t, 480, 150, lookB, random);
      const faces = Math.abs(t - 4) < 0.3 ? [a] : random() < 0.1 ? [b] : random() < 0.5 ? [a, b] : [b, a];
      if (faces.includes(a)) seenA++;
      return faces;
    });
    const { pairs } = identify(s);
    const looks = panelLooks(pairs);
    // A started on the left, so A is panel 0 throughout; no swap ever.
    for (const [p0, p1] of looks) {
      if (p0) expect(p0).toBe('A');
      if (p1) expect(p1).toBe('B');
    }
    // ... and every sample that shows A shows A in panel 0.
    expect(looks.filter(([p0]) => p0 === 'A').length).toBe(seenA);
  });

  it('with 3+ faces, picks the two people on screen most, not the biggest face of a moment', () => {
    const random = seededRandom(4);
    const s = samples(10, 4, (t) => {
      const faces = [person(500, 500, 150, lookA, random), person(1400, 500, 150, lookB, random)];
      // Someone walks close past the camera for 1.5 s: the biggest face while there.
      if (t > 3 && t < 4.5) faces.push(person(900, 500, 500, lookC, random));
      // A small face in the background, seen now and then.
      if (Math.floor(t * 4) % 3 === 0) faces.push(person(1000, 200, 60, look(7), random));
      return faces;
    });
    const result = identify(s);
    expect(result.people.length).toBeGreaterThanOrEqual(4);
    for (const [p0, p1] of result.pairs) {
      expect(rectCentre(p0!.box).x).toBeCloseTo(500, -2);
      expect(rectCentre(p1!.box).x).toBeCloseTo(1400, -2);
    }
  });

  it('recognises each person again after a cut, wherever the new shot puts them', () => {
    const random = seededRandom(12);
    // Shot 1 (0-4 s): wide, A left, B right. Shot 2 (4-8 s): closer, B now on the left, A on the right.
    // Shot 3 (8-12 s): the first framing again.
    const s = samples(12, 4, (t) => {
      if (t >= 4 && t < 8) return [person(600, 500, 300, lookB, random), person(1300, 520, 300, lookA, random)];
      return [person(500, 500, 150, lookA, random), person(1400, 500, 150, lookB, random)];
    });
    const { pairs } = identify(s, [0, 4, 8]);
    for (const [p0, p1] of panelLooks(pairs)) {
      expect(p0).toBe('A');
      expect(p1).toBe('B');
    }
  });

  it('keeps the person through a look-away and an occlusion of several seconds', () => {
    const random = seededRandom(21);
    const s = samples(12, 4, (t) => {
      const faces = [person(1400, 500, 160, lookB, random)];
      // A looks away (not detected) from 3 to 5.5 s, and is hidden by B's hand from 8 to 8.5 s.
      if (!(t >= 3 && t < 5.5) && !(t >= 8 && t < 8.5)) faces.push(person(520 + (t > 5 ? 60 : 0), 500, 160, lookA, random));
      return faces;
    });
    const result = identify(s);
    expect(result.people).toHaveLength(2);
    for (const [p0, p1] of panelLooks(result.pairs)) {
      if (p0) expect(p0).toBe('A');
      expect(p1).toBe('B');
    }
  });

  it('does not take a different person who sits down in the empty chair for the one who left', () => {
    const random = seededRandom(33);
    const s = samples(12, 4, (t) => {
      const faces = [person(1400, 500, 160, lookB, random)];
      if (t < 4) faces.push(person(500, 500, 160, lookA, random));
      if (t >= 6) faces.push(person(500, 500, 160, lookC, random));
      return faces;
    });
    const result = identify(s);
    expect(result.people).toHaveLength(3);
  });
});
