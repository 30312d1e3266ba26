// Analysis pass: decode the video, detect faces a few times a second, and plan the framing.
import { rotatedSize } from '../geometry/rotation';
import { plan, type PlanInput } from '../tracking/plan';
import type { TracksFile } from '../tracking/tracks-file';
import type { DetectionSample, Face } from '../tracking/types';
import { CutDetector } from '../tracking/shots';
import type { Rect } from '../geometry/rect';
import { FramePlanes } from './frame-planes';
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { decodeFrames } from './decode';
import { avcLengthSize, isNonReferencePicture } from './h264';
import type { OpenedVideo } from './demux';
import { DualFaceError, stageError } from './errors';
import type { DetectionEffort, FaceFinder } from './face-finder';
import type { JobProgress, JobSettings, ReviewData } from './protocol';
import { detectionDue, frameRateFromTimes, microsToSeconds } from './timing';

export interface AnalyseOptions {
  video: OpenedVideo;
  finder: FaceFinder;
  settings: JobSettings;
  outputName: string;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
}

export interface AnalysisResult {
  tracks: TracksFile;
  review: ReviewData;
  /** Analysed frames that went through face detection. */
  detections: number;
  /** Time spent in face detection, seconds. */
  detectSeconds: number;
  /** Of that: regions looked at, and the time drawing them and in the network. */
  detectEffort: DetectionEffort;
}

export async function analyse(options: AnalyseOptions): Promise<AnalysisResult> {
  const { video, finder, settings, signal } = options;
  const frameTimes: number[] = [];
  const samples: DetectionSample[] = [];
  let lastDetection: number | null = null;
  let detectSeconds = 0;
  let width = video.width;
  let height = video.height;
  const estimatedFrames = Math.max(1, Math.round(video.durationSeconds * 30));
  const started = performance.now();
  const effortBefore = { ...finder.effort };
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
  const detect = async (run: () => Promise<Face[]>): Promise<Face[]> => {
    const detectStart = performance.now();
    try {
      return await run();
    } catch (error) {
      throw stageError('DetectorError', video.name, 'face detection failed', error);
    } finally {
      detectSeconds += (performance.now() - detectStart) / 1000;
    }
  };
  const planes = new FramePlanes();
  const cutDetector = new CutDetector();
  let hints: Rect[] = [];
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
          samples.push({ t, faces: await detect(() => finder.find(frame, t, true, video.rotation)) });
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
        const faces = await detect(async () => finder.findInPlanes(planes, t, true, cut ? [] : hints));
        hints = faces.map((f) => f.box);
        samples.push({ t, faces });
      }
    }
    const done = decoded + stats.skipped;
    if (decoded % 15 === 0) {
      const seconds = (performance.now() - started) / 1000;
      options.onProgress({ phase: 'analysing', framesDone: done, framesTotal: frameTimes.length || estimatedFrames, fps: done / seconds });
    }
  }
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
  const planned = plan(input);
  // What the page's review needs to re-plan (swap panels, choose other people): the labelled samples.
  const review: ReviewData = { input: { ...input, samples: planned.samples }, people: planned.people, chosen: planned.chosen };
  const effort = finder.effort;
  const detectEffort: DetectionEffort = {
    tiles: effort.tiles - effortBefore.tiles,
    drawSeconds: effort.drawSeconds - effortBefore.drawSeconds,
    networkSeconds: effort.networkSeconds - effortBefore.networkSeconds,
  };
  return { tracks: planned.tracks, review, detections: samples.length, detectSeconds, detectEffort };
}

function descriptionBytes(description: AllowSharedBufferSource | undefined): Uint8Array | null {
  if (!description) return null;
  // SharedArrayBuffer is undefined on pages that are not cross-origin isolated: test views first.
  if (ArrayBuffer.isView(description)) return new Uint8Array(description.buffer, description.byteOffset, description.byteLength);
  return new Uint8Array(description);
}
