import { intersectionOverUnion, rectArea, intersection } from '../geometry/rect';
import type { Face } from './types';

/**
 * Merges detections of the same face found in overlapping tiles (non-maximum suppression): of two
 * boxes that overlap strongly, or where one lies mostly inside the other, the higher score wins.
 * `resolution` (network pixels per picture pixel of the view a face was found in, for faces not cut
 * by their view's edge): where a face small in its view (under 64 tile pixels high) was seen again at
 * least 1.5 times finer, scoring nearly as well, it keeps the better score but takes that box. A small face in the whole picture is a
 * few network pixels, and its box there came out twice its size on real footage (113 px for a face
 * the finer tiles found 53–62 px high).
 */
export function mergeDetections(faces: readonly Face[], iouThreshold = 0.3, resolution?: ReadonlyMap<Face, number>): Face[] {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  const kept: Face[] = [];
  const keptResolution = new Map<Face, number>();
  for (const face of sorted) {
    const same = kept.findIndex((k) => {
      if (intersectionOverUnion(k.box, face.box) > iouThreshold) return true;
      const overlap = rectArea(intersection(k.box, face.box));
      return overlap > 0.6 * Math.min(rectArea(k.box), rectArea(face.box));
    });
    const own = resolution?.get(face);
    if (same < 0) {
      kept.push(face);
      if (own !== undefined) keptResolution.set(face, own);
      continue;
    }
    const k = kept[same]!;
    const seen = keptResolution.get(k);
    // Only a face small in its view (a large one is placed well, and a tile may hold only part of it).
    if (seen === undefined || k.box.h * seen >= SMALL_IN_VIEW || own === undefined || own < FINER * seen || face.score < k.score - NEARLY) continue;
    const finer = { ...k, box: face.box };
    kept[same] = finer;
    keptResolution.set(finer, own);
  }
  return kept;
}

/** How much finer a duplicate's view must be for its box to be taken, and how much lower its score may be. */
const FINER = 1.5;
const NEARLY = 0.15;
/** A face at most this many tile pixels high in its view is small there (the network sees half of them). */
const SMALL_IN_VIEW = 64;
