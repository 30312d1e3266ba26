// Messages between a job worker and its detection workers (detect-worker.ts).
import type { Rotation } from '../geometry/rotation';
import type { SerializedError } from '../core/errors';
import type { DetectionEffort, SearchOptions, SearchResult } from './search';
import type { PlanesSnapshot } from '../media/frame-planes';

export type ToDetector =
  /** Faces in a frame already read into planes. */
  | { type: 'planes'; requestId: number; planes: PlanesSnapshot; search: SearchOptions }
  /** Faces in an image the analysis could not read as planes, or a single image from the page. */
  | { type: 'image'; requestId: number; image: VideoFrame | ImageBitmap; search: SearchOptions; rotation: Rotation }
  /** Start the detector now (loading MediaPipe takes a moment), so the first request does not wait. */
  | { type: 'warm' };

/**
 * `seconds`: the detector's own time on the request; `effort`: of that, regions, drawing and network.
 * `planes`: the request's plane buffer handed back (transferred), for the next request to reuse.
 */
export type DetectorAnswer = SearchResult & { type: 'faces'; requestId: number; seconds: number; effort: DetectionEffort; planes?: ArrayBuffer };

export type FromDetector = DetectorAnswer | { type: 'error'; requestId: number; error: SerializedError };
