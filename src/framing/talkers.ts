// Who talks, per person, before the panels are chosen: of three or more on screen, the two who talk
// most get the panels (identity.ts). The same rule as the speaker turns (speakers.ts), over each
// person's mouth instead of each panel's. Pure.
import { nearestByCentre, rectCentre } from '../geometry/rect';
import type { MouthSample } from './mouths';
import type { Interval } from '../core/intervals';
import { speakingSteps, turnsOf, type MouthSeries, type VoiceSpan } from './speakers';
import type { DetectionSample, Face } from './types';

/** What the voice and the mouths say, for choosing the people (the speech setting). */
export interface TalkEvidence {
  voice: readonly VoiceSpan[];
  /** In time order. */
  mouths: readonly MouthSample[];
  duration: number;
}

/**
 * Each mouth sample given to a person: the face nearest its box (within half a face width) in the
 * latest detection sample at or before it, which is where its box came from.
 */
export function mouthsOfPeople(
  mouths: readonly MouthSample[],
  samples: readonly DetectionSample[],
  personOf: ReadonlyMap<Face, number>,
  people: number,
): MouthSeries[] {
  const series = Array.from({ length: people }, () => ({ times: [] as number[], activity: [] as number[] }));
  let s = -1;
  for (const mouth of mouths) {
    while (s + 1 < samples.length && samples[s + 1]!.t <= mouth.t + 1e-6) s++;
    if (s < 0) continue;
    const best = nearestByCentre(samples[s]!.faces, (face) => face.box, rectCentre(mouth.box), 0.5 * mouth.box.w);
    const person = best ? personOf.get(best) : undefined;
    if (person === undefined || person >= people) continue;
    series[person]!.times.push(mouth.t);
    series[person]!.activity.push(mouth.activity);
  }
  return series;
}

/** Speaker turns of each of the first `people` people (at most 8: those who can make the panels' pair), source seconds. */
export function peopleTurns(evidence: TalkEvidence, samples: readonly DetectionSample[], personOf: ReadonlyMap<Face, number>, people: number): Interval[][] {
  const count = Math.min(8, people);
  const steps = speakingSteps(evidence.voice, mouthsOfPeople(evidence.mouths, samples, personOf, count), evidence.duration);
  return Array.from({ length: count }, (_, p) => turnsOf(steps, 1 << p, evidence.duration));
}
