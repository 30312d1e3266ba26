import { rectCentre } from '../geometry/rect';
import type { DetectionSample, Face, PairAssignment } from './types';

export interface IdentityOptions {
  /** Largest jump, in face heights, between two samples one second apart that still counts as the same person. */
  gate: number;
  /** Extra allowance per second of gap since the person was last seen. */
  gatePerSecond: number;
}

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = { gate: 1.5, gatePerSecond: 1.0 };

interface LastSeen {
  face: Face;
  t: number;
}

/** Dissimilarity of a face to where a person was last seen: centre distance in face heights plus size change. */
export function matchCost(last: LastSeen, face: Face, t: number, options: IdentityOptions): number {
  const a = rectCentre(last.face.box);
  const b = rectCentre(face.box);
  const scale = Math.max(1, last.face.box.h);
  const distance = Math.hypot(a.x - b.x, a.y - b.y) / scale;
  const sizeChange = Math.abs(Math.log(Math.max(1, face.box.h) / scale));
  const cost = distance + sizeChange;
  const gate = options.gate + options.gatePerSecond * Math.min(5, Math.abs(t - last.t));
  return cost <= gate ? cost : Infinity;
}

/**
 * Best assignment of the sample's faces to the two people (each face to at most one person), by
 * brute force over all pairs: a sample rarely holds more than a handful of faces.
 */
export function assignSample(
  last: [LastSeen | null, LastSeen | null],
  faces: readonly Face[],
  t: number,
  options: IdentityOptions,
): PairAssignment {
  // Not matching a person costs as much as the worst acceptable match.
  const missCost = (p: 0 | 1) => (last[p] ? options.gate + options.gatePerSecond * Math.min(5, Math.abs(t - last[p].t)) : 0);
  const cost = (p: 0 | 1, face: Face | null) => {
    if (face === null) return missCost(p);
    const seen = last[p];
    return seen ? matchCost(seen, face, t, options) : Infinity;
  };
  const options0: (Face | null)[] = [null, ...faces];
  let best: PairAssignment = [null, null];
  let bestCost = cost(0, null) + cost(1, null);
  for (const f0 of options0) {
    for (const f1 of options0) {
      if (f0 !== null && f0 === f1) continue;
      const total = cost(0, f0) + cost(1, f1);
      if (total < bestCost) {
        bestCost = total;
        best = [f0, f1];
      }
    }
  }
  return best;
}

/**
 * Follows two people through the samples. Panel 0's person is the leftmost of the two when both are
 * first seen together (the two largest faces of that sample); from there identities are carried
 * forward and backward in time by position and size.
 */
export function assignIdentities(
  samples: readonly DetectionSample[],
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): PairAssignment[] {
  const result: PairAssignment[] = samples.map(() => [null, null]);
  let anchor = samples.findIndex((s) => s.faces.length >= 2);
  let seed: [Face | null, Face | null];
  if (anchor >= 0) {
    const anchorSample = samples[anchor]!;
    const two = [...anchorSample.faces].sort((a, b) => b.box.h * b.box.w - a.box.h * a.box.w).slice(0, 2);
    two.sort((a, b) => rectCentre(a.box).x - rectCentre(b.box).x);
    seed = [two[0]!, two[1]!];
  } else {
    // Nobody is ever seen together: follow the single person, if any, as person 0.
    anchor = samples.findIndex((s) => s.faces.length === 1);
    if (anchor < 0) return result;
    seed = [samples[anchor]!.faces[0]!, null];
  }
  result[anchor] = seed;
  const anchorT = samples[anchor]!.t;
  for (const direction of [1, -1] as const) {
    let last: [LastSeen | null, LastSeen | null] = [
      seed[0] ? { face: seed[0], t: anchorT } : null,
      seed[1] ? { face: seed[1], t: anchorT } : null,
    ];
    for (let i = anchor + direction; i >= 0 && i < samples.length; i += direction) {
      const sample = samples[i]!;
      const pair = assignSample(last, sample.faces, sample.t, options);
      result[i] = pair;
      last = [
        pair[0] ? { face: pair[0], t: sample.t } : last[0],
        pair[1] ? { face: pair[1], t: sample.t } : last[1],
      ];
      // A second person who was absent at the anchor is picked up when a new face appears.
      if (!last[1] && sample.faces.length > 0) {
        const other = sample.faces.find((f) => f !== pair[0]);
        if (other) {
          result[i] = [pair[0], other];
          last[1] = { face: other, t: sample.t };
        }
      }
    }
  }
  return result;
}
