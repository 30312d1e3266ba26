// The one message protocol between the page and a job worker.
import type { CompositorChoice } from '../composite/compositor';
import type { Layout } from '../geometry/layout';
import type { Size } from '../geometry/rect';
import type { TracksFile } from '../framing/tracks-file';
import type { MissingPolicy, PersonSummary, PlanInput } from '../framing/plan';
import type { Interval } from '../core/intervals';
import type { EncoderKind } from '../media/encoder-slots';
import type { Fallback } from '../media/encoder-fallback';
import type { SerializedError } from '../core/errors';
import type { DetectionEffort } from '../detect/search';
import type { RenderEffort } from './render-effort';
import type { JobInput, JobOutput } from '../media/io';
import type { Checkpoint } from '../media/packet-log';

export type { JobInput, JobOutput } from '../media/io';

export interface JobSettings {
  layout: Layout;
  size: Size;
  /** Face detections per second of video in the analysis pass. */
  detectionRate: number;
  /** Video bitrate, bits per second; null picks one from size and frame rate. */
  bitrate: number | null;
  /** auto: WebGPU on a hardware adapter, else the CPU path. */
  compositor: CompositorChoice;
  /** What a panel shows while its person is away (see framing/plan.ts). */
  missingPolicy: MissingPolicy;
  /** Cut out spans of 2 s or more where neither person is seen (audio too). */
  trimEmpty: boolean;
  /** Draw detected faces coloured by identity (for checking the tracking). */
  debugOverlay: boolean;
  /**
   * 'one': analysis and render run together, the framing planned in windows as the video is read.
   * 'two': the whole video is analysed, then rendered (always so for the review, trim-empty and a
   * given tracks file, which need the whole video planned first).
   */
  passes: Passes;
  /** Find who is speaking: the tracks file's "speech" (voice from the audio, attributed by the mouths). */
  speech: boolean;
  /** Frame the speaking panel (from the tracks' "speech"); the whole video is analysed first. */
  speakerHighlight: boolean;
  /** In long single-speaker turns the speaker fills the output (framing/focus.ts); two passes. */
  speakerFocus: boolean;
}

export type Passes = 'one' | 'two';

export interface JobSpec {
  input: JobInput;
  /** null: analysis only (`analyseOnly`), nothing is written. */
  output: JobOutput | null;
  /** Name written in the tracks file as the output file. */
  outputName: string;
  settings: JobSettings;
  /** Render from this framing instead of analysing. */
  tracksIn: TracksFile | null;
  /** Stop after analysis: the result carries the framing, nothing is written. */
  analyseOnly?: boolean;
  /** false: the result's tracks come without their frames (large for long videos: one entry per frame). */
  returnFraming?: boolean;
  /** With a packet-log output: the checkpoint an interrupted run of this job left (the render takes up there). */
  resume?: Checkpoint | null;
  /** Faults to inject, for tests of the recovery paths (never set by the page or the command line's users). */
  faults?: JobFaults;
}

export interface JobFaults {
  /** A hardware encoder (a software one standing in, where the browser has none) that fails after this many frames. */
  hardwareEncoderFailsAfter?: number;
}

export type JobPhase = 'analysing' | 'rendering';

export interface JobProgress {
  phase: JobPhase;
  framesDone: number;
  /** Total frames when known (after analysis), else an estimate from the duration. */
  framesTotal: number;
  fps: number;
  /** While rendering: which encoder runs, and the fallbacks so far. */
  encoder?: EncoderKind;
  fallbacks?: Fallback[];
}

/** What the analysis found, for the page's review to re-plan from (sent only for analysis-only runs). */
export interface ReviewData {
  /** The planning input, its samples labelled with people (appearance left out). */
  input: PlanInput;
  people: PersonSummary[];
  chosen: [number | null, number | null];
  /** With the speech setting: each of the first people's speaker turns (index as `people`'s), for choosing others. */
  turns?: Interval[][];
}

export interface JobResult {
  tracks: TracksFile;
  review?: ReviewData;
  frames: number;
  durationSeconds: number;
  compositor: string;
  /** Why that compositor ran (and any switch made after checking its output). */
  compositorReason: string;
  /** Which encoder produced the output, and every switch away from hardware with its reason. */
  encoder: EncoderKind;
  encoderCodec: string;
  fallbacks: Fallback[];
  audio: 'copied' | 'none' | 'dropped';
  analyseSeconds: number;
  /** Of analyseSeconds, the time in face detection, and how many frames it looked at. */
  detectSeconds: number;
  detections: number;
  /** Of detectSeconds: regions looked at, time drawing them, time in the network. */
  detectEffort: DetectionEffort;
  renderSeconds: number;
  /** Of renderSeconds: waiting for the decoder, compositing, waiting for the encoder and the writer. */
  renderEffort: RenderEffort;
  /** How the job ran (see JobSpec.passes), and the look across the file that chose the cast. */
  passes: Passes;
  castSeconds: number;
  /** What the user should know of how the input was read (which of several video tracks was used). */
  notes: string[];
}

export type ToWorker =
  | { type: 'run'; requestId: number; spec: JobSpec }
  | { type: 'cancel'; requestId: number }
  /** The page's answer to a worker's request for a hardware encoder slot. */
  | { type: 'slot-grant'; slotId: number; kind: EncoderKind; reason: string | null };

export type FromWorker =
  | { type: 'progress'; requestId: number; progress: JobProgress }
  | { type: 'done'; requestId: number; result: JobResult }
  /** Encoder slots are the page's (shared by every job): ask for one, give it back (also while waiting). */
  | { type: 'slot-request'; slotId: number }
  | { type: 'slot-release'; slotId: number }
  | { type: 'error'; requestId: number; error: SerializedError };
