// People known by their likeness (framing/likeness.ts) where colours fail: across cuts, and false
// faces kept out of the panels.
import { describe, expect, it } from 'vitest';
import { identify } from '../../src/framing/identity';
import { addLikeness, likenessDistance, lookDistance, meanLikeness, OTHER_LIKENESS, SAME_LIKENESS } from '../../src/framing/likeness';
import { SAME_PERSON_DISTANCE } from '../../src/framing/appearance';
import type { DetectionSample, Face } from '../../src/framing/types';
import { face, look, seededRandom } from './synthetic';

/** A 128-number description near `centre`: unit-ish vectors as the network gives, `noise` apart. */
function description(centre: readonly number[], random: () => number, noise = 0.02): number[] {
  return centre.map((v) => v + (random() - 0.5) * 2 * noise);
}

function person(seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: 128 }, () => (random() - 0.5) * 0.18);
}

describe('likeness sums', () => {
  it('compares means, so a sum of many descriptions compares like one', () => {
    const a = [1, 0, 0];
    const sum = addLikeness(addLikeness(null, a), a)!;
    expect(sum.count).toBe(2);
    expect(likenessDistance(sum, addLikeness(null, a))).toBeCloseTo(0, 9);
    expect(likenessDistance(sum, addLikeness(null, [0, 1, 0]))).toBeCloseTo(Math.SQRT2, 9);
    expect(likenessDistance(meanLikeness(sum), sum)).toBeCloseTo(0, 9);
    expect(likenessDistance(null, sum)).toBeNull();
  });

  it('a look is compared by the nearer of likeness and colours: either may vouch for one person', () => {
    const red = look(1);
    const blue = look(2);
    const colours = lookDistance({ appearance: red, likeness: null }, { appearance: blue, likeness: null })!;
    expect(colours).toBeGreaterThan(SAME_PERSON_DISTANCE);
    // Relit across a cut: the colours differ, the likeness is the same.
    const same = { appearance: red, likeness: addLikeness(null, [0.1, 0.2]) };
    expect(lookDistance(same, { appearance: blue, likeness: addLikeness(null, [0.1, 0.2]) })).toBeCloseTo(0, 9);
    // The likeness on the colours' scale: SAME_LIKENESS lands on their gate.
    expect(lookDistance(same, { appearance: blue, likeness: addLikeness(null, [0.1 + SAME_LIKENESS, 0.2]) })).toBeCloseTo(SAME_PERSON_DISTANCE, 9);
    // A soft face whose likeness wavers, in unchanged light: the colours vouch.
    expect(lookDistance(same, { appearance: red, likeness: addLikeness(null, [0.1 + OTHER_LIKENESS, 0.2]) })).toBeCloseTo(0, 9);
  });

  it('the thresholds leave room between one person and two', () => {
    expect(SAME_LIKENESS).toBeLessThan(OTHER_LIKENESS);
  });
});

describe('identities by likeness', () => {
  const random = seededRandom(7);
  const host = person(11);
  const guest = person(12);
  const described = (f: Face, who: number[], colours: number[]): Face => ({ ...f, appearance: colours, likeness: description(who, random) });

  /** A wide two-shot (host left), then close-ups of each in a new light (colours unlike the wide shot's). */
  function edit(extra: (t: number) => Face[] = () => []): { samples: DetectionSample[]; cuts: number[] } {
    const samples: DetectionSample[] = [];
    for (let i = 0; i < 40; i++) {
      const t = i * 0.1;
      samples.push({ t, faces: [described(face(300, 300, 80), host, look(21)), described(face(900, 300, 80), guest, look(22))] });
    }
    for (let i = 0; i < 30; i++) samples.push({ t: 4 + i * 0.1, faces: [described(face(640, 360, 300), guest, look(32)), ...extra(4 + i * 0.1)] });
    for (let i = 0; i < 30; i++) samples.push({ t: 7 + i * 0.1, faces: [described(face(640, 360, 300), host, look(31))] });
    return { samples, cuts: [0, 4, 7] };
  }

  it('carries each person through close-ups whose colours match nobody', () => {
    const { samples, cuts } = edit();
    const { pairs } = identify(samples, cuts);
    // Host on the left in the two-shot: panel 0.
    samples.forEach((s, i) => {
      const [left, right] = pairs[i]!;
      if (s.t < 4) expect([left?.box.x, right?.box.x]).toEqual([260, 860]);
      else if (s.t < 7) expect([left, right?.box.h]).toEqual([null, 300]);
      else expect([left?.box.h, right]).toEqual([300, null]);
    });
  });

  it('gives no panel to a false face the detector saw a few times beside one of them, nor lets it join the other', () => {
    // A patch of the set taken for a small face, with a doubtful score and so never described.
    const { samples, cuts } = edit((t) => (Math.round(t * 10) % 7 === 0 ? [{ ...face(1200, 40, 22, 0.69), appearance: look(21) }] : []));
    const { pairs, people, chosen } = identify(samples, cuts);
    const falseFace = people.findIndex((p) => p.tracklets.some((t) => t.items.some((i) => i.face.box.w === 22)));
    expect(chosen).not.toContain(falseFace);
    samples.forEach((s, i) => {
      if (s.t >= 4 && s.t < 7) expect(pairs[i]![0]).toBeNull();
    });
  });
});
