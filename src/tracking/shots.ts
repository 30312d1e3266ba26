// Shot boundaries (hard cuts) from a small signature of every decoded frame. Pure, so it is tested
// with synthetic signatures; the signature itself is computed in the analysis pass.

/** A decoded frame's signature: mean Y, U, V over a coarse grid, then a luma histogram, all 0..1. */
export interface FrameSignature {
  t: number;
  values: Float32Array;
}

export const SIGNATURE_GRID = 4;
export const SIGNATURE_HISTOGRAM_BINS = 16;
export const SIGNATURE_LENGTH = SIGNATURE_GRID * SIGNATURE_GRID * 3 + SIGNATURE_HISTOGRAM_BINS;

export interface CutOptions {
  /** A change smaller than this is never a cut (0..1). */
  minChange: number;
  /** ... and it must be this many times the typical change around it (motion, noise, camera moves). */
  contrast: number;
  /** Two cuts closer than this are one cut (a flash, a dissolve): the larger change wins. */
  minShotSeconds: number;
}

export const DEFAULT_CUT_OPTIONS: CutOptions = { minChange: 0.12, contrast: 4, minShotSeconds: 0.4 };

/**
 * How different two frames look, 0..1: half the mean grid difference (where things are), half the
 * luma histogram difference (what the picture holds, robust to motion within it).
 */
export function signatureDistance(a: Float32Array, b: Float32Array): number {
  const gridLength = SIGNATURE_GRID * SIGNATURE_GRID * 3;
  let grid = 0;
  for (let i = 0; i < gridLength; i++) grid += Math.abs(a[i]! - b[i]!);
  let histogram = 0;
  for (let i = gridLength; i < a.length; i++) histogram += Math.abs(a[i]! - b[i]!);
  // The grid means are 0..1 each; ×4 so a full-scale change of a quarter of the picture reads ~1.
  return 0.5 * Math.min(1, (grid / gridLength) * 4) + 0.5 * (histogram / 2);
}

/** A cheap early guess, for the analysis pass to look for faces right after a likely cut. */
export function likelyCut(previous: Float32Array | null, current: Float32Array, options: CutOptions = DEFAULT_CUT_OPTIONS): boolean {
  return previous !== null && signatureDistance(previous, current) >= options.minChange * 1.5;
}

/**
 * Times at which a new shot starts (the first frame after each cut), ascending; the first shot
 * starts at the first frame and is not listed. A cut is a change between consecutive frames that is
 * both large and much larger than the changes around it, after which the picture does not come back.
 */
export function detectCuts(signatures: readonly FrameSignature[], options: CutOptions = DEFAULT_CUT_OPTIONS): number[] {
  const n = signatures.length;
  const change = new Array<number>(n).fill(0);
  for (let i = 1; i < n; i++) change[i] = signatureDistance(signatures[i - 1]!.values, signatures[i]!.values);
  const candidates: { i: number; change: number }[] = [];
  const window = 6;
  for (let i = 1; i < n; i++) {
    const c = change[i]!;
    if (c < options.minChange) continue;
    const around: number[] = [];
    for (let j = Math.max(1, i - window); j <= Math.min(n - 1, i + window); j++) if (j !== i) around.push(change[j]!);
    around.sort((a, b) => a - b);
    const typical = around.length > 0 ? around[Math.floor(around.length / 2)]! : 0;
    if (c < options.contrast * typical) continue;
    // A flash or a passing occluder: the picture comes back within a minimum shot.
    let returns = false;
    for (let j = i + 1; j < n && signatures[j]!.t - signatures[i]!.t <= options.minShotSeconds && !returns; j++) {
      returns = signatureDistance(signatures[i - 1]!.values, signatures[j]!.values) < options.minChange;
    }
    // ... or the end of one: the picture is back to what it was just before.
    for (let j = i - 2; j >= 0 && signatures[i]!.t - signatures[j]!.t <= options.minShotSeconds && !returns; j--) {
      returns = signatureDistance(signatures[j]!.values, signatures[i]!.values) < options.minChange;
    }
    if (!returns) candidates.push({ i, change: c });
  }
  // Of cuts closer than a minimum shot, keep the larger change.
  const kept: { i: number; change: number }[] = [];
  for (const candidate of candidates) {
    const last = kept[kept.length - 1];
    if (last && signatures[candidate.i]!.t - signatures[last.i]!.t < options.minShotSeconds) {
      if (candidate.change > last.change) kept[kept.length - 1] = candidate;
      continue;
    }
    kept.push(candidate);
  }
  return kept.map((k) => signatures[k.i]!.t);
}

/** A shot as a half-open range of frame indices. */
export interface Shot {
  start: number;
  end: number;
}

/** Splits frames (sorted times) into shots at the given cut times. */
export function shotsFromCuts(frameTimes: readonly number[], cuts: readonly number[]): Shot[] {
  const shots: Shot[] = [];
  let start = 0;
  for (const cut of cuts) {
    // The first frame at or after the cut (within half a microsecond of rounding).
    let i = start;
    while (i < frameTimes.length && frameTimes[i]! < cut - 5e-7) i++;
    if (i > start && i < frameTimes.length) {
      shots.push({ start, end: i });
      start = i;
    }
  }
  if (frameTimes.length > start) shots.push({ start, end: frameTimes.length });
  return shots;
}

/** Index of the shot holding time t (shots given as time ranges [start, end)). */
export function shotIndexAt(shotStarts: readonly number[], t: number): number {
  let index = 0;
  for (let i = 1; i < shotStarts.length; i++) if (t >= shotStarts[i]! - 5e-7) index = i;
  return index;
}
