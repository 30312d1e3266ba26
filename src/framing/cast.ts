// The cast: who is in the video and which two get the panels, decided from a quick look across the
// whole file (a few frames spread over it) before anything is rendered. Every look is its own shot,
// so people are joined by appearance alone (with a weak cue from where they sit), the way the
// whole-video identity joins tracklets across cuts. Pure.
import { normaliseAppearance } from './appearance';
import { lookDistance, meanLikeness, unlikeAcrossCuts, type LikenessSum } from './likeness';
import { DEFAULT_IDENTITY_OPTIONS, identify, type IdentityOptions } from './identity';
import type { DetectionSample } from './types';

export interface CastMember {
  /** Mean appearance (each part normalised; see appearance.ts), null when no look had one. */
  appearance: number[] | null;
  /** Mean likeness (see likeness.ts), null when no face was described. */
  likeness: LikenessSum | null;
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
    { ...options, minItemsAcrossCuts: 1 },
  );
  const members = people.map((person): CastMember => {
    return {
      appearance: person.appearance ? normaliseAppearance(person.appearance) : null,
      likeness: meanLikeness(person.likeness),
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
  likeness: LikenessSum | null;
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
  const appearance = lookDistance(member, look);
  if (unlikeAcrossCuts(member, look, appearance)) return Infinity;
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
    likeness: meanLikeness(look.likeness),
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

/** How much nearer (appearance distance) a known third person must look than either panel's person to be taken for them. */
const KNOWN_STRANGER_MARGIN = 0.05;

/**
 * A panel whose person nobody in this stretch of a shot was named after goes to someone who is
 * there but named after nobody: the cast's look of a person and the stream's can differ past the
 * appearance gate (light, angle and compression change across a cut), and an empty panel shows
 * nobody. Only in a two-shot: beside the other panel's person (on its side of them, given a
 * choice); or, where
 * neither is named, two faces seen together, the left one for the left panel (a lone face of a
 * close-up may be anyone). Never someone who looks clearly more like a cast member without a panel
 * (a third person the look across the file knew). A look that filled a panel before keeps it.
 * `eligible`: looks seen long enough to be trusted. Returns the names with the panels filled. Pure.
 */
export function fillPanels(cast: Cast, looks: readonly TrackletLook[], names: readonly (number | null)[], eligible: readonly boolean[]): (number | null)[] {
  const out = [...names];
  const [a, b] = cast.panels;
  if (a === null || b === null) return out;
  const others = cast.members.map((_, m) => m).filter((m) => m !== a && m !== b);
  const knownStranger = (look: TrackletLook) => {
    const distance = (m: number) => lookDistance(cast.members[m]!, look);
    const toPanels = [a, b].map(distance).filter((d): d is number => d !== null);
    const toOthers = others.map(distance).filter((d): d is number => d !== null);
    if (toPanels.length === 0 || toOthers.length === 0) return false;
    return Math.min(...toOthers) + KNOWN_STRANGER_MARGIN < Math.min(...toPanels);
  };
  const free = looks.map((_, i) => i).filter((i) => out[i] === null && eligible[i] && !knownStranger(looks[i]!));
  const present = [a, b].map((member) => out.some((n) => n === member));
  if (present[0] && present[1]) return out;
  if (present[0] || present[1]) {
    const panel = present[0] ? 1 : 0;
    const member = panel === 0 ? a : b;
    const partner = looks.filter((_, i) => out[i] === (panel === 0 ? b : a));
    // Beside the other panel's person; where there is a choice, one on its side of them (in a
    // mirrored two-shot each sits on the other side).
    const beside = (look: TrackletLook) => partner.some((p) => overlaps(p, look));
    const onItsSide = (look: TrackletLook) => partner.every((p) => !overlaps(p, look) || (panel === 0 ? look.x < p.x : look.x > p.x));
    const rank = (look: TrackletLook) => 2 * Number(look.previous === member) + Number(onItsSide(look));
    const candidates = free.filter((i) => beside(looks[i]!)).sort((i, j) => rank(looks[j]!) - rank(looks[i]!));
    const taken: TrackletLook[] = [];
    for (const i of candidates) {
      if (taken.some((t) => overlaps(t, looks[i]!))) continue;
      out[i] = member;
      taken.push(looks[i]!);
    }
    return out;
  }
  // Neither named: the two seen together, longest overlap first.
  let best: { pair: [number, number]; together: number } | null = null;
  for (const i of free) {
    for (const j of free) {
      if (j <= i || !overlaps(looks[i]!, looks[j]!)) continue;
      const together = Math.min(looks[i]!.last, looks[j]!.last) - Math.max(looks[i]!.first, looks[j]!.first);
      if (best && together <= best.together) continue;
      best = { pair: looks[i]!.x < looks[j]!.x ? [i, j] : [j, i], together };
    }
  }
  if (best) {
    out[best.pair[0]] = a;
    out[best.pair[1]] = b;
  }
  return out;
}

const overlaps = (a: TrackletLook, b: TrackletLook) => a.first <= b.last && b.first <= a.last;
