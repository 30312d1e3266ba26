// Two identities from a whole video's detections. Three steps, all with the whole video in view:
// 1. within each shot, link detections sample to sample into tracklets (position predicted from
//    motion, size, appearance);
// 2. join tracklets into people: tracklets that never share a sample and look alike (skin, hair,
//    clothes: appearance.ts), nearby in the same shot, are one person — this carries people through
//    occlusions, look-aways, crossings and cuts; across a cut only a clear likeness joins;
// 3. of the people ever seen together, the pair on screen longest get the two panels (not the two
//    biggest faces of one frame), or with the speech setting the pair who talk most; panel 0 is the
//    one sitting further left.
import { rectCentre } from '../geometry/rect';
import { addAppearance, appearanceDistance } from './appearance';
import { addLikeness, lookDistance, toldApart, unlikeAcrossCuts, type LikenessSum } from './likeness';
import { shotIndexAt } from './shots';
import { peopleTurns, type TalkEvidence } from './talkers';
import { coveredSeconds, type Interval } from '../core/intervals';
import type { DetectionSample, Face, PairAssignment } from './types';

export interface IdentityOptions {
  /** Largest jump, in face heights, between consecutive samples that still links them. */
  gate: number;
  /** Extra allowance per second between the samples. */
  gatePerSecond: number;
  /** A tracklet ends when its face is missing for longer than this. */
  maxGapSeconds: number;
  /** Weight of appearance distance (0..1) against distance in face heights. */
  appearanceWeight: number;
  /** Largest cost at which a tracklet still joins a person. */
  joinCost: number;
  /**
   * A tracklet seen fewer times, and in less than half of its shot's samples with anyone in them,
   * joins nobody in another shot: a brief sighting in a longer shot says too little (the
   * detector's false faces flicker: a jacket's shoulder seen twice in a close-up of a host joined
   * her guest); someone seen all through a shot of a second is there. 1 where every sample is a
   * shot of its own (the cast's looks).
   */
  minItemsAcrossCuts: number;
}

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = {
  gate: 1.0,
  gatePerSecond: 1.0,
  maxGapSeconds: 1.0,
  appearanceWeight: 4,
  joinCost: 1.2,
  minItemsAcrossCuts: 3,
};

interface Item {
  sample: number;
  t: number;
  face: Face;
}

export interface Tracklet {
  shot: number;
  items: Item[];
  /** Sum of the items' appearance vectors (null when none had one). */
  appearance: number[] | null;
  /** Sum of the items' likeness descriptions (null when none had one). */
  likeness: LikenessSum | null;
}

export interface Person {
  tracklets: Tracklet[];
  samples: Set<number>;
  appearance: number[] | null;
  likeness: LikenessSum | null;
  /** Samples in which the person was seen: their time on screen. */
  seen: number;
  /** Sums of face centre x, y and height over those samples (their mean is where the person sits). */
  placeSum: { x: number; y: number; h: number };
}

export interface IdentityResult {
  /** Per sample, the face of panel 0's and panel 1's person (null: not seen there). */
  pairs: PairAssignment[];
  /** Everyone found, longest on screen first; `chosen` indexes the two panels' people. */
  people: Person[];
  chosen: [number | null, number | null];
  /** With talk evidence: each of the first people's speaker turns (see talkers.ts). */
  turns?: Interval[][];
}

/** Where a tracklet's face is expected at time t: last position moved on by its recent velocity. */
function predict(tracklet: Tracklet, t: number): { x: number; y: number; h: number } {
  const last = tracklet.items[tracklet.items.length - 1]!;
  const c = rectCentre(last.face.box);
  const before = tracklet.items[tracklet.items.length - 2];
  if (!before || last.t - before.t <= 0) return { ...c, h: last.face.box.h };
  const b = rectCentre(before.face.box);
  const dt = Math.min(1, t - last.t);
  const vx = (c.x - b.x) / (last.t - before.t);
  const vy = (c.y - b.y) / (last.t - before.t);
  return { x: c.x + vx * dt, y: c.y + vy * dt, h: last.face.box.h };
}

/** Cost of extending `tracklet` with `face` seen at `t` (Infinity past the gate); reads only its last two items. */
export function linkCost(tracklet: Tracklet, face: Face, t: number, options: IdentityOptions): number {
  const last = tracklet.items[tracklet.items.length - 1]!;
  const p = predict(tracklet, t);
  const c = rectCentre(face.box);
  const scale = Math.max(1, p.h);
  const geometric = Math.hypot(c.x - p.x, c.y - p.y) / scale + Math.abs(Math.log(Math.max(1, face.box.h) / scale));
  if (geometric > options.gate + options.gatePerSecond * (t - last.t)) return Infinity;
  const appearance = appearanceDistance(tracklet.appearance, face.appearance);
  return geometric + (appearance === null ? 0 : options.appearanceWeight * appearance);
}

/** Step 1: tracklets within each shot. */
/**
 * Which of a sample's faces continue which tracklet: greedy, cheapest link first (a sample rarely
 * holds more than a handful of faces), each tracklet and each face used once. A face left out starts
 * a tracklet of its own. Both passes link with this (here and in stream-plan.ts).
 */
export function linkFaces<T extends Tracklet>(active: readonly T[], sample: DetectionSample, options: IdentityOptions): Map<Face, T> {
  const links: { tracklet: T; face: Face; cost: number }[] = [];
  for (const tracklet of active) {
    for (const face of sample.faces) {
      const cost = linkCost(tracklet, face, sample.t, options);
      if (Number.isFinite(cost)) links.push({ tracklet, face, cost });
    }
  }
  links.sort((a, b) => a.cost - b.cost);
  const byFace = new Map<Face, T>();
  const used = new Set<T>();
  for (const link of links) {
    if (used.has(link.tracklet) || byFace.has(link.face)) continue;
    used.add(link.tracklet);
    byFace.set(link.face, link.tracklet);
  }
  return byFace;
}

export function buildTracklets(
  samples: readonly DetectionSample[],
  shotStarts: readonly number[],
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): Tracklet[] {
  const tracklets: Tracklet[] = [];
  let active: Tracklet[] = [];
  let currentShot = -1;
  samples.forEach((sample, index) => {
    const shot = shotIndexAt(shotStarts, sample.t);
    if (shot !== currentShot) {
      active = [];
      currentShot = shot;
    }
    active = active.filter((tr) => sample.t - tr.items[tr.items.length - 1]!.t <= options.maxGapSeconds + 1e-9);
    const linked = linkFaces(active, sample, options);
    for (const [face, tracklet] of linked) {
      tracklet.items.push({ sample: index, t: sample.t, face });
      tracklet.appearance = addAppearance(tracklet.appearance, face.appearance);
      tracklet.likeness = addLikeness(tracklet.likeness, face.likeness);
    }
    for (const face of sample.faces) {
      if (linked.has(face)) continue;
      const tracklet: Tracklet = {
        shot,
        items: [{ sample: index, t: sample.t, face }],
        appearance: addAppearance(null, face.appearance),
        likeness: addLikeness(null, face.likeness),
      };
      tracklets.push(tracklet);
      active.push(tracklet);
    }
  });
  return tracklets;
}

/** Cost of `tracklet` being `person`: their look (the nearer of likeness and colours) plus, in the same shot, where they were. */
function joinCost(person: Person, tracklet: Tracklet, options: IdentityOptions, brief: boolean): number {
  for (const item of tracklet.items) if (person.samples.has(item.sample)) return Infinity;
  const appearance = lookDistance(person, tracklet);
  // Two faces the recognition network tells apart are two people, however close they sat.
  if (toldApart(person.likeness, tracklet.likeness)) return Infinity;
  let position: number;
  const first = tracklet.items[0]!;
  const last = tracklet.items[tracklet.items.length - 1]!;
  let nearest: { gap: number; a: Face; b: Face } | null = null;
  for (const other of person.tracklets) {
    if (other.shot !== tracklet.shot) continue;
    const otherFirst = other.items[0]!;
    const otherLast = other.items[other.items.length - 1]!;
    const candidate =
      otherLast.t <= first.t
        ? { gap: first.t - otherLast.t, a: otherLast.face, b: first.face }
        : { gap: otherFirst.t - last.t, a: last.face, b: otherFirst.face };
    if (!nearest || candidate.gap < nearest.gap) nearest = candidate;
  }
  if (nearest) {
    const a = rectCentre(nearest.a.box);
    const b = rectCentre(nearest.b.box);
    const scale = Math.max(1, nearest.a.box.h);
    const distance = Math.hypot(a.x - b.x, a.y - b.y) / scale;
    // People move while unseen: allow some distance per second of gap, up to a few face heights.
    position = Math.max(0, distance - options.gatePerSecond * Math.min(3, nearest.gap)) + Math.abs(Math.log(Math.max(1, nearest.b.box.h) / scale));
  } else {
    // Another shot: only the look can say it is them, and it must say so clearly (two people who
    // look alike are two people); where someone sits is a weak cue (cameras move between shots).
    if (brief || unlikeAcrossCuts(person, tracklet, appearance)) return Infinity;
    const mean = (sum: { x: number; y: number; h: number }, count: number) => ({ x: sum.x / count, y: sum.y / count, h: sum.h / count });
    const a = mean(person.placeSum, person.seen);
    const b = mean(addPlace({ x: 0, y: 0, h: 0 }, tracklet), tracklet.items.length);
    position = Math.min(0.6, (0.15 * Math.hypot(a.x - b.x, a.y - b.y)) / Math.max(1, a.h, b.h));
  }
  return position + (appearance === null ? 0 : options.appearanceWeight * appearance);
}

/** Whether a tracklet is too brief to join anyone across a cut (see IdentityOptions.minItemsAcrossCuts). */
function briefness(tracklets: readonly Tracklet[], options: IdentityOptions): (tracklet: Tracklet) => boolean {
  const shotSamples = new Map<number, Set<number>>();
  for (const t of tracklets) {
    const seen = shotSamples.get(t.shot) ?? new Set<number>();
    for (const item of t.items) seen.add(item.sample);
    shotSamples.set(t.shot, seen);
  }
  return (t) => t.items.length < options.minItemsAcrossCuts && t.items.length < 0.5 * shotSamples.get(t.shot)!.size;
}

/** Adds a tracklet's face centres and heights to running sums (kept per person, not recounted per join). */
function addPlace(sum: { x: number; y: number; h: number }, tracklet: Tracklet): { x: number; y: number; h: number } {
  for (const item of tracklet.items) {
    const c = rectCentre(item.face.box);
    sum.x += c.x;
    sum.y += c.y;
    sum.h += item.face.box.h;
  }
  return sum;
}

/** Step 2: tracklets joined into people, longest tracklets first so they anchor the identities. */
export function joinTracklets(tracklets: readonly Tracklet[], options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS): Person[] {
  const brief = briefness(tracklets, options);
  const order = [...tracklets].sort((a, b) => b.items.length - a.items.length || a.items[0]!.t - b.items[0]!.t);
  const people: Person[] = [];
  for (const tracklet of order) {
    let best: Person | null = null;
    let bestCost = options.joinCost;
    for (const person of people) {
      const cost = joinCost(person, tracklet, options, brief(tracklet));
      if (cost <= bestCost) {
        bestCost = cost;
        best = person;
      }
    }
    const person = best ?? { tracklets: [], samples: new Set<number>(), appearance: null, likeness: null, seen: 0, placeSum: { x: 0, y: 0, h: 0 } };
    if (!best) people.push(person);
    person.tracklets.push(tracklet);
    addPlace(person.placeSum, tracklet);
    for (const item of tracklet.items) person.samples.add(item.sample);
    person.seen += tracklet.items.length;
    person.appearance = addAppearance(person.appearance, tracklet.appearance);
    person.likeness = addLikeness(person.likeness, tracklet.likeness);
  }
  return people.sort((a, b) => b.seen - a.seen);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Step 3, and the whole: per sample, which face is panel 0's person and which is panel 1's. */
export function identify(
  samples: readonly DetectionSample[],
  shotStarts: readonly number[] = [],
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
  evidence?: TalkEvidence,
): IdentityResult {
  const people = joinTracklets(buildTracklets(samples, shotStarts, options), options);
  const pairs: PairAssignment[] = samples.map(() => [null, null]);
  if (people.length === 0) return { pairs, people, chosen: [null, null] };
  const faceAt = (person: Person) => {
    const map = new Map<number, Face>();
    for (const tracklet of person.tracklets) for (const item of tracklet.items) map.set(item.sample, item.face);
    return map;
  };
  const turns = evidence ? peopleTurns(evidence, samples, personOfFace(people), people.length) : undefined;
  const [first, partner] = choosePair(people, turns?.map(coveredSeconds));
  const a = faceAt(people[first]!);
  const b = partner !== null ? faceAt(people[partner]!) : null;
  let chosen: [number | null, number | null] = [first, partner];
  if (b && partner !== null) {
    // Left and right where they are seen together; else where each is seen at all.
    const together = [...a.keys()].filter((s) => b.has(s));
    const xs = (map: Map<number, Face>, keys: Iterable<number>) => [...keys].map((s) => rectCentre(map.get(s)!.box).x);
    const ax = together.length > 0 ? median(xs(a, together)) : median(xs(a, a.keys()));
    const bx = together.length > 0 ? median(xs(b, together)) : median(xs(b, b.keys()));
    if (bx < ax) chosen = [partner, first];
  }
  const maps = new Map([[first, a], ...(b && partner !== null ? [[partner, b] as const] : [])]);
  chosen.forEach((personIndex, panel) => {
    if (personIndex === null) return;
    for (const [sample, face] of maps.get(personIndex)!) pairs[sample]![panel] = face;
  });
  return { pairs, people, chosen, ...(turns ? { turns } : {}) };
}

/** Which person (index into `people`) each face belongs to. */
export function personOfFace(people: readonly Person[]): Map<Face, number> {
  const map = new Map<Face, number>();
  people.forEach((person, index) => person.tracklets.forEach((tr) => tr.items.forEach((item) => map.set(item.face, index))));
  return map;
}

function seenTogether(a: Person, b: Person): boolean {
  const [small, large] = a.samples.size < b.samples.size ? [a, b] : [b, a];
  for (const sample of small.samples) if (large.samples.has(sample)) return true;
  return false;
}

/** To be one of the pair, someone is seen in at least this many samples and this share of the samples of whoever is seen most. */
const MIN_PAIR_SEEN = 3;
const MIN_PAIR_SHARE = 0.1;

/** Below this a person's talk is taken for noise (a listener's nod, a false turn): seconds. */
export const MIN_TALK_SECONDS = 2;

/**
 * The two people the panels are for: of those ever seen together, the pair who talk most (when who
 * talks is known), then the pair longest on screen. Two people of one conversation share a frame at
 * least now and then; someone never seen beside the other (the same person from a camera whose
 * colours differ, someone in a cutaway) is not who they talk with. Where no two are ever seen
 * together (an edit of close-ups only), the two who talk most, then the two longest on screen.
 * Indexes into `people` (longest first).
 */
export function choosePair(people: readonly Person[], talk: readonly number[] = []): [number, number | null] {
  if (people.length < 2) return [0, null];
  const talked = (i: number) => ((talk[i] ?? 0) >= MIN_TALK_SECONDS ? talk[i]! : 0);
  const better = (i: number, j: number, than: [number, number]) => {
    const [a, b] = than;
    const byTalk = talked(i) + talked(j) - (talked(a) + talked(b));
    return byTalk !== 0 ? byTalk > 0 : people[i]!.seen + people[j]!.seen > people[a]!.seen + people[b]!.seen;
  };
  const pool = pairCandidates(people);
  let best: [number, number] | null = null;
  let bestApart: [number, number] = [pool[0]!, pool[1]!];
  for (const [k, i] of pool.entries()) {
    for (const j of pool.slice(k + 1)) {
      if (better(i, j, bestApart)) bestApart = [i, j];
      if ((!best || better(i, j, best)) && seenTogether(people[i]!, people[j]!)) best = [i, j];
    }
  }
  return best ?? bestApart;
}

/**
 * Who may be one of the pair (indexes into `people`, longest on screen first, at least two): the
 * first few seen for a fair share of the video (someone barely on screen cannot make the pair, nor
 * a false face the detector saw beside one of them a few times) and, where two or more were
 * described by the likeness network, only those (it describes no doubtful detection).
 */
function pairCandidates(people: readonly Person[]): number[] {
  const least = Math.max(MIN_PAIR_SEEN, MIN_PAIR_SHARE * people[0]!.seen);
  const seen = people.map((_, i) => i).filter((i) => people[i]!.seen >= least);
  const described = seen.filter((i) => people[i]!.likeness !== null);
  const pool = (described.length >= 2 ? described : seen).slice(0, 8);
  return pool.length >= 2 ? pool : [0, 1];
}

/** Per sample, the faces of the two panels' people. */
export function assignIdentities(
  samples: readonly DetectionSample[],
  shotStarts: readonly number[] = [],
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): PairAssignment[] {
  return identify(samples, shotStarts, options).pairs;
}
