// The two passes' framing: the whole video's detections to the tracks file. Shots and identities
// are found over the whole video; the framing core (stream-plan.ts) turns them into crops per frame.
import type { Layout } from '../geometry/layout';
import type { Rect, Size } from '../geometry/rect';
import type { CameraOptions } from './camera';
import { identify, personOfFace } from './identity';
import type { TalkEvidence } from './talkers';
import { coveredSeconds, type Interval } from '../core/intervals';
import { panelTurns } from './speakers';
import { shotsFromCuts } from './shots';
import { roundTime, tracksHeader, type TracksFile, type TracksFrame } from './tracks-file';
import type { FramingSink } from './framing-table';
import type { MissingPolicy } from './panels';
import { StreamPlanner } from './stream-plan';
import type { DetectionSample, PairAssignment } from './types';
import { Timeline } from './timeline';

export interface PlanInput {
  sourceFile: string;
  source: Size;
  fps: number;
  /** Presentation times of every frame, seconds, ascending. */
  frameTimes: readonly number[];
  samples: readonly DetectionSample[];
  /** Times at which a new shot starts (see shots.ts); empty for one continuous shot. */
  cuts?: readonly number[];
  outputFile: string;
  output: Size;
  layout: Layout;
  missingPolicy?: MissingPolicy;
  /** A person unseen for at least this long counts as away (the policy applies). */
  missingSeconds?: number;
  camera?: CameraOptions;
  /** Cut out spans of at least `missingSeconds` where neither person is seen (audio too). */
  trimEmpty?: boolean;
  /** Record the detected faces per frame, for the debug overlay. */
  overlay?: boolean;
  /**
   * The people in panel 0 and panel 1, by index into `people` of an earlier plan (the review lets the
   * user choose); the samples must then carry the `person` labels that plan gave them.
   */
  chosen?: [number | null, number | null];
  /** Who talks, with the speech setting: the pair who talk most get the panels (see identity.ts). */
  talk?: TalkEvidence;
}

/** One person the analysis found, for the review: how long on screen and where first seen well. */
export interface PersonSummary {
  index: number;
  /** Samples in which they were seen. */
  seen: number;
  /** A good look at them: the largest detection, with its time. */
  look: { t: number; box: Rect };
  /** Seconds they were found talking, with the speech setting (the first 8 people). */
  talk?: number;
}

export interface Plan {
  tracks: TracksFile;
  /** The samples with each face labelled with its person, appearance and likeness left out (small enough to send to the page). */
  samples: DetectionSample[];
  people: PersonSummary[];
  chosen: [number | null, number | null];
  /** With talk evidence: each of the first people's speaker turns (index as `people`'s). */
  turns?: Interval[][];
}

/** Panel pairs from faces already labelled with their person. */
function pairsFromLabels(samples: readonly DetectionSample[], chosen: readonly [number | null, number | null]): PairAssignment[] {
  return samples.map((s) => [0, 1].map((p) => s.faces.find((f) => f.person !== undefined && f.person === chosen[p]) ?? null) as PairAssignment);
}

/** Decides what each panel shows in every frame. Pure: the same detections give the same file. */
export function planTracks(input: PlanInput): TracksFile {
  return plan(input).tracks;
}

interface Identified {
  pairs: PairAssignment[];
  labelled: DetectionSample[];
  chosen: [number | null, number | null];
  turns?: Interval[][];
}

/** Who is in which panel in every sample: the user's choice (labels of an earlier plan), or the identity's. */
function whoIsWho(input: PlanInput, shotStarts: readonly number[]): Identified {
  if (input.chosen) {
    const chosen = input.chosen;
    const labelled = input.samples.map((s) => ({ t: s.t, faces: s.faces.map(({ appearance: _, likeness: __, ...face }) => face) }));
    return { pairs: pairsFromLabels(input.samples, chosen), labelled, chosen };
  }
  const identified = identify(input.samples, shotStarts, undefined, input.talk);
  const labelOf = personOfFace(identified.people);
  const labelled = input.samples.map((s) => ({
    t: s.t,
    faces: s.faces.map((face) => ({ box: face.box, score: face.score, ...(labelOf.has(face) ? { person: labelOf.get(face)! } : {}) })),
  }));
  return { pairs: identified.pairs, labelled, chosen: identified.chosen, ...(identified.turns ? { turns: identified.turns } : {}) };
}

/**
 * The tracks file, and who is who (for the review, which may re-plan with other choices). The whole
 * video is known: the identity chooses each sample's panel faces, and the framing core (see
 * stream-plan.ts) plans each shot as one window. With `framing`, each frame's framing goes there
 * instead of into the tracks file (its `frames` stay empty): for an hour of video that is 108,000
 * objects fewer.
 */
export function plan(input: PlanInput, framing?: FramingSink): Plan {
  const missingSeconds = input.missingSeconds ?? 2;
  const shots = shotsFromCuts(input.frameTimes, input.cuts ?? []);
  const shotStarts = shots.map((s) => input.frameTimes[s.start]!);
  const { pairs, labelled, chosen, turns } = whoIsWho(input, shotStarts);
  const people = summarise(labelled, turns?.map(coveredSeconds) ?? []);
  const trimmed = input.trimEmpty
    ? emptySpans(
        input.samples.map((s, i) => ({ t: s.t, empty: pairs[i]![0] === null && pairs[i]![1] === null })),
        input.frameTimes,
        missingSeconds,
      )
    : [];
  const core = new StreamPlanner({
    source: input.source,
    fps: input.fps,
    output: input.output,
    layout: input.layout,
    cast: 'assigned',
    missingPolicy: input.missingPolicy ?? 'keep',
    missingSeconds,
    ...(input.camera ? { camera: input.camera } : {}),
    overlay: input.overlay ?? false,
    windowSeconds: Infinity,
  });
  for (const t of input.frameTimes) core.addFrame(t);
  input.samples.forEach((sample, i) => core.addSample(sample, pairs[i]));
  for (const t of shotStarts.slice(1)) core.addCut(t);
  const timeline = new Timeline(trimmed);
  const frames: TracksFrame[] = [];
  core.finish().forEach((frame, f) => {
    if (timeline.outputTime(input.frameTimes[f]!) === null) return;
    if (framing) framing.add(frame.t, frame.panels, frame.faces);
    else frames.push(frame);
  });
  const tracks: TracksFile = {
    ...tracksHeader(input, input.frameTimes.length, core),
    ...(trimmed.length > 0 ? { trimmed: trimmed.map(([a, b]) => [roundTime(a), roundTime(b)] as [number, number]) } : {}),
    ...(turns ? { speech: panelTurns(turns, chosen) } : {}),
    frames,
  };
  return { tracks, samples: labelled, people, chosen, ...(turns ? { turns } : {}) };
}

function summarise(samples: readonly DetectionSample[], talk: readonly number[]): PersonSummary[] {
  const people: PersonSummary[] = [];
  for (const sample of samples) {
    for (const face of sample.faces) {
      if (face.person === undefined) continue;
      const person = (people[face.person] ??= { index: face.person, seen: 0, look: { t: sample.t, box: face.box } });
      person.seen++;
      if (face.box.h > person.look.box.h) person.look = { t: sample.t, box: face.box };
    }
  }
  talk.forEach((seconds, index) => {
    if (people[index]) people[index].talk = Math.round(seconds * 10) / 10;
  });
  return people.filter((p): p is PersonSummary => p !== undefined);
}

/**
 * Spans where neither person is seen for at least `minSeconds`: from the first empty sample to the
 * next sample with someone (or the end of the video). Never cuts a frame where someone was seen.
 */
export function emptySpans(samples: readonly { t: number; empty: boolean }[], frameTimes: readonly number[], minSeconds: number): [number, number][] {
  const spans: [number, number][] = [];
  const end = frameTimes.length > 0 ? frameTimes[frameTimes.length - 1]! + 1e-3 : 0;
  let start: number | null = frameTimes.length > 0 && samples.length > 0 && samples[0]!.empty ? frameTimes[0]! : null;
  for (const sample of samples) {
    if (sample.empty) {
      start ??= sample.t;
    } else if (start !== null) {
      if (sample.t - start >= minSeconds) spans.push([start, sample.t]);
      start = null;
    }
  }
  if (start !== null && end - start >= minSeconds) spans.push([start, end]);
  return spans;
}

export { framePanels, sightingGaps, MISSING_POLICIES, type MissingPolicy } from './panels';
