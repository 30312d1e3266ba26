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
import { SpeechFinder } from './speech';
import { focusAt, focusedPanels, focusStretches } from '../framing/focus';
import type { SpeechTurn } from '../framing/speakers';
import type { Size } from '../geometry/rect';
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
  const onFrames = (done: number) => options.onProgress({ phase: 'analysing', framesDone: done, framesTotal: total, fps: done / ((performance.now() - started) / 1000) });
  const speech = settings.speech ? new SpeechFinder(video.audio, options.baseUrl, signal) : null;
  const mouths: MouthSample[] = [];
  const onMouth = (m: MouthSample) => {
    mouths.push(m);
    speech!.mouth(m);
  };
  const scan = await scanVideo({ video, detector, settings, signal, onFrames }, { frame: () => undefined, sample: (s) => samples.push(s), ...(speech ? { mouth: onMouth } : {}) });
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
    ...(speech ? { talk: { voice: await speech.voiceIntervals(), mouths, duration: video.durationSeconds } } : {}),
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
  if (speech) {
    for (let i = 0; i < framing.length; i++) speech.frame(framing.times[i]!, framing.panels(i));
    planned.tracks.speech = await speech.finish(video.durationSeconds);
    if (settings.speakerFocus) focusOnSpeakers(planned.tracks, framing, planned.tracks.speech, settings.size, input.source);
  }
  // What the page's review needs to re-plan (swap panels, choose other people): the labelled samples.
  // The talk evidence stays here: the review re-plans with the people chosen.
  const { talk: _, ...replan } = input;
  const review: ReviewData = { input: { ...replan, samples: planned.samples }, people: planned.people, chosen: planned.chosen };
  return { tracks: planned.tracks, framing, review, detections: scan.detections, detectSeconds: scan.detectSeconds, detectEffort: scan.detectEffort };
}

/** The focus layout: in long single-speaker turns the speaker's crop fills the output (table and tracks' frames). */
function focusOnSpeakers(tracks: TracksFile, framing: FramingTable, speech: readonly SpeechTurn[], output: Size, source: Size): void {
  const stretches = focusStretches(speech);
  const cursor = { i: 0 };
  for (let i = 0; i < framing.length; i++) {
    const stretch = focusAt(stretches, framing.times[i]!, cursor);
    if (!stretch) continue;
    const panels = focusedPanels(framing.panels(i), stretch.panel, output, source);
    framing.setPanels(i, panels);
    const frame = tracks.frames[i];
    if (frame) frame.panels = panels;
  }
}
