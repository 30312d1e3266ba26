// One job. In one pass (the default): open → a look across the file for the cast → analysis and
// render together (stream.ts). In two passes (review, trim-empty, a given tracks file): open →
// analyse the whole video (unless framing is given) → render. Owns and closes every resource it opens.
import { pickCompositor, type CompositorPick } from '../composite/choose';
import { rotatedSize } from '../geometry/rotation';
import { analyse } from './analyse';
import { openVideo, type OpenedVideo } from '../media/demux';
import { DualFaceError } from '../core/errors';
import type { DetectorPool } from '../detect/client';
import { noEffort, type DetectionEffort } from '../detect/search';
import { FramingTable } from '../framing/framing-table';
import type { Cast } from '../framing/cast';
import { tracksMismatch, type TracksFile } from '../framing/tracks-file';
import { trackFacts } from '../media/video-track';
import { Timeline } from '../framing/timeline';
import { withEncoderFallback, type Fallback } from '../media/encoder-fallback';
import { checkEncodable, defaultBitrate, FrameEncoder, webCodecsEncoder, type EncoderApi } from '../media/encoder';
import { reclaimedAfter } from '../media/encoder-faults';
import type { SlotGrant } from '../media/encoder-slots';
import type { JobProgress, JobResult, JobSpec, ReviewData } from './protocol';
import { render } from './render';
import type { SpeechTurn } from '../framing/speakers';
import { TableFraming, type FramingSource } from './framing-source';
import { lookForCast } from './cast-look';
import { startStreamAnalysis, streamFrameRate, type StreamOutcome, type StreamSetup } from './stream';
import type { Size } from '../geometry/rect';
import { noRenderEffort } from './render-effort';
import { openTarget, type RenderTarget } from './targets';

export interface JobContext {
  baseUrl: string;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
  /** Shared across jobs of one worker: the detector is costly to start. */
  detector: () => DetectorPool;
  /** A hardware encoder slot from the page's scheduler (or a software grant). */
  acquireSlot: (signal: AbortSignal) => Promise<SlotGrant>;
}

/** A tracks file made for another video would frame the wrong places, or run out of frames. */
async function checkTracksFor(tracks: TracksFile, video: OpenedVideo): Promise<void> {
  const problem = tracksMismatch(tracks, await trackFacts(video.video, video.rotation));
  if (problem) throw new DualFaceError('InputError', `${video.name}: the tracks file does not belong to this video (${problem})`);
}

/** Whether the job can run in one pass: the review, trim-empty and a given tracks file need the whole video planned first. */
export function onePass(spec: JobSpec): boolean {
  // The speaker highlight and focus need who speaks when before the frame is drawn: two passes too.
  const { settings } = spec;
  return settings.passes !== 'two' && !spec.tracksIn && !spec.analyseOnly && !settings.trimEmpty && !settings.speakerHighlight && !settings.speakerFocus;
}

export async function runJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  return onePass(spec) ? runStreamingJob(spec, context) : runTwoPassJob(spec, context);
}

/** Two passes: the whole video analysed and planned (or the tracks file read), then rendered. */
async function runTwoPassJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  const { signal } = context;
  // A job that will analyse starts the detection workers (they begin loading MediaPipe) now, while
  // the file is opened and its index read; context.detector() gives that same pool to the analysis.
  if (!spec.tracksIn) context.detector();
  const video = await openVideo(spec.input);
  await (async () => {
    if (spec.tracksIn) await checkTracksFor(spec.tracksIn, video);
    await checkEncodable(video.name, spec.settings.size, await streamFrameRate(video));
  })().catch((error: unknown) => {
    video.close();
    throw error;
  });
  let target: RenderTarget | null = null;
  try {
    const analyseStart = performance.now();
    let tracks = spec.tracksIn;
    let detectSeconds = 0;
    let detections = 0;
    let detectEffort: DetectionEffort = noEffort();
    let review: ReviewData | undefined;
    let framing: FramingTable | null = null;
    if (!tracks) {
      // Unless the result must carry the tracks' frames, the planner writes the packed framing only.
      const keepFrames = spec.returnFraming !== false;
      const analysis = await analyse({
        video,
        detector: context.detector(),
        settings: spec.settings,
        outputName: spec.outputName,
        signal,
        onProgress: context.onProgress,
        keepFrames,
        baseUrl: context.baseUrl,
      });
      ({ tracks, framing, detectSeconds, detections, detectEffort, review } = analysis);
    }
    const analyseSeconds = (performance.now() - analyseStart) / 1000;
    signal.throwIfAborted();
    if (spec.analyseOnly) {
      return {
        tracks,
        ...(review ? { review } : {}),
        frames: framing?.length ?? tracks.frames.length,
        durationSeconds: video.durationSeconds,
        compositor: 'none',
        compositorReason: 'analysis only',
        encoder: 'software',
        encoderCodec: 'none',
        fallbacks: [],
        audio: 'none',
        analyseSeconds,
        detectSeconds,
        detections,
        detectEffort,
        renderSeconds: 0,
        renderEffort: noRenderEffort(),
        passes: 'two',
        castSeconds: 0,
        notes: notesOf(video),
      };
    }

    // Render from the packed framing; the tracks file's frames (an object per frame and crop) are
    // kept only when the result must carry them. What only the review needs is let go as well.
    const renderFraming = framing ?? FramingTable.fromFrames(tracks.frames, spec.settings.debugOverlay);
    const keptTracks: TracksFile = spec.returnFraming === false ? { ...tracks, frames: [] } : tracks;
    tracks = null;
    review = undefined;
    const renderStart = performance.now();
    const timeline = new Timeline(keptTracks.trimmed ?? []);
    target = await openTarget(spec, video, timeline);
    const source = { width: keptTracks.source.width, height: keptTracks.source.height };
    const outcome = await renderOutput(spec, context, {
      video,
      target,
      source,
      timeline,
      fps: keptTracks.source.fps,
      framesTotal: renderFraming.length,
      framingFor: () => ({
        framing: new TableFraming(renderFraming, video.name),
        done: null,
        speech: spec.settings.speakerHighlight ? (keptTracks.speech ?? []) : null,
      }),
    });
    outcome.value.audio = (await target.finish(signal)) ?? outcome.value.audio;
    return {
      ...resultOf(outcome, keptTracks, video, (performance.now() - renderStart) / 1000),
      analyseSeconds,
      detectSeconds,
      detections,
      detectEffort,
      passes: 'two',
      castSeconds: 0,
    };
  } catch (error) {
    // No half-written file is left looking finished: the partial output is removed.
    await target?.discard().catch(() => undefined);
    throw error;
  } finally {
    target?.close();
    video.close();
  }
}

/** What one render attempt frames from: a table, or the streaming analysis (which `done` finishes). */
interface AttemptFraming {
  framing: FramingSource;
  done: Promise<StreamOutcome> | null;
  /** Who speaks when, for the speaker highlight (known before the render only in two passes). */
  speech?: readonly SpeechTurn[] | null;
}

interface RenderOutcome {
  value: { rendered: Awaited<ReturnType<typeof render>>; audio: JobResult['audio']; reason: string; stream: StreamOutcome | null };
  encoder: JobResult['encoder'];
  fallbacks: Fallback[];
}

/** What a render needs besides the job: the video, where it goes, and what frames it. */
interface RenderPlan {
  video: OpenedVideo;
  target: RenderTarget;
  /** The pictures' size, upright. */
  source: Size;
  timeline: Timeline;
  fps: number;
  framesTotal: number;
  /** Called once per attempt (a fallback to software frames again from the start of what it renders). */
  framingFor: (signal: AbortSignal) => AttemptFraming;
}

/**
 * Renders the output: the encoder, then the compositor, then frames from the plan's framing (a
 * fallback to software continues into the same output, from its last checkpoint where it has them).
 * Owns the encoder and compositor.
 */
async function renderOutput(spec: JobSpec, context: JobContext, plan: RenderPlan): Promise<RenderOutcome> {
  const { video, target, source, timeline, fps, framesTotal, framingFor } = plan;
  const { signal } = context;
  const liveFallbacks: Fallback[] = [];
  const attempt = async (preference: 'prefer-hardware' | 'prefer-software') => {
    const { writer, resume } = await target.begin();
    let encoder: FrameEncoder | null = null;
    let pick: CompositorPick | null = null;
    // Stops the streaming analysis when the render fails (it may be waiting for room in the queue).
    const local = new AbortController();
    const attemptSignal = AbortSignal.any([signal, local.signal]);
    let started: AttemptFraming | null = null;
    try {
      // The encoder first: one that cannot open (no hardware encoder) fails before a GPU device and
      // pipeline are made, or the analysis started, only to be thrown away.
      const settings = spec.settings;
      encoder = await FrameEncoder.create(
        video.name,
        {
          width: settings.size.width,
          height: settings.size.height,
          fps,
          bitrate: settings.bitrate ?? defaultBitrate(settings.size.width, settings.size.height, fps),
          hardwareAcceleration: preference,
        },
        (chunk, meta) => writer.addVideoChunk(chunk, meta),
        encoderApi(spec, preference),
      );
      pick = await pickCompositor(spec.settings, source, video.rotation, video.name);
      started = framingFor(attemptSignal);
      const rendered = await render({
        video,
        timeline,
        framing: started.framing,
        framesTotal,
        compositor: pick.compositor,
        reference: pick.reference,
        writer,
        resume,
        speech: started.speech ?? null,
        settings,
        encoder,
        signal: attemptSignal,
        onProgress: (progress) =>
          context.onProgress({ ...progress, encoder: preference === 'prefer-hardware' ? 'hardware' : 'software', fallbacks: [...liveFallbacks] }),
      });
      const stream = started.done ? await started.done : null;
      return { rendered, audio: writer.audio, reason: rendered.compositorReason ?? pick.reason, stream };
    } catch (error) {
      local.abort(error);
      await started?.done?.catch(() => undefined);
      await writer.abandon();
      throw error;
    } finally {
      encoder?.close();
      pick?.compositor.close();
      pick?.reference?.close();
    }
  };
  return withEncoderFallback(context.acquireSlot, attempt, signal, (fallback) => {
    // The failed attempt has stopped writing: what it checkpointed stays.
    if (target.keptFrames > 0) fallback.keptFrames = target.keptFrames;
    liveFallbacks.push(fallback);
  });
}

/** The browser's encoders, or (a test's fault) a hardware encoder reclaimed midway. */
function encoderApi(spec: JobSpec, preference: 'prefer-hardware' | 'prefer-software'): EncoderApi {
  const after = spec.faults?.hardwareEncoderFailsAfter;
  return after !== undefined && preference === 'prefer-hardware' ? reclaimedAfter(after) : webCodecsEncoder;
}

function resultOf(
  outcome: RenderOutcome,
  tracks: TracksFile,
  video: OpenedVideo,
  renderSeconds: number,
): Omit<JobResult, 'analyseSeconds' | 'detectSeconds' | 'detections' | 'detectEffort' | 'passes' | 'castSeconds'> {
  const { rendered } = outcome.value;
  return {
    tracks,
    frames: rendered.frames,
    durationSeconds: video.durationSeconds,
    compositor: rendered.compositor,
    compositorReason: outcome.value.reason,
    encoder: outcome.encoder,
    encoderCodec: rendered.encoder,
    fallbacks: outcome.fallbacks,
    audio: outcome.value.audio,
    renderSeconds,
    renderEffort: rendered.effort,
    notes: notesOf(video),
  };
}

const notesOf = (video: OpenedVideo): string[] => (video.trackNote ? [video.trackNote] : []);

/** With the speech setting, of three or more people (each seen in two looks or more) the two who talk most get the panels. */
function choosesByTalk(cast: Cast): boolean {
  return cast.members.filter((m) => m.seen >= 2).length >= 3;
}

/**
 * One pass: a look across the file for the cast, then the analysis reads on while the render follows
 * it. Each decodes the video itself, so the render never waits on the analysis' frames; handing the
 * analysis' frames to the render instead has not been measured (see docs/how-it-works.md).
 */
async function runStreamingJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  const { signal } = context;
  const detector = context.detector();
  const video = await openVideo(spec.input);
  let target: RenderTarget | null = null;
  try {
    const start = performance.now();
    const [{ packetCount }, fps] = await Promise.all([video.video.computePacketStats(), streamFrameRate(video)]);
    await checkEncodable(video.name, spec.settings.size, fps);
    const look = await lookForCast(video, detector, signal);
    if (spec.settings.speech && choosesByTalk(look.cast)) {
      // Who talks is known only once the whole video is read: the panels wait for it.
      video.close();
      return await runTwoPassJob(spec, context);
    }
    const castSeconds = (performance.now() - start) / 1000;
    const source = look.source ?? rotatedSize(video.width, video.height, video.rotation);
    const setup = (cast: Cast): StreamSetup => ({
      video,
      detector,
      settings: spec.settings,
      outputName: spec.outputName,
      cast,
      source,
      fps,
      framesTotal: packetCount,
      keepFrames: spec.returnFraming !== false,
      baseUrl: context.baseUrl,
    });
    const timeline = new Timeline([]);
    target = await openTarget(spec, video, timeline);
    const renderStart = performance.now();
    // Each attempt plans afresh from the cast as the look found it (people who join it are per attempt).
    const framingFor = (attemptSignal: AbortSignal) => startStreamAnalysis(setup(structuredClone(look.cast)), attemptSignal);
    const outcome = await renderOutput(spec, context, { video, target, source, timeline, fps, framesTotal: packetCount, framingFor });
    outcome.value.audio = (await target.finish(signal)) ?? outcome.value.audio;
    const stream = outcome.value.stream!;
    const seconds = (performance.now() - renderStart) / 1000;
    return {
      ...resultOf(outcome, stream.tracks, video, seconds),
      analyseSeconds: seconds,
      detectSeconds: stream.detectSeconds + look.detectSeconds,
      detections: stream.detections + look.samples.length,
      detectEffort: stream.detectEffort,
      passes: 'one',
      castSeconds,
    };
  } catch (error) {
    await target?.discard().catch(() => undefined);
    throw error;
  } finally {
    target?.close();
    video.close();
  }
}
