// The look across the whole file that decides the cast before the first frame is rendered: key
// frames spread over the video (each decoded alone, cheap), or for a short video with few key
// frames, frames at times spread over it.
import { EncodedPacketSink, VideoSampleSink } from 'mediabunny';
import { castFromSamples, type Cast } from '../framing/cast';
import type { DetectionSample } from '../framing/types';
import { scaleRect, type Size } from '../geometry/rect';
import { rotatedSize } from '../geometry/rotation';
import { FramePlanes } from '../media/frame-planes';
import type { OpenedVideo } from '../media/demux';
import type { DetectorPool } from '../detect/client';
import { WHOLE_SEARCH } from '../detect/search';
import type { DetectorAnswer } from '../detect/protocol';
import { stageError } from '../core/errors';

/** Looks taken at most; enough to see everyone who is on screen for a good part of the video. */
export const CAST_LOOKS = 24;
/** A short video gets a look every this many seconds (at least three). */
const SECONDS_PER_LOOK = 2;
/** Below this length, frames between key frames are decoded too when key frames are few. */
const SHORT_SECONDS = 120;

/** Times to look at: the key frame at or before each of `count` times spread evenly over the video. */
export async function lookTimes(video: OpenedVideo): Promise<number[]> {
  const start = await video.video.getFirstTimestamp();
  const duration = Math.max(0, video.durationSeconds - start);
  const count = Math.min(CAST_LOOKS, Math.max(3, Math.round(duration / SECONDS_PER_LOOK)));
  const spread = Array.from({ length: count }, (_, i) => start + (duration * (i + 0.5)) / count);
  const packets = new EncodedPacketSink(video.video);
  const keys = new Set<number>();
  for (const t of spread) {
    const key = await packets.getKeyPacket(t, { metadataOnly: true });
    if (key) keys.add(key.timestamp);
  }
  if (keys.size >= count / 3 || duration > SHORT_SECONDS) return [...keys].sort((a, b) => a - b);
  return spread;
}

export interface CastLook {
  cast: Cast;
  /** The pictures' size, upright (as decoded frames show them). */
  source: Size | null;
  samples: DetectionSample[];
  detectSeconds: number;
}

export async function lookForCast(video: OpenedVideo, detector: DetectorPool, signal: AbortSignal): Promise<CastLook> {
  const times = await lookTimes(video);
  const samples: DetectionSample[] = [];
  const planes = new FramePlanes();
  let detectSeconds = 0;
  let source: Size | null = null;
  // Detection runs in its workers while the next look is decoded; answers are taken in order.
  const inFlight: { t: number; answer: Promise<DetectorAnswer>; k: { x: number; y: number } }[] = [];
  const collectOldest = async () => {
    const { t, answer, k } = inFlight.shift()!;
    const answered = await answer;
    detectSeconds += answered.seconds;
    // In the first look's picture size (a video whose resolution changes midway).
    samples.push({ t, faces: answered.faces.map((f) => ({ ...f, box: scaleRect(f.box, k) })) });
  };
  try {
    for await (const sample of new VideoSampleSink(video.video).samplesAtTimestamps(times)) {
      signal.throwIfAborted();
      if (!sample) continue;
      const t = sample.timestamp;
      const frame = sample.toVideoFrame();
      let k: { x: number; y: number };
      try {
        sample.close();
        const size = rotatedSize(frame.displayWidth, frame.displayHeight, video.rotation);
        source ??= size;
        k = { x: source.width / size.width, y: source.height / size.height };
        if (!FramePlanes.readable(frame)) continue;
        await planes.read(frame, video.rotation);
      } finally {
        frame.close();
      }
      if (inFlight.length > detector.size) await collectOldest();
      const answer = detector.detectPlanes(planes, WHOLE_SEARCH);
      answer.catch(() => undefined);
      inFlight.push({ t, answer, k });
    }
    while (inFlight.length > 0) await collectOldest();
  } catch (error) {
    signal.throwIfAborted();
    throw stageError('DetectorError', video.name, 'the look across the video for its people failed', error);
  }
  return { cast: castFromSamples(samples), source, samples, detectSeconds };
}
