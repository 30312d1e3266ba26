import type { Rect } from '../geometry/rect';

/** One detected face, in source pixels. */
export interface Face {
  box: Rect;
  score: number;
  /**
   * What the person looks like: histograms of the face's skin, the hair and the clothes (see
   * appearance.ts). Absent where the picture could not be read (stills).
   */
  appearance?: ArrayLike<number>;
  /**
   * Who the face is, as a face-recognition network describes it (128 numbers, see
   * detect/likeness.ts): holds across cuts, light and angle. Only on some samples' faces.
   */
  likeness?: ArrayLike<number>;
  /** Which person this is (index into the analysis's people, longest on screen first), once identified. */
  person?: number;
}

/** The faces detected in one analysed frame. */
export interface DetectionSample {
  /** Presentation time of the analysed frame, seconds. */
  t: number;
  faces: Face[];
}

/** Which face each of the two people is, in one sample (null: not seen there). */
export type PairAssignment = [Face | null, Face | null];
