// The tools worker's messages: one request, one answer, by request id.
import type { SerializedError } from '../../src/core/errors';
import type { JobInput } from '../../src/media/io';
import type { DetectionSample, Face } from '../../src/framing/types';
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
  /** The analysis' detections over the whole input (likeness included) and its cuts, in a fresh worker. */
  scanSamples(inputUrl: string, name: string): Promise<ScannedSamples>;
}

export interface ScannedSamples {
  samples: DetectionSample[];
  /** Presentation times of every frame, seconds, ascending. */
  frameTimes: number[];
  /** The one pass's look across the video for its people (see job/cast-look.ts), before the scan. */
  looks: DetectionSample[];
  cuts: number[];
  width: number;
  height: number;
  /** The scan's detection time, seconds, and the faces described by the likeness network. */
  detectSeconds: number;
  described: number;
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
  | { type: 'voice'; requestId: number; input: JobInput }
  | { type: 'samples'; requestId: number; input: JobInput };

export type FromToolsWorker =
  | { type: 'transcoded'; requestId: number; result: TranscodeResult }
  | { type: 'composite-cost'; requestId: number; result: CompositeCost }
  | { type: 'voice'; requestId: number; result: VoiceFound | null }
  | { type: 'samples'; requestId: number; result: ScannedSamples }
  | { type: 'error'; requestId: number; error: SerializedError };

/** Typed arrays come out of the page (and a saved JSON file) as objects keyed by index: arrays again. */
export function samplesAsArrays(scanned: ScannedSamples): ScannedSamples {
  const array = (v: ArrayLike<number>) => Object.values(v as unknown as Record<string, number>);
  for (const sample of [...scanned.samples, ...(scanned.looks ?? [])]) {
    sample.faces = sample.faces.map((f) => ({
      ...f,
      ...(f.likeness ? { likeness: array(f.likeness) } : {}),
      ...(f.appearance ? { appearance: array(f.appearance) } : {}),
    }));
  }
  return scanned;
}
