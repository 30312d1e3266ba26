// The cast: who is in the video and which two get the panels, decided from a quick look across the
// whole file (a few frames spread over it) before anything is rendered. Every look is its own shot,
// so people are joined by appearance alone (with a weak cue from where they sit), the way the
// whole-video identity joins tracklets across cuts. Pure.
import { appearanceDistance, normaliseAppearance, SAME_PERSON_DISTANCE } from './appearance';
import { DEFAULT_IDENTITY_OPTIONS, identify, type IdentityOptions } from './identity';
import type { DetectionSample } from './types';

export interface CastMember {
  /** Mean appearance (each part normalised; see appearance.ts), null when no look had one. */
  appearance: number[] | null;
  /** Looks in which they were seen. */
  seen: number;
  /** Mean face centre x and face height, source pixels. */
  x: number;
  h: number;
}

export interface Cast {
  members: CastMember[];
  /** The members in panel 0 (further left) and panel 1. */
  panels: [number | null, number | null];
}

/** The cast from looks spread over the video (each sample a different moment). */
export function castFromSamples(samples: readonly DetectionSample[], options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS): Cast {
  const { people, chosen } = identify(
    samples,
    samples.map((s) => s.t),
    options,
  );
  const members = people.map((person): CastMember => {
    return {
      appearance: person.appearance ? normaliseAppearance(person.appearance) : null,
      seen: person.seen,
      x: person.placeSum.x / person.seen,
      h: person.placeSum.h / person.seen,
    };
  });
  return { members, panels: chosen };
}

/** What a tracklet of the stream looks like so far, to be named after a cast member. */
export interface TrackletLook {
  appearance: ArrayLike<number> | null;
  /** Mean face centre x and height so far. */
  x: number;
  h: number;
  /** Time span it covers (two tracklets that overlap in time are two people). */
  first: number;
  last: number;
  /** Its member before, kept unless another fits clearly better. */
  previous: number | null;
}

/** Largest appearance distance at which a tracklet is still taken for a cast member. */
export const CAST_MATCH_DISTANCE = 0.3;
/** How much better another member must fit before a tracklet changes member. */
const KEEP_BONUS = 0.05;

/** How unlike a cast member a tracklet looks (0 the same; Infinity: clearly someone else). */
export function memberCost(member: CastMember, look: TrackletLook): number {
  const appearance = appearanceDistance(member.appearance, look.appearance);
  if (appearance !== null && appearance > SAME_PERSON_DISTANCE) return Infinity;
  // Without appearance (pictures that could not be read), where they sit is all there is.
  const place = Math.abs(member.x - look.x) / Math.max(1, member.h, look.h);
  return (appearance ?? Math.min(1, 0.1 * place)) + Math.min(0.1, 0.02 * place);
}

/**
 * Names tracklets after cast members: cheapest pairs first, a member never given to two tracklets
 * that overlap in time, and a tracklet that fits nobody well stays unnamed (null): a third person.
 */
export function nameTracklets(cast: Cast, looks: readonly TrackletLook[]): (number | null)[] {
  const pairs: { look: number; member: number; cost: number }[] = [];
  looks.forEach((look, i) => {
    cast.members.forEach((member, m) => {
      const cost = memberCost(member, look) - (look.previous === m ? KEEP_BONUS : 0);
      if (cost <= CAST_MATCH_DISTANCE) pairs.push({ look: i, member: m, cost });
    });
  });
  pairs.sort((a, b) => a.cost - b.cost || a.look - b.look);
  const names: (number | null)[] = looks.map(() => null);
  const given: number[][] = cast.members.map(() => []);
  for (const { look, member } of pairs) {
    if (names[look] !== null) continue;
    const l = looks[look]!;
    if (given[member]!.some((other) => looks[other]!.first <= l.last && l.first <= looks[other]!.last)) continue;
    names[look] = member;
    given[member]!.push(look);
  }
  return names;
}

/**
 * A person the look across the file missed (too few looks, a late arrival) joins the cast when the
 * stream has seen them for a while; they take a free panel, on the side where they sit.
 */
export function joinCast(cast: Cast, look: TrackletLook, seen: number): number {
  const member: CastMember = {
    appearance: look.appearance ? Array.from(look.appearance) : null,
    seen,
    x: look.x,
    h: look.h,
  };
  cast.members.push(member);
  const index = cast.members.length - 1;
  const [left, right] = cast.panels;
  // Alone, they fill the output whichever panel they have.
  if (left === null && right === null) cast.panels = [index, null];
  else if (left === null || right === null) {
    const other = cast.members[(left ?? right)!]!;
    cast.panels = look.x < other.x ? [index, left ?? right] : [left ?? right, index];
  }
  return index;
}
