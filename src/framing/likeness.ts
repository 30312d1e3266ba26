// Likeness of people across a video: the face-recognition descriptions of a tracklet's or a
// person's faces (detect/likeness.ts), summed, and compared by their means. A mean over several
// faces holds where one face (turned, blurred, half-lit) does not. Pure.
import { appearanceDistance, SAME_PERSON_DISTANCE } from './appearance';

/** A running sum of likeness descriptions. */
export interface LikenessSum {
  sum: number[];
  count: number;
}

/**
 * Distances between mean likenesses (Euclidean, the network's own measure) on real footage, per
 * tracklet pair: see docs/likeness.md for the figures these come from.
 */
/** At or below this, two tracklets are taken for one person even across a cut. */
export const SAME_LIKENESS = 0.45;
/** Above this, two tracklets are two people, whatever their colours say: where each was described at least MIN_TOLD_APART times. */
export const OTHER_LIKENESS = 0.6;
/** Single descriptions waver too much to tell people apart by one (one person's up to 0.61 apart on real footage). */
export const MIN_TOLD_APART = 3;

/** Whether two sums are clearly two people (see OTHER_LIKENESS). */
export function toldApart(a: LikenessSum | null, b: LikenessSum | null): boolean {
  if (!a || !b || a.count < MIN_TOLD_APART || b.count < MIN_TOLD_APART) return false;
  return likenessDistance(a, b)! > OTHER_LIKENESS;
}

/** Adds one description (or another sum) to a sum; returns the sum (a new one when there was none). */
export function addLikeness(sum: LikenessSum | null, add: ArrayLike<number> | LikenessSum | null | undefined): LikenessSum | null {
  if (!add) return sum;
  const values = 'sum' in add ? add.sum : add;
  const count = 'sum' in add ? add.count : 1;
  if (count === 0) return sum;
  if (!sum) return { sum: Array.from(values), count };
  for (let i = 0; i < sum.sum.length; i++) sum.sum[i]! += values[i] ?? 0;
  sum.count += count;
  return sum;
}

/** Distance between the means of two sums; null where either has none. */
export function likenessDistance(a: LikenessSum | null | undefined, b: LikenessSum | null | undefined): number | null {
  if (!a || !b || a.count === 0 || b.count === 0 || a.sum.length !== b.sum.length) return null;
  let squares = 0;
  for (let i = 0; i < a.sum.length; i++) {
    const d = a.sum[i]! / a.count - b.sum[i]! / b.count;
    squares += d * d;
  }
  return Math.sqrt(squares);
}

/** The mean description of a sum (what a cast member keeps). */
export function meanLikeness(sum: LikenessSum | null): LikenessSum | null {
  return sum && sum.count > 0 ? { sum: sum.sum.map((v) => v / sum.count), count: 1 } : null;
}

/** What two sightings (tracklets, people, cast members) carry to be compared. */
export interface Look {
  appearance: ArrayLike<number> | null;
  likeness: LikenessSum | null;
}

/**
 * How unlike two looks are, on the colour distance's scale (appearance.ts, where
 * SAME_PERSON_DISTANCE is the gate for one person): the nearer of their likeness, scaled so
 * SAME_LIKENESS lands on that gate, and their colours. Either may vouch for one person: across a
 * cut on real footage the colours change and the likeness holds; on small or soft faces the
 * likeness wavers (two people of a 270-line video 0.39 apart) and the colours hold. Which person a
 * tracklet joins is the cheapest of all, so a cue that is near by chance rarely decides alone.
 * Null where neither can be compared.
 */
export function lookDistance(a: Look, b: Look): number | null {
  const likeness = likenessDistance(a.likeness, b.likeness);
  const colours = appearanceDistance(a.appearance, b.appearance);
  const scaled = likeness === null ? null : (likeness / SAME_LIKENESS) * SAME_PERSON_DISTANCE;
  if (scaled === null || colours === null) return scaled ?? colours;
  return Math.min(scaled, colours);
}

/**
 * Whether one side was described and the other could not be (too small, too brief): across a cut
 * their colours alone do not make them one person (a patch of flowers the detector took for a
 * face matched a host's colours, and held her panel through a close-up of her guest).
 */
export function oneUndescribed(a: Look, b: Look): boolean {
  return (a.likeness === null) !== (b.likeness === null);
}

/**
 * Whether two looks with nothing else to link them (in different shots, or a tracklet and a cast
 * member) are clearly two people: one described and the other not, or their lookDistance
 * (`distance`) past the colours' gate.
 */
export function unlikeAcrossCuts(a: Look, b: Look, distance: number | null): boolean {
  return oneUndescribed(a, b) || (distance !== null && distance > SAME_PERSON_DISTANCE);
}
