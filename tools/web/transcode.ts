// The codec limit, for the benchmark: decode → encode at the source size, nothing else (no
// detection, no compositing, no muxing). DualFace's passes are compared against this.
import { defaultBitrate, FrameEncoder } from '../../src/media/encoder';
import { decodeFrames } from '../../src/media/decode';
import { openVideo } from '../../src/media/demux';
import type { JobInput } from '../../src/media/io';
import { keyFrameDue, microsToSeconds } from '../../src/core/timing';

export interface TranscodeResult {
  frames: number;
  seconds: number;
  width: number;
  height: number;
  encoder: string;
}

export async function bareTranscode(input: JobInput, signal: AbortSignal): Promise<TranscodeResult> {
  const video = await openVideo(input);
  let encoder: FrameEncoder | null = null;
  try {
    const started = performance.now();
    const width = video.width - (video.width % 2);
    const height = video.height - (video.height % 2);
    // The frame rate only informs rate control.
    const stats = await video.video.computePacketStats(120);
    const fps = stats.averagePacketRate > 0 ? stats.averagePacketRate : 30;
    encoder = await FrameEncoder.create(
      video.name,
      { width, height, fps, bitrate: defaultBitrate(width, height, fps), hardwareAcceleration: 'no-preference' },
      () => undefined,
    );
    let frames = 0;
    let lastKey: number | null = null;
    for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal)) {
      try {
        const t = microsToSeconds(frame.timestamp);
        const key = keyFrameDue(t, lastKey);
        if (key) lastKey = t;
        await encoder.encode(frame, key, signal);
      } finally {
        frame.close();
      }
      frames++;
    }
    await encoder.flush();
    return { frames, seconds: (performance.now() - started) / 1000, width, height, encoder: encoder.name };
  } finally {
    encoder?.close();
    video.close();
  }
}
