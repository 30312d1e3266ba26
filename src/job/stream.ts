// The streaming analysis: reads the video (scan.ts) while the render follows it, planning the framing
// in windows (framing/stream-plan.ts) and handing each window to the render through a bounded queue.
// Nothing is kept per frame of the whole video, unless the tracks file must list every frame.
import { EncodedPacketSink } from 'mediabunny';
import type { Cast } from '../framing/cast';
import { StreamPlanner, type PlannedFrame } from '../framing/stream-plan';
import { tracksHeader, type TracksFile, type TracksFrame } from '../framing/tracks-file';
import type { Size } from '../geometry/rect';
import type { OpenedVideo } from '../media/demux';
import type { DetectorPool } from '../detect/client';
import type { DetectionEffort } from '../detect/search';
import { frameRateFromTimes } from '../core/timing';
import { FramingQueue } from './framing-source';
import type { JobSettings } from './protocol';
import { checkComplete, scanVideo } from './scan';
import { SpeechFinder } from './speech';
import type { MouthSample } from '../framing/mouths';

export interface StreamSetup {
  video: OpenedVideo;
  detector: DetectorPool;
  settings: JobSettings;
  outputName: string;
  cast: Cast;
  source: Size;
  fps: number;
  /** Frames in the index. */
  framesTotal: number;
  /** The tracks file lists every frame (else its `frames` stay empty). */
  keepFrames: boolean;
  /** Where the app's files are (the voice model), for the speech setting. */
  baseUrl: string;
}

export interface StreamOutcome {
  tracks: TracksFile;
  detections: number;
  detectSeconds: number;
  detectEffort: DetectionEffort;
}

/** Seconds of framing the queue holds for the render at most. */
const QUEUE_SECONDS = 10;

/** The frame rate from the first few hundred frames' times in the index. */
export async function streamFrameRate(video: OpenedVideo): Promise<number> {
  const times: number[] = [];
  for await (const packet of new EncodedPacketSink(video.video).packets(undefined, undefined, { metadataOnly: true })) {
    times.push(packet.timestamp);
    if (times.length >= 240) break;
  }
  return frameRateFromTimes(times.sort((a, b) => a - b));
}

/** Starts the analysis; the render takes from `framing` while `done` runs. */
export function startStreamAnalysis(setup: StreamSetup, signal: AbortSignal): { framing: FramingQueue; done: Promise<StreamOutcome> } {
  const framing = new FramingQueue(Math.max(60, Math.round(setup.fps * QUEUE_SECONDS)), setup.video.name);
  const done = runAnalysis(setup, framing, signal).catch((error: unknown) => {
    framing.fail(error);
    throw error;
  });
  // Whoever awaits `done` sees the failure; the render sees it through the queue.
  done.catch(() => undefined);
  return { framing, done };
}

async function runAnalysis(setup: StreamSetup, framing: FramingQueue, signal: AbortSignal): Promise<StreamOutcome> {
  const { video, settings } = setup;
  const planner = new StreamPlanner({
    source: setup.source,
    fps: setup.fps,
    output: settings.size,
    layout: settings.layout,
    cast: setup.cast,
    missingPolicy: settings.missingPolicy,
    overlay: settings.debugOverlay,
  });
  const frames: TracksFrame[] = [];
  let given = 0;
  const speech = settings.speech ? new SpeechFinder(video.audio, setup.baseUrl, signal) : null;
  const hand = async (planned: PlannedFrame[]) => {
    if (setup.keepFrames) for (const f of planned) frames.push({ t: f.t, panels: f.panels, ...(f.faces ? { faces: f.faces } : {}) });
    if (speech) for (const f of planned) speech.frame(f.t, f.panels);
    await framing.push(planned, signal);
  };
  const addCuts = (cuts: readonly number[]) => {
    for (; given < cuts.length; given++) planner.addCut(cuts[given]!);
  };
  const scan = await scanVideo(
    { video, detector: setup.detector, settings, signal },
    {
      frame: (t) => planner.addFrame(t),
      sample: (s) => planner.addSample(s),
      ...(speech ? { mouth: (m: MouthSample) => speech.mouth(m) } : {}),
      settled: async (cuts, upTo) => {
        addCuts(cuts);
        await hand(planner.advance(upTo));
      },
    },
  );
  checkComplete(video.name, scan, setup.framesTotal);
  addCuts(scan.cuts);
  await hand(planner.finish());
  framing.close();
  const header = { sourceFile: video.name, source: setup.source, fps: setup.fps, outputFile: setup.outputName, output: settings.size, layout: settings.layout };
  const tracks: TracksFile = {
    ...tracksHeader(header, scan.read, planner),
    frames,
    ...(speech ? { speech: await speech.finish(video.durationSeconds) } : {}),
  };
  return { tracks, detections: scan.detections, detectSeconds: scan.detectSeconds, detectEffort: scan.detectEffort };
}
