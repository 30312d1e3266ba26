// Render pass: decode again, composite each frame from the framing (the tracks file, packed), encode, write the MP4.
import { lumaDifference } from '../composite/check';
import type { Compositor } from '../composite/compositor';
import type { FrameEncoder } from '../media/encoder';
import type { FramedFrame, FramingSource } from './framing-source';
import { decodeFrames } from '../media/decode';
import type { OpenedVideo } from '../media/demux';
import { stageError, messageOf } from '../core/errors';
import type { ResumePoint } from '../media/packet-log';
import type { JobProgress, JobSettings } from './protocol';
import { keyFrameDue, microsToSeconds, secondsToMicros } from '../core/timing';
import { overlayBoxes, speakerBoxes } from '../composite/overlay';
import { highlightLevels, type SpeechTurn } from '../framing/speakers';
import { noRenderEffort, type RenderEffort } from './render-effort';
import type { Timeline } from '../framing/timeline';

/** Where the render's encoded chunks go (they come through the encoder's callback): an MP4, or a packet log. */
export interface VideoWriter {
  start(): Promise<void>;
  /** Told before each frame is encoded: its output and source times, microseconds. */
  willEncode(outputMicros: number, sourceMicros: number): void;
  /** Backpressure: waits while writes queue up; throws a write's failure. */
  ready(signal: AbortSignal): Promise<void>;
  finish(): Promise<void>;
}

export interface RenderOptions {
  video: OpenedVideo;
  /** Source time → output time (the tracks file's trimmed spans); the same one the writer's audio follows. */
  timeline: Timeline;
  framing: FramingSource;
  /** Frames to render, for progress (the index's count). */
  framesTotal: number;
  compositor: Compositor;
  /** When given, the first frame is also composited here and the two compared (see check.ts). */
  reference: Compositor | null;
  writer: VideoWriter;
  /** Frames before this point are written already (a resumed render): decoding starts at its key frame. */
  resume: ResumePoint | null;
  /** With the speaker highlight: who speaks when (the tracks file's "speech", source seconds). */
  speech: readonly SpeechTurn[] | null;
  settings: JobSettings;
  /** Made by the caller (before the compositor, so an encoder that cannot open costs nothing else), which closes it. */
  encoder: FrameEncoder;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
}

export interface RenderResult {
  frames: number;
  encoder: string;
  compositor: string;
  /** Set when the first-frame check made us switch compositor. */
  compositorReason: string | null;
  effort: RenderEffort;
}

/** Mean luma difference (0..255) above which two compositors are not showing the same picture. */
export const COMPOSITOR_AGREEMENT = 12;

/**
 * Pure: frames a second of this run's render, from its first frame out (ms): a resumed render's
 * seek, set-up and the frames before its checkpoint are not frames of this run, and counting them
 * made a resumed 3-hour job say "0.8 fps, 103:59:04 left".
 */
export function renderRate(encoded: number, firstOutMs: number, nowMs: number): number {
  return encoded > 1 && nowMs > firstOutMs ? ((encoded - 1) * 1000) / (nowMs - firstOutMs) : 0;
}

export async function render(options: RenderOptions): Promise<RenderResult> {
  const { video, timeline, framing, writer, settings, signal, resume } = options;
  const before = resume?.frames ?? 0;
  let compositor = options.compositor;
  let compositorReason: string | null = null;
  const total = options.framesTotal;
  const encoder = options.encoder;
  await writer.start();
  const inFlight: Promise<VideoFrame>[] = [];
  let lastKey: number | null = null;
  let encoded = 0;
  let firstOut: number | null = null;
  const started = performance.now();
  const effort = noRenderEffort();
  let mark = started;
  /** Seconds since the last call (the time of the step just finished). */
  const lap = () => {
    const now = performance.now();
    const seconds = (now - mark) / 1000;
    mark = now;
    return seconds;
  };

  const encodeOldest = async () => {
    const composited = await inFlight.shift()!;
    effort.compositeSeconds += lap();
    let retimed: VideoFrame | null = null;
    try {
      // Source time → output time (earlier by the spans cut out before it, with trim-empty).
      const t = timeline.outputTime(microsToSeconds(composited.timestamp)) ?? microsToSeconds(composited.timestamp);
      if (!timeline.isIdentity) retimed = new VideoFrame(composited, { timestamp: secondsToMicros(t) });
      const key = keyFrameDue(t, lastKey);
      if (key) lastKey = t;
      writer.willEncode((retimed ?? composited).timestamp, composited.timestamp);
      await encoder.encode(retimed ?? composited, key, signal);
    } finally {
      retimed?.close();
      composited.close();
    }
    effort.encodeWaitSeconds += lap();
    encoded++;
    await writer.ready(signal);
    effort.writeWaitSeconds += lap();
    firstOut ??= performance.now();
    if (encoded % 15 === 0) {
      options.onProgress({ phase: 'rendering', framesDone: before + encoded, framesTotal: total, fps: renderRate(encoded, firstOut, performance.now()) });
    }
  };

  /** The first frame through both compositors: keep the main one only if it shows the same picture. */
  const checkedFirst = async (frame: VideoFrame, framed: FramedFrame, reference: Compositor): Promise<VideoFrame> => {
    const { panels } = framed;
    const overlay = overlayFor(framed, microsToSeconds(frame.timestamp));
    const [main, ref] = await Promise.allSettled([compositor.composite(frame, panels, overlay), reference.composite(frame, panels, overlay)]);
    if (ref.status === 'rejected') {
      if (main.status === 'fulfilled') return main.value;
      throw main.reason;
    }
    if (main.status === 'fulfilled') {
      let difference: number;
      try {
        difference = await lumaDifference(main.value, ref.value);
      } catch (error) {
        // Both frames are ours until one is returned.
        main.value.close();
        ref.value.close();
        throw error;
      }
      if (difference <= COMPOSITOR_AGREEMENT) {
        ref.value.close();
        return main.value;
      }
      main.value.close();
      compositorReason = `${compositor.name} gave a different picture from the CPU path on the first frame (mean luma difference ${difference.toFixed(1)}), so the CPU path ran`;
    } else {
      compositorReason = `${compositor.name} failed on the first frame (${messageOf(main.reason)}), so the CPU path ran`;
    }
    compositor.close();
    compositor = reference;
    return ref.value;
  };

  /** The speaker highlight (first: the overlay holds a few boxes only) and the debug overlay's faces. */
  const overlayFor = ({ panels, faces }: FramedFrame, t: number) => [
    ...(options.speech ? speakerBoxes(settings.layout, settings.size, panels, highlightLevels(options.speech, t)) : []),
    ...(settings.debugOverlay && faces ? overlayBoxes(settings.layout, settings.size, panels, faces) : []),
  ];
  let index = 0;
  try {
    const decodeOptions = resume ? { startAt: microsToSeconds(resume.sourceMicros) } : {};
    for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal, decodeOptions)) {
      effort.decodeWaitSeconds += lap();
      try {
        const t = microsToSeconds(frame.timestamp);
        // Inside a span cut out by trim-empty: not rendered at all.
        const outputT = timeline.outputTime(t);
        if (outputT === null) continue;
        // Before the checkpoint of a resumed render: written already.
        if (resume && outputMicros(frame.timestamp, outputT, timeline) < resume.outputMicros) continue;
        const framed = await framing.at(t, signal);
        effort.framingWaitSeconds += lap();
        if (index === 0 && options.reference) {
          inFlight.push(Promise.resolve(await checkedFirst(frame, framed, options.reference)));
        } else {
          const pending = compositor.composite(frame, framed.panels, overlayFor(framed, t));
          // The CPU path reads the frame asynchronously (copyTo): keep it open until that is done.
          if (!compositor.releasesInputEarly) await pending.catch(() => undefined);
          inFlight.push(pending);
        }
        index++;
      } finally {
        frame.close();
      }
      effort.compositeSeconds += lap();
      if (inFlight.length >= compositor.depth) await encodeOldest();
    }
    framing.end(resume ? null : index);
    while (inFlight.length > 0) await encodeOldest();
    await encoder.flush();
    effort.encodeWaitSeconds += lap();
    await writer.finish();
    effort.writeWaitSeconds += lap();
  } catch (error) {
    // Settle the composites still in flight so their frames are closed.
    for (const pending of inFlight.splice(0))
      pending.then(
        (f) => f.close(),
        () => undefined,
      );
    throw stageError('EncodeError', video.name, 'rendering failed', error);
  }
  return { frames: before + encoded, encoder: encoder.name, compositor: compositor.name, compositorReason, effort };
}

/** A frame's output time in microseconds, as the encoder is given it. */
function outputMicros(sourceMicros: number, outputSeconds: number, timeline: Timeline): number {
  return timeline.isIdentity ? sourceMicros : secondsToMicros(outputSeconds);
}
