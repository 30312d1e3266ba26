// Analysis pass: decode the video, detect faces a few times a second, and plan the framing.
import { rotatedSize } from '../geometry/rotation';
import { planTracks } from '../tracking/plan';
import type { TracksFile } from '../tracking/tracks-file';
import type { DetectionSample } from '../tracking/types';
import { decodeFrames } from './decode';
import type { OpenedVideo } from './demux';
import { DualFaceError, stageError } from './errors';
import type { FaceFinder } from './face-finder';
import type { JobProgress, JobSettings } from './protocol';
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
  /** Analysed frames that went through face detection. */
  detections: number;
  /** Time spent in face detection, seconds. */
  detectSeconds: number;
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
  for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal)) {
    try {
      const t = microsToSeconds(frame.timestamp);
      frameTimes.push(t);
      ({ width, height } = rotatedSize(frame.displayWidth, frame.displayHeight, video.rotation));
      if (detectionDue(t, lastDetection, settings.detectionRate)) {
        lastDetection = t;
        let faces;
        const detectStart = performance.now();
        try {
          faces = await finder.find(frame, t, true, video.rotation);
          detectSeconds += (performance.now() - detectStart) / 1000;
        } catch (error) {
          throw stageError('DetectorError', video.name, 'face detection failed', error);
        }
        samples.push({ t, faces });
      }
    } finally {
      frame.close();
    }
    if (frameTimes.length % 15 === 0) {
      const seconds = (performance.now() - started) / 1000;
      options.onProgress({ phase: 'analysing', framesDone: frameTimes.length, framesTotal: estimatedFrames, fps: frameTimes.length / seconds });
    }
  }
  if (frameTimes.length === 0) throw new DualFaceError('InputError', `${video.name}: the video has no frames that can be decoded`);
  // A file cut short can keep an intact index that lists frames it no longer holds.
  if (frameTimes.length < video.packetCount) {
    throw new DualFaceError(
      'InputError',
      `${video.name}: the file is truncated or damaged: only ${frameTimes.length} of its ${video.packetCount} frames could be read`,
    );
  }
  // Decoders emit in presentation order, but be safe about it.
  frameTimes.sort((a, b) => a - b);
  const tracks = planTracks({
    sourceFile: video.name,
    source: { width, height },
    fps: frameRateFromTimes(frameTimes),
    frameTimes,
    samples,
    outputFile: options.outputName,
    output: settings.size,
    layout: settings.layout,
  });
  return { tracks, detections: samples.length, detectSeconds };
}
