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
  /** Where anyone speaks in the input's audio (Silero VAD), in a fresh worker; null: no audio track. */
  findVoice(inputUrl: string, name: string): Promise<VoiceFound | null>;
}

export interface VoiceFound {
  intervals: { start: number; end: number }[];
  /** Model frames looked at, and the seconds it took (decode and model). */
  frames: number;
  seconds: number;
}

export type ToToolsWorker =
  | { type: 'transcode'; requestId: number; input: JobInput }
  | { type: 'composite-cost'; requestId: number; input: JobInput; request: CompositeCostRequest }
  | { type: 'voice'; requestId: number; input: JobInput };

export type FromToolsWorker =
  | { type: 'transcoded'; requestId: number; result: TranscodeResult }
  | { type: 'composite-cost'; requestId: number; result: CompositeCost }
  | { type: 'voice'; requestId: number; result: VoiceFound | null }
  | { type: 'error'; requestId: number; error: SerializedError };
