// The tools worker's messages: one request, one answer, by request id.
import type { SerializedError } from '../../src/core/errors';
import type { JobInput } from '../../src/media/io';
import type { Face } from '../../src/framing/types';
import type { TranscodeResult } from './transcode';
import type { CompositeCost, CompositeCostRequest } from './composite-cost';

/** What the tools' page offers as `window.dualfaceTools`, beside the app's automation API. */
export interface Tools {
  /** Decode → encode at the source size in a fresh worker, nothing else. */
  transcode(inputUrl: string, name: string): Promise<TranscodeResult>;
  /** The CPU compositor alone over the input's first frames, in a fresh worker (see composite-cost.ts). */
  compositeCost(inputUrl: string, name: string, request: CompositeCostRequest): Promise<CompositeCost>;
  /** Faces in the image at `url`; `tiles: false` looks at the whole image only (no close-ups). */
  detectFacesAt(url: string, tiles?: boolean): Promise<Face[]>;
}

export type ToToolsWorker =
  | { type: 'transcode'; requestId: number; input: JobInput }
  | { type: 'composite-cost'; requestId: number; input: JobInput; request: CompositeCostRequest };

export type FromToolsWorker =
  | { type: 'transcoded'; requestId: number; result: TranscodeResult }
  | { type: 'composite-cost'; requestId: number; result: CompositeCost }
  | { type: 'error'; requestId: number; error: SerializedError };
