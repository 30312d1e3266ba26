// Analysis pass: read the whole video (see scan.ts), then plan the framing with all of it in view.
import { plan, type Plan, type PlanInput } from '../framing/plan';
import { FramingTable, FramingTableBuilder } from '../framing/framing-table';
import type { TracksFile } from '../framing/tracks-file';
import type { DetectionSample } from '../framing/types';
import type { OpenedVideo } from '../media/demux';
import type { DetectorPool } from '../detect/client';
import type { DetectionEffort } from '../detect/search';
import type { JobProgress, JobSettings, ReviewData } from './protocol';
import { frameRateFromTimes } from '../core/timing';
import { checkComplete, indexTimes, scanVideo } from './scan';
import { voiceOf } from './speech';
import { applyFocus } from '../framing/focus';
import type { Rect } from '../geometry/rect';
import type { MouthSample } from '../framing/mouths';

export interface AnalyseOptions {
  video: OpenedVideo;
  detector: DetectorPool;
  settings: JobSettings;
  outputName: string;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
  /** false: the tracks come without their frames; the framing is only in the packed table. */
  keepFrames: boolean;
  /** Where the app's files are (the voice model), for the speech setting. */
  baseUrl: string;
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
  const started = performance.now();
  // Every frame's time comes from the index; the scan decodes only what detection may look at.
  const frameTimes = await indexTimes(video, signal);
  const samples: DetectionSample[] = [];
  const total = frameTimes.length || Math.max(1, Math.round(video.durationSeconds * 30));
  const onFrames = (done: number) =>
    options.onProgress({ phase: 'analysing', framesDone: done, framesTotal: total, fps: done / ((performance.now() - started) / 1000) });
  // The voice is found beside the scan; the mouths are given to the people once they are known (plan).
  const voice = settings.speech ? voiceOf(video.audio, options.baseUrl, signal) : null;
  const mouths: MouthSample[] = [];
  const scan = await scanVideo(
    { video, detector, settings, signal, onFrames },
    { frame: () => undefined, sample: (s) => samples.push(s), ...(voice ? { mouth: (m: MouthSample) => mouths.push(m) } : {}) },
  );
  checkComplete(video.name, scan, frameTimes.length);
  // Decoders emit in presentation order, but be safe about it.
  frameTimes.sort((a, b) => a - b);
  const input: PlanInput = {
    sourceFile: video.name,
    source: { width: scan.width, height: scan.height },
    fps: frameRateFromTimes(frameTimes),
    frameTimes,
    samples,
    cuts: scan.cuts,
    missingPolicy: settings.missingPolicy,
    trimEmpty: settings.trimEmpty,
    overlay: settings.debugOverlay,
    outputFile: options.outputName,
    output: settings.size,
    layout: settings.layout,
    // With the speech setting the pair who talk most get the panels.
    ...(voice ? { talk: { voice: await voice, mouths, duration: video.durationSeconds } } : {}),
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
  // With the speech setting the plan gave the panels' people their turns.
  if (planned.tracks.speech && settings.speakerFocus) {
    // The packed table is what renders; the tracks' frames (when kept) say the same.
    const frames = planned.tracks.frames;
    const set = (i: number, panels: [Rect | null, Rect | null]) => {
      framing.setPanels(i, panels);
      if (frames[i]) frames[i].panels = panels;
    };
    applyFocus(
      { length: framing.length, time: (i) => framing.times[i]!, panels: (i) => framing.panels(i), set },
      planned.tracks.speech,
      settings.size,
      input.source,
    );
  }
  // What the page's review needs to re-plan (swap panels, choose other people): the labelled samples.
  // The talk evidence stays here: the review re-plans with the people chosen.
  const { talk: _, ...replan } = input;
  const review: ReviewData = {
    input: { ...replan, samples: planned.samples },
    people: planned.people,
    chosen: planned.chosen,
    ...(planned.turns ? { turns: planned.turns } : {}),
  };
  return { tracks: planned.tracks, framing, review, detections: scan.detections, detectSeconds: scan.detectSeconds, detectEffort: scan.detectEffort };
}
