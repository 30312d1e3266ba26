import { intersectionOverUnion, rectArea, intersection } from '../geometry/rect';
import type { Face } from './types';

/**
 * Merges detections of the same face found in overlapping tiles (non-maximum suppression): of two
 * boxes that overlap strongly, or where one lies mostly inside the other, the higher score wins.
 */
export function mergeDetections(faces: readonly Face[], iouThreshold = 0.3): Face[] {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  const kept: Face[] = [];
  for (const face of sorted) {
    const duplicate = kept.some((k) => {
      if (intersectionOverUnion(k.box, face.box) > iouThreshold) return true;
      const overlap = rectArea(intersection(k.box, face.box));
      return overlap > 0.6 * Math.min(rectArea(k.box), rectArea(face.box));
    });
    if (!duplicate) kept.push(face);
  }
  return kept;
}
