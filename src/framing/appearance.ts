// What a person looks like, in a form that holds between a wide shot and a close-up: colour
// histograms of three parts measured relative to the face box, so they do not depend on the face's
// size in the picture. The skin of the face (fine chroma only, so light and shade matter little) is
// the part that is always there; the hair above the face and the clothes below it count only where
// the frame shows most of them, never where the frame cuts them off (a close-up shows a sliver of
// collar, which says nothing about the clothes). Pure: the media layer samples the pixels.
import { intersection, type Rect, type Size } from '../geometry/rect';

/** Skin: a chroma histogram, 12 x 12 bins of 8 levels over U 64..160 and V 112..208 (clamped). */
const SKIN_U0 = 64;
const SKIN_V0 = 112;
const SKIN_SIDE = 12;
const SKIN_BINS = SKIN_SIDE * SKIN_SIDE;
/** Hair and clothes: a coarse 4 x 4 x 4 YUV histogram. */
const COLOUR_BINS = 64;

interface Part {
  offset: number;
  bins: number;
  /** Weight in the distance, where both sides have the part. */
  weight: number;
}

const SKIN: Part = { offset: 0, bins: SKIN_BINS, weight: 2 };
const HAIR: Part = { offset: SKIN_BINS, bins: COLOUR_BINS, weight: 1 };
const BODY: Part = { offset: SKIN_BINS + COLOUR_BINS, bins: COLOUR_BINS, weight: 1 };
const PARTS: readonly Part[] = [SKIN, HAIR, BODY];

/** Where each part lies in an appearance vector. */
export const APPEARANCE_PARTS: Readonly<Record<'skin' | 'hair' | 'body', { readonly offset: number; readonly bins: number }>> = {
  skin: SKIN,
  hair: HAIR,
  body: BODY,
};

/** Length of an appearance vector: skin, hair and body histograms one after the other. */
export const APPEARANCE_LENGTH = SKIN_BINS + 2 * COLOUR_BINS;

/**
 * The largest distance at which two sightings with nothing else to link them (in different shots,
 * or a tracklet and the cast) are taken for one person. Measured on real footage: one person seen
 * by two cameras at 42 and 98 px face height 0.09, a still's person wide and in close-up 0.01–0.05;
 * two men of similar complexion in dark suits 0.14–0.17, a child and a man 0.4.
 */
export const SAME_PERSON_DISTANCE = 0.12;

/** A part counts only where at least this share of its region lies inside the picture. */
const MIN_VISIBLE = 0.6;

/** Where each part is measured for a face box; null where the picture shows too little of it. */
export interface AppearanceRegions {
  skin: Rect;
  hair: Rect | null;
  body: Rect | null;
}

export function appearanceRegions(face: Rect, picture: Size): AppearanceRegions {
  const frame = { x: 0, y: 0, w: picture.width, h: picture.height };
  const visible = (region: Rect): Rect | null => {
    const inside = intersection(region, frame);
    return inside.w > 0 && inside.h > 0 && inside.w * inside.h >= MIN_VISIBLE * region.w * region.h ? inside : null;
  };
  // The middle of the face: cheeks, nose, forehead; no background, little hair.
  const skin = intersection({ x: face.x + face.w * 0.2, y: face.y + face.h * 0.2, w: face.w * 0.6, h: face.h * 0.6 }, frame);
  return {
    skin: skin.w > 0 && skin.h > 0 ? skin : { x: face.x, y: face.y, w: Math.max(1, face.w), h: Math.max(1, face.h) },
    // The detector's box starts at the brow: the hair is the band above it.
    hair: visible({ x: face.x + face.w * 0.1, y: face.y - face.h * 0.25, w: face.w * 0.8, h: face.h * 0.3 }),
    body: visible({ x: face.x - face.w * 0.3, y: face.y + face.h * 1.2, w: face.w * 1.6, h: face.h * 1.3 }),
  };
}

/** The skin histogram's bin for a pixel (offset within the vector). */
export function skinBin(u: number, v: number): number {
  const bu = Math.min(SKIN_SIDE - 1, Math.max(0, (u - SKIN_U0) >> 3));
  const bv = Math.min(SKIN_SIDE - 1, Math.max(0, (v - SKIN_V0) >> 3));
  return SKIN.offset + bu * SKIN_SIDE + bv;
}

/** The hair or body histogram's bin for a pixel (offset within the vector). */
export function colourBin(part: 'hair' | 'body', y: number, u: number, v: number): number {
  return (part === 'hair' ? HAIR : BODY).offset + (((y >> 6) << 4) | ((u >> 6) << 2) | (v >> 6));
}

function partSum(a: ArrayLike<number>, part: Part): number {
  let sum = 0;
  for (let i = part.offset; i < part.offset + part.bins; i++) sum += a[i]!;
  return sum;
}

/** 1 − Bhattacharyya coefficient of one part of two vectors, each normalised by its own sum. */
function partDistance(a: ArrayLike<number>, b: ArrayLike<number>, part: Part, sa: number, sb: number): number {
  let coefficient = 0;
  for (let i = part.offset; i < part.offset + part.bins; i++) coefficient += Math.sqrt((a[i]! / sa) * (b[i]! / sb));
  return Math.max(0, 1 - coefficient);
}

/**
 * How unlike two appearances are: 0 the same, 1 nothing in common. The parts both sides have, each
 * compared on its own (so a sum over many sightings compares like one sighting), weighted; null
 * where the two share no part (or either is missing).
 */
export function appearanceDistance(a: ArrayLike<number> | null | undefined, b: ArrayLike<number> | null | undefined): number | null {
  if (!a || !b || a.length !== APPEARANCE_LENGTH || b.length !== APPEARANCE_LENGTH) return null;
  let total = 0;
  let weights = 0;
  for (const part of PARTS) {
    const sa = partSum(a, part);
    const sb = partSum(b, part);
    if (sa <= 0 || sb <= 0) continue;
    total += part.weight * partDistance(a, b, part, sa, sb);
    weights += part.weight;
  }
  return weights > 0 ? total / weights : null;
}

/** Sums appearances (a person's over their sightings): each part's histogram adds up on its own. */
export function addAppearance(sum: number[] | null, add: ArrayLike<number> | null | undefined, weight = 1): number[] | null {
  if (!add) return sum;
  if (!sum) return Array.from(add, (v) => v * weight);
  for (let i = 0; i < sum.length; i++) sum[i]! += (add[i] ?? 0) * weight;
  return sum;
}

/** A sum of appearances with each part normalised to 1 (absent parts stay 0): a mean look. */
export function normaliseAppearance(sum: ArrayLike<number>): number[] {
  const out = Array.from(sum);
  for (const part of PARTS) {
    const s = partSum(sum, part);
    if (s > 0) for (let i = part.offset; i < part.offset + part.bins; i++) out[i] = out[i]! / s;
  }
  return out;
}
