import type { CropView } from '../geometry/crop';

export interface CameraOptions {
  /** The camera stays put while the target's centre stays within this fraction of the crop height. */
  deadBand: number;
  /** ... and while the target's size changes by less than this ratio (log scale). */
  zoomDeadBand: number;
  /** Length of a reframing move, seconds: the camera glides instead of jumping. */
  moveSeconds: number;
}

export const DEFAULT_CAMERA_OPTIONS: CameraOptions = { deadBand: 0.08, zoomDeadBand: 0.15, moveSeconds: 0.6 };

/**
 * Fills gaps in a per-sample target list: before the first known target, hold the first; after a
 * gap, hold the last. Returns null when nothing is known at all.
 */
export function fillGaps(targets: readonly (CropView | null)[]): CropView[] | null {
  const first = targets.find((t): t is CropView => t !== null);
  if (!first) return null;
  let last = first;
  return targets.map((t) => {
    if (t) last = t;
    return t ?? last;
  });
}

/** Median of three neighbours per component: a single wrong detection does not move the camera. */
export function medianFilter3(views: readonly CropView[]): CropView[] {
  const med = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  return views.map((v, i) => {
    const prev = views[i - 1] ?? v;
    const next = views[i + 1] ?? v;
    return { cx: med(prev.cx, v.cx, next.cx), cy: med(prev.cy, v.cy, next.cy), h: med(prev.h, v.h, next.h) };
  });
}

/**
 * A locked-off camera that reframes only when the target leaves the dead band: returns, per sample,
 * where the camera points. Small movements of the face never move the camera at all.
 */
export function holdWithinDeadBand(targets: readonly CropView[], options: CameraOptions): CropView[] {
  let camera: CropView | null = null;
  return targets.map((target) => {
    if (
      !camera ||
      Math.abs(target.cx - camera.cx) > options.deadBand * camera.h ||
      Math.abs(target.cy - camera.cy) > options.deadBand * camera.h ||
      Math.abs(Math.log(target.h / camera.h)) > options.zoomDeadBand
    ) {
      camera = target;
    }
    return camera;
  });
}

/**
 * Expands per-sample camera positions to every frame: the position of the latest sample at or
 * before each frame (the first sample's before it), then a centred moving average applied twice, so
 * each reframing becomes a smooth ease-in/ease-out glide of about `moveSeconds`. Constant stretches
 * stay exactly constant.
 */
export function framePath(
  sampleTimes: readonly number[],
  cameras: readonly CropView[],
  frameTimes: readonly number[],
  fps: number,
  options: CameraOptions,
): CropView[] {
  if (cameras.length === 0) throw new Error('framePath needs at least one camera position');
  const stepped: CropView[] = [];
  let s = 0;
  for (const t of frameTimes) {
    while (s + 1 < sampleTimes.length && sampleTimes[s + 1]! <= t + 1e-9) s++;
    stepped.push(cameras[s]!);
  }
  const half = Math.max(0, Math.round((options.moveSeconds * fps) / 4));
  return movingAverage(movingAverage(stepped, half), half);
}

export function movingAverage(views: readonly CropView[], half: number): CropView[] {
  if (half === 0) return [...views];
  const n = views.length;
  return views.map((v, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n - 1, i + half);
    const a = views[lo]!;
    let constant = true;
    for (let j = lo; j <= hi && constant; j++) {
      const u = views[j]!;
      constant = u.cx === a.cx && u.cy === a.cy && u.h === a.h;
    }
    if (constant) return v;
    let cx = 0;
    let cy = 0;
    let h = 0;
    // Near the ends the window is mirrored-by-clamping so the path does not drift.
    for (let j = i - half; j <= i + half; j++) {
      const u = views[Math.min(n - 1, Math.max(0, j))]!;
      cx += u.cx;
      cy += u.cy;
      h += u.h;
    }
    const count = 2 * half + 1;
    return { cx: cx / count, cy: cy / count, h: h / count };
  });
}

/** The whole camera for one person: gap filling, outlier removal, dead band, smooth moves. */
export function cameraPath(
  sampleTimes: readonly number[],
  targets: readonly (CropView | null)[],
  frameTimes: readonly number[],
  fps: number,
  options: CameraOptions = DEFAULT_CAMERA_OPTIONS,
): CropView[] | null {
  const filled = fillGaps(targets);
  if (!filled) return null;
  const held = holdWithinDeadBand(medianFilter3(filled), options);
  return framePath(sampleTimes, held, frameTimes, fps, options);
}
