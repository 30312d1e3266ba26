// Analysis pass: decode the video, detect faces a few times a second, and plan the framing.
import { rotatedSize } from '../geometry/rotation';
import { plan, type Plan, type PlanInput } from '../framing/plan';
import { FramingTable, FramingTableBuilder } from '../framing/framing-table';
import type { TracksFile } from '../framing/tracks-file';
import type { DetectionSample } from '../framing/types';
import { CutDetector } from '../framing/shots';
import { FramePlanes } from '../media/frame-planes';
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { decodeFrames } from '../media/decode';
import { avcLengthSize, isNonReferencePicture } from '../media/h264';
import type { OpenedVideo } from '../media/demux';
import { DualFaceError, stageError } from '../core/errors';
import type { DetectorAnswer } from '../detect/protocol';
import type { DetectorPool } from '../detect/client';
import { noEffort, SmallFaceSearchPacer, type DetectionEffort, type SearchOptions } from '../detect/search';
import type { Rect } from '../geometry/rect';
import type { JobProgress, JobSettings, ReviewData } from './protocol';
import { detectionDue, frameRateFromTimes, microsToSeconds } from '../core/timing';

export interface AnalyseOptions {
  video: OpenedVideo;
  detector: DetectorPool;
  settings: JobSettings;
  outputName: string;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
  /** false: the tracks come without their frames; the framing is only in the packed table. */
  keepFrames: boolean;
}

export interface AnalysisResult {
  /** Without frames unless `keepFrames`. */
  tracks: TracksFile;
  /** What the render pass reads. */
  framing: FramingTable;
  review: ReviewData;
  /** Analysed frames that went through face detection. */
  detections: number;
  /** Time spent in face detection, seconds. */
  detectSeconds: number;
  /** Of that: regions looked at, and the time drawing them and in the network. */
  detectEffort: DetectionEffort;
}

export async function analyse(options: AnalyseOptions): Promise<AnalysisResult> {
  const { video, detector, settings, signal } = options;
  const frameTimes: number[] = [];
  const samples: DetectionSample[] = [];
  let lastDetection: number | null = null;
  let detectSeconds = 0;
  let width = video.width;
  let height = video.height;
  const estimatedFrames = Math.max(1, Math.round(video.durationSeconds * 30));
  const started = performance.now();
  const detectEffort = noEffort();
  // Every frame's time comes from the index; only the pictures detection may look at are decoded:
  // H.264 pictures that nothing refers to (nal_ref_idc 0, typically B-frames) are skipped.
  for await (const packet of new EncodedPacketSink(video.video).packets(undefined, undefined, { metadataOnly: true })) {
    signal.throwIfAborted();
    frameTimes.push(packet.timestamp);
  }
  const lengthSize = video.decoderConfig.codec.startsWith('avc') ? avcLengthSize(descriptionBytes(video.decoderConfig.description)) : null;
  const stats = { fed: 0, skipped: 0 };
  const skip = lengthSize === null ? undefined : (packet: EncodedPacket) => isNonReferencePicture(packet.data, lengthSize);
  let decoded = 0;
  // Detection runs in worker(s) of its own while this loop reads on; answers are collected in the
  // order asked. Each request carries what to look for, decided from the answers collected so far;
  // as the number in flight is fixed (detectors + 1), that is the same on every run of a video on a
  // machine, so runs repeat exactly. Each request in flight holds a copy of a frame's planes (3 MB at 1080p).
  const maxInFlight = detector.size + 1;
  const inFlight: { t: number; answer: Promise<DetectorAnswer> }[] = [];
  const pacer = new SmallFaceSearchPacer();
  /** Faces of the latest answer collected, for close-ups where one goes missing; forgotten at a cut. */
  let hints: { t: number; boxes: Rect[] } = { t: -Infinity, boxes: [] };
  let lastCut = -Infinity;
  const collectOldest = async () => {
    const { t, answer } = inFlight.shift()!;
    let result: DetectorAnswer;
    try {
      result = await answer;
    } catch (error) {
      throw stageError('DetectorError', video.name, 'face detection failed', error);
    }
    detectSeconds += result.seconds;
    detectEffort.tiles += result.effort.tiles;
    detectEffort.drawSeconds += result.effort.drawSeconds;
    detectEffort.networkSeconds += result.effort.networkSeconds;
    pacer.record(t, result.smallFaceSearch);
    hints = { t, boxes: result.faces.map((f) => f.box) };
    samples.push({ t, faces: result.faces });
  };
  const submit = async (t: number, cut: boolean, ask: (search: SearchOptions) => Promise<DetectorAnswer>) => {
    if (inFlight.length >= maxInFlight) await collectOldest();
    if (cut) lastCut = t;
    const search: SearchOptions = { tiles: true, smallFaces: pacer.due(t), hints: hints.t >= lastCut ? hints.boxes : [] };
    const answer = ask(search);
    // Settled here too, so an answer left behind by an abort is never an unhandled rejection.
    answer.catch(() => undefined);
    inFlight.push({ t, answer });
  };
  const planes = new FramePlanes();
  const cutDetector = new CutDetector();
  for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal, { stats, ...(skip ? { skip } : {}) })) {
    const t = microsToSeconds(frame.timestamp);
    decoded++;
    let readable = false;
    try {
      ({ width, height } = rotatedSize(frame.displayWidth, frame.displayHeight, video.rotation));
      readable = FramePlanes.readable(frame);
      if (readable) await planes.read(frame, video.rotation);
      else {
        // Frames we cannot read directly (rare: RGB output of some decoders): detection still works, cuts are not found.
        const due = detectionDue(t, lastDetection, settings.detectionRate);
        if (due) {
          lastDetection = t;
          await submit(t, false, (search) => detector.detectImage(frame.clone(), { ...search, hints: [] }, video.rotation));
        }
      }
    } finally {
      frame.close();
    }
    if (readable) {
      // Right after a likely cut, look at once: the new shot's framing should not wait for the next sample.
      const cut = cutDetector.push(t, planes.signature());
      if (cut || detectionDue(t, lastDetection, settings.detectionRate)) {
        lastDetection = t;
        await submit(t, cut, (search) => detector.detectPlanes(planes, search));
      }
    }
    const done = decoded + stats.skipped;
    if (decoded % 15 === 0) {
      const seconds = (performance.now() - started) / 1000;
      options.onProgress({ phase: 'analysing', framesDone: done, framesTotal: frameTimes.length || estimatedFrames, fps: done / seconds });
    }
  }
  while (inFlight.length > 0) await collectOldest();
  if (frameTimes.length === 0) throw new DualFaceError('InputError', `${video.name}: the video track has no frames`);
  if (decoded === 0) throw new DualFaceError('InputError', `${video.name}: the video has no frames that can be decoded`);
  // A file cut short can keep an intact index that lists frames it no longer holds.
  const read = decoded + stats.skipped;
  // The index (read above) says how many frames there are; decoding must deliver them all.
  if (read < frameTimes.length || decoded < stats.fed) {
    throw new DualFaceError(
      'InputError',
      `${video.name}: the file is truncated or damaged: only ${read} of its ${frameTimes.length} frames could be read`,
    );
  }
  // Decoders emit in presentation order, but be safe about it.
  frameTimes.sort((a, b) => a - b);
  const cuts = cutDetector.finish();
  const input: PlanInput = {
    sourceFile: video.name,
    source: { width, height },
    fps: frameRateFromTimes(frameTimes),
    frameTimes,
    samples,
    cuts,
    missingPolicy: settings.missingPolicy,
    trimEmpty: settings.trimEmpty,
    overlay: settings.debugOverlay,
    outputFile: options.outputName,
    output: settings.size,
    layout: settings.layout,
  };
  let framing: FramingTable;
  let planned: Plan;
  if (options.keepFrames) {
    planned = plan(input);
    framing = FramingTable.fromFrames(planned.tracks.frames, settings.debugOverlay);
  } else {
    const builder = new FramingTableBuilder(frameTimes.length, settings.debugOverlay);
    planned = plan(input, builder);
    framing = builder.build();
  }
  // What the page's review needs to re-plan (swap panels, choose other people): the labelled samples.
  const review: ReviewData = { input: { ...input, samples: planned.samples }, people: planned.people, chosen: planned.chosen };
  return { tracks: planned.tracks, framing, review, detections: samples.length, detectSeconds, detectEffort };
}

function descriptionBytes(description: AllowSharedBufferSource | undefined): Uint8Array | null {
  if (!description) return null;
  // SharedArrayBuffer is undefined on pages that are not cross-origin isolated: test views first.
  if (ArrayBuffer.isView(description)) return new Uint8Array(description.buffer, description.byteOffset, description.byteLength);
  return new Uint8Array(description);
}
