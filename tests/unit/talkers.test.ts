import { describe, expect, it } from 'vitest';
import { rectCentre } from '../../src/geometry/rect';
import { choosePair, identify, MIN_TALK_SECONDS, type Person } from '../../src/framing/identity';
import type { MouthSample } from '../../src/framing/mouths';
import { mouthsOfPeople } from '../../src/framing/talkers';
import { coveredSeconds, type Interval } from '../../src/core/intervals';
import { face, samples, seededRandom } from './synthetic';

const LEFT = 300;
const MIDDLE = 960;
const RIGHT = 1600;

/** Three people in a row; the one in the middle is on screen longest and never talks. */
function threeOnScreen() {
  return samples(20, 4, (t) => [...(t >= 2 ? [face(LEFT, 500, 200)] : []), face(MIDDLE, 480, 200), ...(t < 18 ? [face(RIGHT, 500, 200)] : [])]);
}

/** Mouth samples at 30 Hz for every face of the latest detection sample: `talker(t)` moves most. */
function mouthsFor(detections: ReturnType<typeof threeOnScreen>, talker: (t: number) => number | null): MouthSample[] {
  const random = seededRandom(3);
  const out: MouthSample[] = [];
  let s = 0;
  for (let i = 0; i < 20 * 30; i++) {
    const t = i / 30;
    while (s + 1 < detections.length && detections[s + 1]!.t <= t) s++;
    for (const f of detections[s]!.faces) {
      const speaking = talker(t) === rectCentre(f.box).x;
      out.push({ t, box: f.box, activity: (speaking ? 6 : 1) * (0.6 + 0.8 * random()) });
    }
  }
  return out;
}

const voice: Interval[] = [{ start: 2, end: 18 }];
const turns = (t: number) => (t < 10 ? LEFT : RIGHT);

describe('choosing the two people by who talks', () => {
  it('gives the panels to the two who talk, not to the silent person on screen longest', () => {
    const detections = threeOnScreen();
    const mouths = mouthsFor(detections, turns);
    const byScreen = identify(detections);
    const xs = (pairs: ReturnType<typeof identify>['pairs']) => pairs[40]!.map((f) => (f ? rectCentre(f.box).x : null));
    expect(xs(byScreen.pairs)).toContain(MIDDLE);

    const byTalk = identify(detections, [], undefined, { voice, mouths, duration: 20 });
    expect(xs(byTalk.pairs)).toEqual([LEFT, RIGHT]);
    const talkOf = (x: number) => coveredSeconds(byTalk.turns![byTalk.people.findIndex((p) => rectCentre(p.tracklets[0]!.items[0]!.face.box).x === x)]!);
    expect(talkOf(LEFT)).toBeGreaterThan(6);
    expect(talkOf(RIGHT)).toBeGreaterThan(6);
    expect(talkOf(MIDDLE)).toBeLessThan(MIN_TALK_SECONDS);
  });

  it('keeps the people on screen longest when nobody on screen talks (a narrator, no audio)', () => {
    const detections = threeOnScreen();
    const narrated = identify(detections, [], undefined, { voice, mouths: mouthsFor(detections, () => null), duration: 20 });
    expect(narrated.chosen).toEqual(identify(detections).chosen);
    const silent = identify(detections, [], undefined, { voice: [], mouths: mouthsFor(detections, turns), duration: 20 });
    expect(silent.chosen).toEqual(identify(detections).chosen);
  });

  it('takes a little talk for noise: the partner of the one who talks is then the one on screen longer', () => {
    const person = (seen: number, samplesSeen: number[]): Person => ({
      tracklets: [],
      samples: new Set(samplesSeen),
      appearance: null,
      likeness: null,
      seen,
      placeSum: { x: 0, y: 0, h: 0 },
    });
    const all = [...Array(10).keys()];
    const people = [person(10, all), person(9, all), person(8, all)];
    expect(choosePair(people, [30, 0.5, 1.5])).toEqual([0, 1]);
    expect(choosePair(people, [30, 0.5, 4])).toEqual([0, 2]);
    expect(choosePair(people, [0, 12, 9])).toEqual([1, 2]);
    // Of people never seen together, the two who talk most.
    const apart = [person(10, [0, 1]), person(9, [2, 3]), person(8, [4, 5])];
    expect(choosePair(apart, [0, 5, 5])).toEqual([1, 2]);
  });

  it('gives each mouth sample to the face it was measured on, in the latest detection before it', () => {
    const a = face(300, 500, 200);
    const b = face(900, 500, 200);
    const detections = [
      { t: 0, faces: [a, b] },
      { t: 1, faces: [b] },
    ];
    const personOf = new Map([
      [a, 0],
      [b, 1],
    ]);
    const mouths: MouthSample[] = [
      { t: 0.5, box: { ...a.box, x: a.box.x + 20 }, activity: 5 },
      { t: 0.5, box: b.box, activity: 2 },
      { t: 1.5, box: a.box, activity: 7 }, // a is not in the latest sample: nobody's
      { t: 1.5, box: b.box, activity: 3 },
    ];
    const [ofA, ofB] = mouthsOfPeople(mouths, detections, personOf, 2);
    expect(Array.from(ofA!.activity)).toEqual([5]);
    expect(Array.from(ofB!.activity)).toEqual([2, 3]);
  });
});
