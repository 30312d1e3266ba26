// One job: open → analyse (unless framing is given) → render. Owns and closes every resource it opens.
import { pickCompositor, type CompositorPick } from '../composite/choose';
import { rotatedSize } from '../geometry/rotation';
import { analyse } from './analyse';
import { openVideo, type OpenedVideo } from '../media/demux';
import { DualFaceError, stageError } from '../core/errors';
import type { DetectorPool } from '../detect/client';
import { noEffort, type DetectionEffort } from '../detect/search';
import { FramingTable } from '../framing/framing-table';
import { tracksMismatch, type TracksFile } from '../framing/tracks-file';
import { Mp4Writer, type ByteSink } from '../media/mux';
import { Timeline } from '../framing/timeline';
import { withEncoderFallback, type Fallback } from '../media/encoder-fallback';
import { defaultBitrate, FrameEncoder } from '../media/encoder';
import type { SlotGrant } from '../media/encoder-slots';
import type { JobProgress, JobResult, JobSpec, ReviewData } from './protocol';
import { render } from './render';
import { noRenderEffort } from './render-effort';
import { openSink } from '../media/sinks';

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
  const track = video.video;
  const sizes = [
    rotatedSize(video.width, video.height, video.rotation),
    rotatedSize(await track.getSquarePixelWidth(), await track.getSquarePixelHeight(), video.rotation),
  ];
  const { packetCount } = await track.computePacketStats();
  const problem = tracksMismatch(tracks, { sizes, frames: packetCount });
  if (problem) throw new DualFaceError('InputError', `${video.name}: the tracks file does not belong to this video (${problem})`);
}

export async function runJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  const { signal } = context;
  // A job that will analyse starts the detection workers (they begin loading MediaPipe) now, while
  // the file is opened and its index read; context.detector() gives that same pool to the analysis.
  if (!spec.tracksIn) context.detector();
  const video = await openVideo(spec.input);
  if (spec.tracksIn) await checkTracksFor(spec.tracksIn, video).catch((error: unknown) => {
    video.close();
    throw error;
  });
  let pick: CompositorPick | null = null;
  let outputSink: ByteSink | null = null;
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
      const analysis = await analyse({ video, detector: context.detector(), settings: spec.settings, outputName: spec.outputName, signal, onProgress: context.onProgress, keepFrames });
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
      };
    }

    // Render from the packed framing; the tracks file's frames (an object per frame and crop) are
    // kept only when the result must carry them. What only the review needs is let go as well.
    const renderFraming = framing ?? FramingTable.fromFrames(tracks.frames, spec.settings.debugOverlay);
    const keptTracks: TracksFile = spec.returnFraming === false ? { ...tracks, frames: [] } : tracks;
    tracks = null;
    review = undefined;
    const renderStart = performance.now();
    let sink: ByteSink;
    try {
      if (!spec.output) throw new DualFaceError('InternalError', `${video.name}: a job that renders needs an output`);
      sink = await openSink(spec.output, video.name);
    } catch (error) {
      throw stageError('OutputError', video.name, 'the output file could not be created', error);
    }
    outputSink = sink;
    const source = { width: keptTracks.source.width, height: keptTracks.source.height };
    const timeline = new Timeline(keptTracks.trimmed ?? []);
    let attempts = 0;
    const liveFallbacks: Fallback[] = [];
    // One attempt renders the whole output; a fallback to software starts over into the same file.
    const attempt = async (preference: 'prefer-hardware' | 'prefer-software') => {
      if (attempts++ > 0) await sink.reset();
      pick?.compositor.close();
      pick?.reference?.close();
      pick = null;
      const writer = new Mp4Writer(sink, timeline);
      if (video.audio) await writer.addAudio(video.audio);
      let encoder: FrameEncoder | null = null;
      try {
        // The encoder first: one that cannot open (no hardware encoder) fails before a GPU device and
        // pipeline are made only to be thrown away.
        const settings = spec.settings;
        const fps = keptTracks.source.fps;
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
        );
        pick = await pickCompositor(spec.settings, source, video.rotation, video.name);
        const rendered = await render({
          video,
          timeline,
          framing: renderFraming,
          compositor: pick.compositor,
          reference: pick.reference,
          writer,
          settings,
          encoder,
          signal,
          onProgress: (progress) => context.onProgress({ ...progress, encoder: preference === 'prefer-hardware' ? 'hardware' : 'software', fallbacks: [...liveFallbacks] }),
        });
        return { rendered, audio: writer.audio, reason: rendered.compositorReason ?? pick.reason };
      } catch (error) {
        await writer.abandon();
        throw error;
      } finally {
        encoder?.close();
      }
    };
    const outcome = await withEncoderFallback(context.acquireSlot, attempt, signal, (fallback) => liveFallbacks.push(fallback));
    const renderSeconds = (performance.now() - renderStart) / 1000;
    return {
      tracks: keptTracks,
      frames: outcome.value.rendered.frames,
      durationSeconds: video.durationSeconds,
      compositor: outcome.value.rendered.compositor,
      compositorReason: outcome.value.reason,
      encoder: outcome.encoder,
      encoderCodec: outcome.value.rendered.encoder,
      fallbacks: outcome.fallbacks,
      audio: outcome.value.audio,
      analyseSeconds,
      detectSeconds,
      detections,
      detectEffort,
      renderSeconds,
      renderEffort: outcome.value.rendered.effort,
    };
  } catch (error) {
    // No half-written file is left looking finished: the partial output is removed.
    await outputSink?.discard().catch(() => undefined);
    throw error;
  } finally {
    (pick as CompositorPick | null)?.compositor.close();
    (pick as CompositorPick | null)?.reference?.close();
    video.close();
  }
}
