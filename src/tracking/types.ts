import type { Rect } from '../geometry/rect';

/** One detected face, in source pixels. */
export interface Face {
  box: Rect;
  score: number;
}

/** The faces detected in one analysed frame. */
export interface DetectionSample {
  /** Presentation time of the analysed frame, seconds. */
  t: number;
  faces: Face[];
}

/** Which face each of the two people is, in one sample (null: not seen there). */
export type PairAssignment = [Face | null, Face | null];
