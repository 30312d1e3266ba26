// Render pass: decode again, composite each frame from the tracks file, encode, write the MP4.
import { defaultBitrate, FrameEncoder } from '../encode/encoder';
import type { Compositor } from '../gpu/webgpu-compositor';
import type { TracksFile } from '../tracking/tracks-file';
import { decodeFrames } from './decode';
import type { OpenedVideo } from './demux';
import { DualFaceError, stageError } from './errors';
import type { Mp4Writer } from './mux';
import type { JobProgress, JobSettings } from './protocol';
import { keyFrameDue, microsToSeconds, nearestIndex } from './timing';

export interface RenderOptions {
  video: OpenedVideo;
  tracks: TracksFile;
  compositor: Compositor;
  writer: Mp4Writer;
  settings: JobSettings;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
}

export interface RenderResult {
  frames: number;
  encoder: string;
}

export async function render(options: RenderOptions): Promise<RenderResult> {
  const { video, tracks, compositor, writer, settings, signal } = options;
  const times = tracks.frames.map((f) => f.t);
  const total = tracks.frames.length;
  const fps = tracks.source.fps;
  const encoder = await FrameEncoder.create(
    video.name,
    { width: settings.size.width, height: settings.size.height, fps, bitrate: settings.bitrate ?? defaultBitrate(settings.size.width, settings.size.height, fps) },
    (chunk, meta) => writer.addVideoChunk(chunk, meta),
  );
  await writer.start();
  const inFlight: Promise<VideoFrame>[] = [];
  let lastKey: number | null = null;
  let encoded = 0;
  const started = performance.now();

  const encodeOldest = async () => {
    const composited = await inFlight.shift()!;
    try {
      const t = microsToSeconds(composited.timestamp);
      const key = keyFrameDue(t, lastKey);
      if (key) lastKey = t;
      await encoder.encode(composited, key, signal);
    } finally {
      composited.close();
    }
    encoded++;
    await writer.ready();
    if (encoded % 15 === 0) {
      options.onProgress({ phase: 'rendering', framesDone: encoded, framesTotal: total, fps: encoded / ((performance.now() - started) / 1000) });
    }
  };

  let index = 0;
  try {
    for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal)) {
      try {
        const t = microsToSeconds(frame.timestamp);
        // Frames map to tracks entries in order; fall back to the nearest time if a file was edited.
        const entry = tracks.frames[index] && Math.abs(tracks.frames[index]!.t - t) < 1e-3 ? tracks.frames[index]! : tracks.frames[nearestIndex(times, t)];
        if (!entry) throw new DualFaceError('InternalError', `${video.name}: no framing for the frame at ${t.toFixed(3)} s`);
        inFlight.push(compositor.composite(frame, entry.panels));
      } finally {
        frame.close();
      }
      index++;
      if (inFlight.length >= compositor.depth) await encodeOldest();
    }
    if (index !== total) {
      throw new DualFaceError('InternalError', `${video.name}: decoded ${index} frames for rendering but the framing has ${total}`);
    }
    while (inFlight.length > 0) await encodeOldest();
    await encoder.flush();
    await writer.finish();
  } catch (error) {
    // Settle the composites still in flight so their frames are closed.
    for (const pending of inFlight.splice(0)) pending.then((f) => f.close(), () => undefined);
    throw stageError('EncodeError', video.name, 'rendering failed', error);
  } finally {
    encoder.close();
  }
  return { frames: encoded, encoder: encoder.name };
}
