// Time stamps: WebCodecs counts microseconds, Mediabunny and the tracks file count seconds.

export function secondsToMicros(seconds: number): number {
  return Math.round(seconds * 1e6);
}

export function microsToSeconds(micros: number): number {
  return micros / 1e6;
}

/**
 * Two times closer than this are one instant: a decoded frame's time (whole microseconds) and the
 * same frame's time from the container (seconds, 569/30 s = 18.9666667) differ by up to 1 µs, so a
 * sample taken right at a cut would otherwise fall in the shot before it.
 */
export const SAME_INSTANT = 2e-6;

/** H.264 levels (Annex A, table A-1): level_idc, largest macroblocks a second, largest frame in macroblocks. */
const AVC_LEVELS: readonly (readonly [number, number, number])[] = [
  [40, 245_760, 8_192],
  [42, 522_240, 8_704],
  [50, 589_824, 22_080],
  [51, 983_040, 36_864],
  [52, 2_073_600, 36_864],
  [60, 4_177_920, 139_264],
  [61, 8_355_840, 139_264],
  [62, 16_711_680, 139_264],
];

/**
 * H.264 High profile at the lowest level from 4.0 up that holds the frame size and rate (1080p30:
 * 4.0, 1080p60: 4.2, 1440p30: 5.0, 2160p30: 5.1, 2160p60: 5.2, 4096x4096: 6.0), or null where
 * none does. A level also caps each side at sqrt(8 x its frame size) macroblocks.
 */
export function avcCodecString(size: { width: number; height: number }, fps: number): string | null {
  const mbWide = Math.ceil(size.width / 16);
  const mbHigh = Math.ceil(size.height / 16);
  const frame = mbWide * mbHigh;
  const rate = frame * Math.max(1, fps) * (1 - 1e-3);
  for (const [idc, maxRate, maxFrame] of AVC_LEVELS) {
    const side = Math.sqrt(8 * maxFrame);
    if (frame <= maxFrame && rate <= maxRate && mbWide <= side && mbHigh <= side) return `avc1.6400${idc.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return null;
}

/** Key frames every `intervalSeconds`: due when that much time has passed since the last one. */
export function keyFrameDue(t: number, lastKeyFrameT: number | null, intervalSeconds = 2): boolean {
  return lastKeyFrameT === null || t - lastKeyFrameT >= intervalSeconds - 1e-6;
}

/** Frame rate from sorted presentation times: the median frame interval is robust to a stray gap. */
export function frameRateFromTimes(times: readonly number[]): number {
  if (times.length < 2) return 30;
  const deltas: number[] = [];
  for (let i = 1; i < times.length; i++) deltas.push(times[i]! - times[i - 1]!);
  deltas.sort((a, b) => a - b);
  const median = deltas[Math.floor(deltas.length / 2)]!;
  return median > 0 ? 1 / median : 30;
}

/** Index of the time in a sorted list closest to t (binary search). */
export function nearestIndex(sortedTimes: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sortedTimes.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedTimes[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sortedTimes[lo - 1]! - t) <= Math.abs(sortedTimes[lo]! - t)) return lo - 1;
  return lo;
}

/**
 * Which frames get a face detection: the first frame in each 1/rate-second slot of presentation
 * time, so the rate holds even when it does not divide the frame rate.
 */
export function detectionDue(t: number, lastDetectionT: number | null, ratePerSecond: number): boolean {
  return lastDetectionT === null || Math.floor(t * ratePerSecond + 1e-6) > Math.floor(lastDetectionT * ratePerSecond + 1e-6);
}
