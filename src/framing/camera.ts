// The virtual camera for one person within one shot, decided like a camera operator with the whole
// shot in view: locked off while the face moves little (the camera does not move at all), a smooth
// pan that keeps the face centred when it really moves, glides between the two, a speed limit, and
// never any smoothing across a cut (the caller hands in one shot at a time).
import type { CropView } from '../geometry/crop';

export interface CameraOptions {
  /** The camera stays put while the target's centre stays within ± this fraction of the crop height. */
  deadBand: number;
  /** ... and while the target's size stays within ± this ratio (log scale). */
  zoomDeadBand: number;
  /** A hold must last at least this long; shorter still spans are part of a pan. */
  minHoldSeconds: number;
  /** Smoothing of the followed target in a pan (Gaussian sigma, seconds). */
  panSmoothSeconds: number;
  /** Length of the glide into and out of a hold, seconds. */
  moveSeconds: number;
  /** Fastest pan, in crop heights per second. */
  maxSpeed: number;
}

export const DEFAULT_CAMERA_OPTIONS: CameraOptions = {
  deadBand: 0.06,
  zoomDeadBand: 0.12,
  minHoldSeconds: 1.0,
  panSmoothSeconds: 0.35,
  moveSeconds: 0.6,
  maxSpeed: 1.5,
};

/**
 * A view per frame as three arrays of numbers: for an hour of video no object per frame, and the
 * per-frame arrays of every step are typed arrays (outside the JavaScript heap, freed as a block).
 */
export interface CameraPath {
  cx: Float64Array;
  cy: Float64Array;
  h: Float64Array;
}

/** Target per sample → per frame: linear between samples, held before the first and after the last. */
export function interpolateTargets(sampleTimes: readonly number[], targets: readonly (CropView | null)[], frameTimes: readonly number[]): CameraPath | null {
  const known: { t: number; v: CropView }[] = [];
  targets.forEach((v, i) => {
    if (v) known.push({ t: sampleTimes[i]!, v });
  });
  if (known.length === 0) return null;
  const n = frameTimes.length;
  const path: CameraPath = { cx: new Float64Array(n), cy: new Float64Array(n), h: new Float64Array(n) };
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = frameTimes[i]!;
    while (k + 1 < known.length && known[k + 1]!.t <= t) k++;
    const a = known[k]!;
    const b = known[k + 1];
    if (t <= a.t || !b) {
      path.cx[i] = a.v.cx;
      path.cy[i] = a.v.cy;
      path.h[i] = a.v.h;
      continue;
    }
    const f = (t - a.t) / (b.t - a.t);
    path.cx[i] = a.v.cx + (b.v.cx - a.v.cx) * f;
    path.cy[i] = a.v.cy + (b.v.cy - a.v.cy) * f;
    path.h[i] = Math.exp(Math.log(a.v.h) + (Math.log(b.v.h) - Math.log(a.v.h)) * f);
  }
  return path;
}

/** Median of three neighbours per component: a single wrong detection does not move the camera. */
export function medianFilter3(views: readonly (CropView | null)[]): (CropView | null)[] {
  const med = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  const known = views.map((v, i) => ({ v, i })).filter((e): e is { v: CropView; i: number } => e.v !== null);
  const out: (CropView | null)[] = views.map(() => null);
  known.forEach(({ v, i }, k) => {
    const prev = known[k - 1]?.v ?? v;
    const next = known[k + 1]?.v ?? v;
    out[i] = { cx: med(prev.cx, v.cx, next.cx), cy: med(prev.cy, v.cy, next.cy), h: med(prev.h, v.h, next.h) };
  });
  return out;
}

export function gaussianSmooth(values: ArrayLike<number>, sigma: number): Float64Array {
  if (sigma <= 0.5) return Float64Array.from(values);
  const radius = Math.ceil(sigma * 2.5);
  const weights = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let total = 0;
    for (let k = -radius; k <= radius; k++) {
      // Mirrored at the ends, so the path does not drift toward the edge values.
      let j = i + k;
      if (j < 0) j = -j;
      if (j >= n) j = 2 * (n - 1) - j;
      j = Math.min(n - 1, Math.max(0, j));
      const w = weights[k + radius]!;
      sum += values[j]! * w;
      total += w;
    }
    out[i] = sum / total;
  }
  return out;
}

/**
 * Holds: maximal runs (greedy, left to right) over which the value stays within ± band, at least
 * `minLength` long, each held at the median of `heldValues` over it (the unsmoothed target, so a
 * still target is held exactly). Returns per frame the held value, NaN where there is no hold.
 */
export function findHolds(
  values: ArrayLike<number>,
  band: ArrayLike<number> | number,
  minLength: number,
  heldValues: ArrayLike<number> = values,
): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const bandAt = (i: number) => (typeof band === 'number' ? band : band[i]!);
  let start = 0;
  while (start < n) {
    let lo = values[start]!;
    let hi = lo;
    let end = start + 1;
    while (end < n) {
      const v = values[end]!;
      const nlo = Math.min(lo, v);
      const nhi = Math.max(hi, v);
      if (nhi - nlo > 2 * bandAt(end)) break;
      lo = nlo;
      hi = nhi;
      end++;
    }
    if (end - start >= minLength) {
      // The median, not the middle of the range: a hold that runs into the start of a move is not pulled toward it.
      const held = medianOf(heldValues, start, end);
      for (let i = start; i < end; i++) out[i] = held;
      start = end;
    } else {
      start++;
    }
  }
  return out;
}

/** The median of values[start..end) (the upper middle one of an even count). */
function medianOf(values: ArrayLike<number>, start: number, end: number): number {
  const run = new Float64Array(end - start);
  for (let i = start; i < end; i++) run[i - start] = values[i]!;
  // Typed arrays sort numerically.
  return run.sort()[Math.floor((end - start) / 2)]!;
}

/** Limits the speed (units per frame) without lag: the mean of a forward and a backward limited pass. */
export function limitSpeed(values: ArrayLike<number>, maxStep: ArrayLike<number> | number): Float64Array {
  const n = values.length;
  if (n === 0) return new Float64Array(0);
  const stepAt = (i: number) => (typeof maxStep === 'number' ? maxStep : maxStep[i]!);
  const forward = Float64Array.from(values);
  for (let i = 1; i < n; i++) forward[i] = clampStep(values[i]!, forward[i - 1]!, stepAt(i));
  const backward = Float64Array.from(values);
  for (let i = n - 2; i >= 0; i--) backward[i] = clampStep(values[i]!, backward[i + 1]!, stepAt(i));
  for (let i = 0; i < n; i++) forward[i] = (forward[i]! + backward[i]!) / 2;
  return forward;
}

function clampStep(value: number, previous: number, step: number): number {
  return Math.min(previous + step, Math.max(previous - step, value));
}

/** A centred moving average that leaves constant stretches exactly constant. */
export function movingAverage(values: ArrayLike<number>, half: number): Float64Array {
  if (half <= 0) return Float64Array.from(values);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n - 1, i + half);
    let constant = true;
    for (let j = lo; j <= hi && constant; j++) constant = values[j] === values[lo];
    if (constant) {
      out[i] = values[i]!;
      continue;
    }
    let sum = 0;
    for (let j = i - half; j <= i + half; j++) sum += values[Math.min(n - 1, Math.max(0, j))]!;
    out[i] = sum / (2 * half + 1);
  }
  return out;
}

/**
 * One component of the camera: holds where the smoothed target stays within the band long enough,
 * the smoothed target elsewhere, then a speed limit and an ease so every change is a glide.
 */
export function operatorPath(
  target: ArrayLike<number>,
  band: ArrayLike<number> | number,
  fps: number,
  options: CameraOptions,
  maxStep: ArrayLike<number> | number,
): Float64Array {
  const smooth = gaussianSmooth(target, options.panSmoothSeconds * fps);
  const holds = findHolds(smooth, band, Math.max(2, Math.round(options.minHoldSeconds * fps)), target);
  const raw = smooth.map((v, i) => (Number.isNaN(holds[i]!) ? v : holds[i]!));
  const half = Math.max(0, Math.round((options.moveSeconds * fps) / 4));
  return movingAverage(movingAverage(limitSpeed(raw, maxStep), half), half);
}

/**
 * The camera for one person over one shot: per-sample targets (null where the person was not seen)
 * to a view per frame. Null when the person is never seen in the shot.
 */
export function shotCameraPath(
  sampleTimes: readonly number[],
  targets: readonly (CropView | null)[],
  frameTimes: readonly number[],
  fps: number,
  options: CameraOptions = DEFAULT_CAMERA_OPTIONS,
): CameraPath | null {
  const perFrame = interpolateTargets(sampleTimes, medianFilter3(targets), frameTimes);
  if (!perFrame) return null;
  // Zoom first: the dead band of the position scales with the crop the camera will show.
  const logH = operatorPath(perFrame.h.map(Math.log), options.zoomDeadBand, fps, options, (options.maxSpeed / fps) * 0.5);
  const h = logH.map(Math.exp);
  const band = h.map((v) => options.deadBand * v);
  const step = h.map((v) => (options.maxSpeed * v) / fps);
  const cx = operatorPath(perFrame.cx, band, fps, options, step);
  const cy = operatorPath(perFrame.cy, band, fps, options, step);
  return { cx, cy, h };
}

/** shotCameraPath as a view object per frame. */
export function shotCamera(...args: Parameters<typeof shotCameraPath>): CropView[] | null {
  const path = shotCameraPath(...args);
  return path && Array.from(path.h, (h, i) => ({ cx: path.cx[i]!, cy: path.cy[i]!, h }));
}
