// The analysis' reading of the video: decode the pictures detection may look at, find cuts, and
// detect faces a few times a second in worker(s) of their own while reading on. What is found goes
// to a ScanSink as it is found: the whole-video analysis collects it, the streaming job plans from it.
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { rotatedSize } from '../geometry/rotation';
import { scaleRect, type Rect } from '../geometry/rect';
import type { DetectionSample } from '../framing/types';
import { FramePlanes } from '../media/frame-planes';
import { decodeFrames } from '../media/decode';
import { avcLengthSize, descriptionBytes, isNonReferencePicture } from '../media/h264';
import type { OpenedVideo } from '../media/demux';
import { DualFaceError, stageError } from '../core/errors';
import type { DetectorAnswer } from '../detect/protocol';
import type { DetectorPool } from '../detect/client';
import { DetectionPacer, LikenessPacer, noEffort, SmallFaceSearchPacer, type DetectionEffort, type SearchOptions } from '../detect/search';
import { signatureDistance } from '../framing/shots';
import type { JobSettings } from './protocol';
import { microsToSeconds } from '../core/timing';
import { CutDetector } from '../framing/shots';
import { GRID, MouthTracker, type MouthSample } from '../framing/mouths';

export interface ScanSink {
  /** Every frame's time, decoded or skipped, nearly in presentation order (skipped B-frames a little late). */
  frame(t: number): void;
  /** Detections, in time order. */
  sample(sample: DetectionSample): void;
  /**
   * After each decoded frame: the cuts found final, and the time before which every frame, sample
   * and cut has been given. The scan waits for it (backpressure from the render).
   */
  settled?(cuts: readonly number[], upTo: number): Promise<void>;
  /** With the speech setting: how much each face's mouth moved since the frame before (see framing/mouths.ts). */
  mouth?(sample: MouthSample): void;
}

export interface ScanOptions {
  video: OpenedVideo;
  detector: DetectorPool;
  settings: JobSettings;
  signal: AbortSignal;
  /** Called every few frames with the frames read so far. */
  onFrames?: (read: number) => void;
}

export interface ScanResult {
  /** Source size, upright, of the last decoded frame. */
  width: number;
  height: number;
  cuts: number[];
  /** Frames read: decoded plus skipped. */
  read: number;
  decoded: number;
  fed: number;
  detections: number;
  detectSeconds: number;
  detectEffort: DetectionEffort;
}

/** A change of the frame signature (see shots.ts; a cut is 0.12 or more) that counts as movement. */
const MOVED = 0.03;

/** B-frames come out of the index a little after the frames shown around them: this much margin. */
const REORDER_SECONDS = 0.5;

export async function scanVideo(options: ScanOptions, sink: ScanSink): Promise<ScanResult> {
  const { video, detector, settings, signal } = options;
  const pacing = new DetectionPacer(settings.detectionRate);
  /** The picture's signature at the last detection: a change since means something moved. */
  let detectedLook: Float32Array | null = null;
  let width = video.width;
  let height = video.height;
  const detectEffort = noEffort();
  const result = { detections: 0, detectSeconds: 0 };
  // Only the pictures detection may look at are decoded: H.264 pictures that nothing refers to
  // (nal_ref_idc 0, typically B-frames) are skipped, their times still given.
  const lengthSize = video.decoderConfig.codec.startsWith('avc') ? avcLengthSize(descriptionBytes(video.decoderConfig.description)) : null;
  const stats = { fed: 0, skipped: 0 };
  const skip =
    lengthSize === null
      ? undefined
      : (packet: EncodedPacket) => {
          const skipped = isNonReferencePicture(packet.data, lengthSize);
          if (skipped) sink.frame(packet.timestamp);
          return skipped;
        };
  let decoded = 0;
  // Answers are collected in the order asked. Each request carries what to look for, decided from the
  // answers collected so far; as the number in flight is fixed (detectors + 1), that is the same on
  // every run of a video on a machine, so runs repeat exactly. Each request in flight holds a copy of
  // a frame's planes (3 MB at 1080p).
  const maxInFlight = detector.size + 1;
  // Faces are given in the first frame's picture size; a frame of another size (a video whose
  // resolution changes midway) has its answers scaled by `scale` (first size over its own).
  let base: { width: number; height: number } | null = null;
  let scale = { x: 1, y: 1 };
  const inFlight: { t: number; answer: Promise<DetectorAnswer>; scale: { x: number; y: number } }[] = [];
  const pacer = new SmallFaceSearchPacer();
  const likeness = new LikenessPacer();
  /** Faces of the latest answer collected, for close-ups where one goes missing; forgotten at a cut. */
  let hints: { t: number; boxes: Rect[] } = { t: -Infinity, boxes: [] };
  let lastCut = -Infinity;
  const collectOldest = async () => {
    const { t, answer, scale: k } = inFlight.shift()!;
    let answered: DetectorAnswer;
    try {
      answered = scaleAnswer(await answer, k);
    } catch (error) {
      throw stageError('DetectorError', video.name, 'face detection failed', error);
    }
    result.detectSeconds += answered.seconds;
    result.detections++;
    detectEffort.tiles += answered.effort.tiles;
    detectEffort.drawSeconds += answered.effort.drawSeconds;
    detectEffort.networkSeconds += answered.effort.networkSeconds;
    detectEffort.described += answered.effort.described;
    detectEffort.likenessSeconds += answered.effort.likenessSeconds;
    pacer.record(t, answered.smallFaceSearch);
    pacing.answered(answered.faces.map((f) => f.box));
    hints = { t, boxes: answered.faces.map((f) => f.box) };
    sink.sample({ t, faces: answered.faces });
  };
  const submit = async (t: number, cut: boolean, ask: (search: SearchOptions) => Promise<DetectorAnswer>) => {
    if (inFlight.length >= maxInFlight) await collectOldest();
    if (cut) {
      lastCut = t;
      pacing.reset();
    }
    pacing.asked(t);
    const known = hints.t >= lastCut ? hints.boxes : [];
    const search: SearchOptions = {
      tiles: true,
      smallFaces: pacer.due(t),
      hints: known.map((b) => scaleRect(b, { x: 1 / scale.x, y: 1 / scale.y })),
      likeness: likeness.due(t, cut, known.length),
    };
    const answer = ask(search);
    // Settled here too, so an answer left behind by an abort is never an unhandled rejection.
    answer.catch(() => undefined);
    inFlight.push({ t, answer, scale });
  };
  const planes = new FramePlanes();
  const cutDetector = new CutDetector();
  const mouths = sink.mouth ? new MouthTracker() : null;
  for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal, { stats, ...(skip ? { skip } : {}) })) {
    const t = microsToSeconds(frame.timestamp);
    decoded++;
    sink.frame(t);
    let readable: boolean;
    try {
      ({ width, height } = rotatedSize(frame.displayWidth, frame.displayHeight, video.rotation));
      base ??= { width, height };
      scale = { x: base.width / width, y: base.height / height };
      readable = FramePlanes.readable(frame);
      if (readable) await planes.read(frame, video.rotation);
      else if (pacing.due(t, true)) {
        // Frames of no known pixel format (opaque, GPU-backed): detection still works through a canvas, cuts are not found.
        await submit(t, false, (search) => detector.detectImage(frame.clone(), { ...search, hints: [] }, video.rotation));
      }
    } finally {
      frame.close();
    }
    if (readable) {
      // Right after a likely cut, look at once: the new shot's framing should not wait for the next sample.
      const signature = planes.signature();
      const cut = cutDetector.push(t, signature);
      const moved = detectedLook === null || signatureDistance(detectedLook, signature) >= MOVED;
      if (cut || pacing.due(t, moved)) {
        detectedLook = signature;
        await submit(t, cut, (search) => detector.detectPlanes(planes, search));
      }
      if (mouths) {
        // The faces of the latest answer, where they were then (talking heads move little meanwhile).
        if (cut) mouths.reset();
        const faces = hints.t >= lastCut ? hints.boxes : [];
        const inFrame = { x: 1 / scale.x, y: 1 / scale.y };
        for (const sample of mouths.measure(t, faces, (region) => planes.lumaGrid(scaleRect(region, inFrame), GRID.cols, GRID.rows))) sink.mouth!(sample);
      }
    }
    if (sink.settled) {
      const { cuts, upTo } = readable ? cutDetector.settled() : { cuts: [], upTo: t };
      await sink.settled(cuts, Math.min(t - REORDER_SECONDS, upTo, inFlight[0]?.t ?? Infinity));
    }
    if (decoded % 15 === 0) options.onFrames?.(decoded + stats.skipped);
  }
  while (inFlight.length > 0) await collectOldest();
  ({ width, height } = base ?? { width, height });
  return { width, height, cuts: cutDetector.finish(), read: decoded + stats.skipped, decoded, fed: stats.fed, ...result, detectEffort };
}

/** An answer about a frame of another size, in the first frame's picture size. */
function scaleAnswer(answer: DetectorAnswer, k: { x: number; y: number }): DetectorAnswer {
  if (k.x === 1 && k.y === 1) return answer;
  return { ...answer, faces: answer.faces.map((f) => ({ ...f, box: scaleRect(f.box, k) })) };
}

/** A file cut short can keep an intact index that lists frames it no longer holds: decoding must deliver them all. */
export function checkComplete(name: string, scan: ScanResult, indexFrames: number): void {
  if (indexFrames === 0) throw new DualFaceError('InputError', `${name}: the video track has no frames`);
  if (scan.decoded === 0) throw new DualFaceError('InputError', `${name}: the video has no frames that can be decoded`);
  if (scan.read < indexFrames || scan.decoded < scan.fed) {
    throw new DualFaceError('InputError', `${name}: the file is truncated or damaged: only ${scan.read} of its ${indexFrames} frames could be read`);
  }
}

/** Every frame's time from the index (no decoding). */
export async function indexTimes(video: OpenedVideo, signal: AbortSignal): Promise<number[]> {
  const times: number[] = [];
  for await (const packet of new EncodedPacketSink(video.video).packets(undefined, undefined, { metadataOnly: true })) {
    signal.throwIfAborted();
    times.push(packet.timestamp);
  }
  return times;
}
