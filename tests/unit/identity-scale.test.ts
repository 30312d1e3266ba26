// Identities across shot scales, as a multi-camera edit cuts them: a wide two-shot, a close-up of
// each person (the face half the picture's height, the clothes out of the frame), the two-shot
// mirrored, people who look alike, and a stranger in a close-up.
import { describe, expect, it } from 'vitest';
import { appearanceDistance, SAME_PERSON_DISTANCE } from '../../src/framing/appearance';
import { castFromSamples, nameTracklets } from '../../src/framing/cast';
import { identify } from '../../src/framing/identity';
import type { DetectionSample, Face } from '../../src/framing/types';
import { closeUp, face, jitter, look, seenAgain, seededRandom, withPart } from './synthetic';

const A = look(101);
const B = look(202);
const STRANGER = look(303);
/** Someone with A's skin and clothes but other hair: the hardest pair to tell apart. */
const A_ALIKE = withPart(A, 'hair', look(404));

interface Shot {
  seconds: number;
  /** Who is seen where: face centre x, y and height (1920x1080 picture), and whether the clothes show. */
  people: { who: readonly number[]; x: number; y: number; h: number; close?: boolean }[];
}

/** Four detections a second over the shots, each with noise; returns the samples, the cut times and who each face is. */
function edit(shots: readonly Shot[], seed: number) {
  const random = seededRandom(seed);
  const samples: DetectionSample[] = [];
  const truth = new Map<Face, readonly number[]>();
  const cuts: number[] = [];
  let start = 0;
  for (const shot of shots) {
    cuts.push(start);
    for (let k = 0; k < shot.seconds * 4; k++) {
      const faces = shot.people.map((p) => {
        const f: Face = {
          box: jitter(face(p.x, p.y, p.h).box, p.h * 0.03, random),
          score: 0.9,
          appearance: seenAgain(p.close ? closeUp(p.who) : p.who, random, 0.2),
        };
        truth.set(f, p.who);
        return f;
      });
      samples.push({ t: start + k / 4, faces });
    }
    start += shot.seconds;
  }
  return { samples, cuts, truth };
}

/** For every sample: the look of the face each panel shows (null: none). */
function panelsShow(result: ReturnType<typeof identify>, truth: Map<Face, readonly number[]>) {
  return result.pairs.map((pair) => pair.map((f) => (f ? truth.get(f)! : null)));
}

/** Every sample shows `left`'s face in panel 0 and `right`'s in panel 1 where they are in it, and nobody else. */
function expectPanels(edited: ReturnType<typeof edit>, result: ReturnType<typeof identify>, left: readonly number[], right: readonly number[]) {
  const shown = panelsShow(result, edited.truth);
  edited.samples.forEach((sample, i) => {
    const present = sample.faces.map((f) => edited.truth.get(f)!);
    expect(shown[i]![0]).toBe(present.includes(left) ? left : null);
    expect(shown[i]![1]).toBe(present.includes(right) ? right : null);
  });
}

const wide = (who: readonly number[], x: number) => ({ who, x, y: 400, h: 150 });
const close = (who: readonly number[]) => ({ who, x: 900, y: 450, h: 540, close: true });

describe('identities across shot scales', () => {
  it('the same person wide and in close-up is closer than the other person either way', () => {
    const random = seededRandom(3);
    const aClose = seenAgain(closeUp(A), random, 0.2);
    expect(appearanceDistance(aClose, A)!).toBeLessThan(SAME_PERSON_DISTANCE / 2);
    expect(appearanceDistance(aClose, B)!).toBeGreaterThan(SAME_PERSON_DISTANCE * 2);
    // Alike in skin and clothes, told apart by the hair, wide and close.
    expect(appearanceDistance(A_ALIKE, A)!).toBeGreaterThan(SAME_PERSON_DISTANCE);
    expect(appearanceDistance(closeUp(A_ALIKE), closeUp(A))!).toBeGreaterThan(SAME_PERSON_DISTANCE);
  });

  it('two-shot, close-up of the left person, the two-shot mirrored, close-up of the right: each person in their panel in every shot', () => {
    const edited = edit(
      [
        { seconds: 4, people: [wide(A, 600), wide(B, 1300)] },
        { seconds: 3, people: [close(A)] },
        { seconds: 2, people: [wide(B, 600), wide(A, 1300)] },
        { seconds: 3, people: [close(B)] },
        { seconds: 3, people: [wide(A, 500), wide(B, 1400)] },
      ],
      7,
    );
    // A sat left first: panel 0 is A's, panel 1 B's, in every sample that shows them.
    expectPanels(edited, identify(edited.samples, edited.cuts), A, B);
  });

  it('two people who look alike stay two, through close-ups of each', () => {
    const edited = edit(
      [
        { seconds: 4, people: [wide(A, 600), wide(A_ALIKE, 1300)] },
        { seconds: 3, people: [close(A_ALIKE)] },
        { seconds: 3, people: [close(A)] },
        { seconds: 3, people: [wide(A, 600), wide(A_ALIKE, 1300)] },
      ],
      8,
    );
    expectPanels(edited, identify(edited.samples, edited.cuts), A, A_ALIKE);
  });

  it('a stranger in a close-up gets neither panel', () => {
    const { samples, cuts, truth } = edit(
      [
        { seconds: 5, people: [wide(A, 600), wide(B, 1300)] },
        { seconds: 2, people: [close(STRANGER)] },
        { seconds: 3, people: [wide(A, 600), wide(B, 1300)] },
      ],
      9,
    );
    const shown = panelsShow(identify(samples, cuts), truth);
    samples.forEach((sample, i) => {
      if (sample.t >= 5 && sample.t < 7) expect(shown[i]).toEqual([null, null]);
      else expect(shown[i]).toEqual([A, B]);
    });
  });

  it('the panels go to two people seen together, not to one of them seen by a camera whose colours differ', () => {
    // A camera with other colours makes A look like someone else (A_OTHER): on screen longer than A,
    // but never beside B. The panels are A's and B's, who share the two-shots.
    const A_OTHER = look(505);
    const edited = edit(
      [
        { seconds: 3, people: [wide(A, 600), wide(B, 1300)] },
        { seconds: 6, people: [close(A_OTHER)] },
        { seconds: 2, people: [close(B)] },
        { seconds: 2, people: [wide(A, 600), wide(B, 1300)] },
      ],
      12,
    );
    const result = identify(edited.samples, edited.cuts);
    expectPanels(edited, result, A, B);
    // A_OTHER was on screen longer than A (the two longest were B and A_OTHER), and got no panel.
    const seenOf = (who: readonly number[]) => result.people.find((p) => edited.truth.get(p.tracklets[0]!.items[0]!.face) === who)!.seen;
    expect(seenOf(A_OTHER)).toBeGreaterThan(seenOf(A));
  });

  it('the cast from looks across the file names close-ups after the right person and leaves a stranger unnamed', () => {
    const random = seededRandom(11);
    // Looks at wide shots only (the key frames the look across the file happened to land on).
    const looks: DetectionSample[] = Array.from({ length: 8 }, (_, k) => ({
      t: k * 10,
      faces: [
        { box: jitter(face(600, 400, 150).box, 5, random), score: 0.9, appearance: seenAgain(A, random, 0.2) },
        { box: jitter(face(1300, 400, 150).box, 5, random), score: 0.9, appearance: seenAgain(B, random, 0.2) },
      ],
    }));
    const cast = castFromSamples(looks);
    expect(cast.members).toHaveLength(2);
    const [left, right] = cast.panels;
    const tracklet = (appearance: number[], first: number) => ({ appearance, likeness: null, x: 900, h: 540, first, last: first + 3, previous: null });
    const names = nameTracklets(cast, [
      tracklet(seenAgain(closeUp(A), random, 0.2), 100),
      tracklet(seenAgain(closeUp(B), random, 0.2), 110),
      tracklet(seenAgain(closeUp(STRANGER), random, 0.2), 120),
      tracklet(seenAgain(closeUp(A_ALIKE), random, 0.2), 130),
    ]);
    expect(names).toEqual([left, right, null, null]);
  });
});
