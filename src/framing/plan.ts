// From detections to the tracks file: shots, identities, one virtual camera per person and shot,
// the missing-person policy, crops per frame.
import { cropPads, cropRect, singleCrop, viewForFace, type CropView } from '../geometry/crop';
import { panelAspect, type Layout } from '../geometry/layout';
import type { Rect, Size } from '../geometry/rect';
import { DEFAULT_CAMERA_OPTIONS, shotCameraPath, type CameraOptions } from './camera';
import { identify, personOfFace } from './identity';
import type { TalkEvidence } from './talkers';
import { coveredSeconds, type Interval } from '../core/intervals';
import { panelTurns } from './speakers';
import { shotsFromCuts, type Shot } from './shots';
import { roundRect, roundTime, type OverlayFace, type TracksFile, type TracksFrame } from './tracks-file';
import type { FramingSink } from './framing-table';
import type { DetectionSample, PairAssignment } from './types';
import { Timeline } from './timeline';
import { SAME_INSTANT } from '../core/timing';

/**
 * What a panel shows while its person is away for a while:
 * `keep` — the person's last framing (the empty chair); `full-width` — the person still on screen
 * takes the whole output. Either way, in a shot where one person never appears (after a cut to a
 * close-up, say) the other is shown full-width: a framing from another shot would show nobody.
 */
export type MissingPolicy = 'keep' | 'full-width';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['keep', 'full-width'];

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

/**
 * The tracks file, and who is who (for the review, which may re-plan with other choices). With
 * `framing`, each frame's framing goes there instead of into the tracks file (its `frames` stay
 * empty): for an hour of video that is 108,000 objects fewer.
 */
export function plan(input: PlanInput, framing?: FramingSink): Plan {
  const policy = input.missingPolicy ?? 'keep';
  const missingSeconds = input.missingSeconds ?? 2;
  const panelAspectRatio = panelAspect(input.layout, input.output);
  const outputAspect = input.output.width / input.output.height;
  const shots = shotsFromCuts(input.frameTimes, input.cuts ?? []);
  const shotStarts = shots.map((s) => input.frameTimes[s.start]!);
  let pairs: PairAssignment[];
  let labelled: DetectionSample[];
  let chosen: [number | null, number | null];
  let turns: Interval[][] | undefined;
  if (input.chosen) {
    chosen = input.chosen;
    pairs = pairsFromLabels(input.samples, chosen);
    labelled = input.samples.map((s) => ({ t: s.t, faces: s.faces.map(({ appearance: _, likeness: __, ...face }) => face) }));
  } else {
    const identified = identify(input.samples, shotStarts, undefined, input.talk);
    pairs = identified.pairs;
    chosen = identified.chosen;
    turns = identified.turns;
    const labelOf = personOfFace(identified.people);
    labelled = input.samples.map((s) => ({
      t: s.t,
      faces: s.faces.map((face) => ({ box: face.box, score: face.score, ...(labelOf.has(face) ? { person: labelOf.get(face)! } : {}) })),
    }));
  }
  const people = summarise(labelled, turns?.map(coveredSeconds) ?? []);
  const trimmed = input.trimEmpty
    ? emptySpans(
        input.samples.map((s, i) => ({ t: s.t, empty: pairs[i]![0] === null && pairs[i]![1] === null })),
        input.frameTimes,
        missingSeconds,
      )
    : [];
  const timeline = new Timeline(trimmed);
  const frames: TracksFrame[] = [];
  const padded = new Set<number>();
  let sampleIndex = 0;
  // Samples are in time order: each shot's are the next run of them.
  const indexed = input.samples.map((s, i) => ({ s, i }));
  let firstInShot = 0;
  for (const [shotIndex, shot] of shots.entries()) {
    const startT = shotStarts[shotIndex]!;
    const endT = shotStarts[shotIndex + 1] ?? Infinity;
    while (firstInShot < indexed.length && indexed[firstInShot]!.s.t < startT - SAME_INSTANT) firstInShot++;
    let endOfShot = firstInShot;
    while (endOfShot < indexed.length && indexed[endOfShot]!.s.t < endT - SAME_INSTANT) endOfShot++;
    const inShot = indexed.slice(firstInShot, endOfShot);
    firstInShot = endOfShot;
    const frameTimes = input.frameTimes.slice(shot.start, shot.end);
    const sampleTimes = inShot.map(({ s }) => s.t);
    const paths = [0, 1].map((p) => {
      const targets = inShot.map(({ i }) => {
        const face = pairs[i]![p];
        return face ? viewForFace(face.box) : null;
      });
      return shotCameraPath(sampleTimes, targets, frameTimes, input.fps, input.camera ?? DEFAULT_CAMERA_OPTIONS);
    });
    const away = [0, 1].map((p) =>
      awayFrames(
        shot,
        input.frameTimes,
        inShot.filter(({ i }) => pairs[i]![p] !== null).map(({ s }) => s.t),
        missingSeconds,
        input.frameTimes[shot.end] ?? Infinity,
      ),
    );
    for (let f = shot.start; f < shot.end; f++) {
      const k = f - shot.start;
      const t = input.frameTimes[f]!;
      while (sampleIndex + 1 < input.samples.length && input.samples[sampleIndex + 1]!.t <= t + SAME_INSTANT) sampleIndex++;
      if (timeline.outputTime(t) === null) continue;
      const shown = [0, 1].map((p) => {
        const path = paths[p];
        if (!path) return null;
        if (policy === 'full-width' && away[p]![k]) return null;
        return { cx: path.cx[k]!, cy: path.cy[k]!, h: path.h[k]! };
      });
      const panels = framePanels(shown[0] ?? null, shown[1] ?? null, panelAspectRatio, outputAspect, input.source);
      if (panels.some((p) => p && cropPads(p, input.source))) padded.add(shotIndex);
      const sample = input.samples[sampleIndex];
      let faces: OverlayFace[] | undefined;
      if (input.overlay) {
        // The latest detection at or before this frame, within the shot.
        faces =
          sample && sample.t <= t + SAME_INSTANT && sample.t >= startT - SAME_INSTANT
            ? sample.faces.map((face) => {
                const pair = pairs[sampleIndex]!;
                const person = pair[0] === face ? 0 : pair[1] === face ? 1 : null;
                return { ...roundRect(face.box), person };
              })
            : [];
      }
      if (framing) framing.add(roundTime(t), panels, faces);
      else frames.push({ t: roundTime(t), panels, ...(faces ? { faces } : {}) });
    }
  }
  const tracks: TracksFile = {
    version: 1,
    source: {
      file: input.sourceFile,
      width: input.source.width,
      height: input.source.height,
      frames: input.frameTimes.length,
      fps: Math.round(input.fps * 1000) / 1000,
    },
    output: { file: input.outputFile, width: input.output.width, height: input.output.height, layout: input.layout },
    shots: shots.map((s) => s.start),
    ...(padded.size > 0 ? { padded: [...padded] } : {}),
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

/**
 * The stretches between consecutive sightings (times, ascending), counting from `start` and to
 * `end`. A sighting at either end of a stretch still shows the person; the time between is unseen.
 */
export function sightingGaps(start: number, seenTimes: readonly number[], end: number): [number, number][] {
  const bounds = [start, ...seenTimes, end];
  const gaps: [number, number][] = [];
  for (let i = 1; i < bounds.length; i++) gaps.push([bounds[i - 1]!, bounds[i]!]);
  return gaps;
}

/**
 * Per frame of a shot, whether the person is away: inside a stretch of at least `missingSeconds`
 * without a sighting (counting from the shot's start and to its end).
 */
export function awayFrames(shot: Shot, allFrameTimes: readonly number[], seenTimes: readonly number[], missingSeconds: number, shotEndT: number): boolean[] {
  const startT = allFrameTimes[shot.start]!;
  const endT = Number.isFinite(shotEndT) ? shotEndT : allFrameTimes[shot.end - 1]! + 1e-6;
  const spans = sightingGaps(startT, seenTimes, endT).filter(([a, b]) => b - a >= missingSeconds);
  const out: boolean[] = [];
  for (let f = shot.start; f < shot.end; f++) {
    const t = allFrameTimes[f]!;
    out.push(spans.some(([a, b]) => t > a && t < b) || seenTimes.length === 0);
  }
  return out;
}

/**
 * The crops of one output frame. Two people: one crop each, with the panel's aspect and the same
 * head size (when one crop has to be pulled in to fit the source, the other is zoomed to match).
 * One person: their crop fills the whole output (the other panel is null), padded where their face
 * is too big for the output even at full height (see singleCrop). Nobody: the whole
 * picture, as large as the output's aspect allows.
 */
export function framePanels(
  view0: CropView | null,
  view1: CropView | null,
  panelAspectRatio: number,
  outputAspect: number,
  source: Size,
): [Rect | null, Rect | null] {
  if (view0 && view1) {
    const fit = (v: CropView) => Math.min(1, source.width / (v.h * panelAspectRatio), source.height / v.h);
    const k = Math.min(fit(view0), fit(view1));
    return [
      roundRect(cropRect({ ...view0, h: view0.h * k }, panelAspectRatio, source)),
      roundRect(cropRect({ ...view1, h: view1.h * k }, panelAspectRatio, source)),
    ];
  }
  if (view0) return [roundRect(singleCrop(view0, outputAspect, source)), null];
  if (view1) return [null, roundRect(singleCrop(view1, outputAspect, source))];
  const whole = cropRect({ cx: source.width / 2, cy: source.height / 2, h: source.height }, outputAspect, source);
  return [roundRect(whole), null];
}
