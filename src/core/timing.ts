// Time stamps: WebCodecs counts microseconds, Mediabunny and the tracks file count seconds.

export function secondsToMicros(seconds: number): number {
  return Math.round(seconds * 1e6);
}

export function microsToSeconds(micros: number): number {
  return micros / 1e6;
}

/** H.264 High profile: level 4.0 up to 30 fps, 4.2 above (enough for 1080p60). */
export function avcCodecString(fps: number): string {
  return fps > 30.5 ? 'avc1.64002A' : 'avc1.640028';
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
