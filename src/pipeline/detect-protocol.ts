// Messages between a job worker and its detection worker (detect-worker.ts).
import type { Rotation } from '../geometry/rotation';
import type { Face } from '../tracking/types';
import type { SerializedError } from './errors';
import type { DetectionEffort } from './face-finder';
import type { PlanesSnapshot } from './frame-planes';

export type ToDetector =
  /** Faces in a frame already read into planes; `session` is one analysis (its hints), `cut` forgets them. */
  | { type: 'planes'; requestId: number; session: number; planes: PlanesSnapshot; t: number; cut: boolean }
  /** Faces in an image the analysis could not read as planes, or a single image from the page. */
  | { type: 'image'; requestId: number; image: VideoFrame | ImageBitmap; t: number | null; tiles: boolean; rotation: Rotation }
  /** An analysis ended: drop its hints. */
  | { type: 'forget'; session: number };

export type FromDetector =
  /** `seconds`: the detector's own time on the request; `effort`: of that, regions, drawing and network. */
  | { type: 'faces'; requestId: number; faces: Face[]; seconds: number; effort: DetectionEffort }
  | { type: 'error'; requestId: number; error: SerializedError };

export type DetectorAnswer = Extract<FromDetector, { type: 'faces' }>;
