// Shot boundaries (hard cuts) from a small signature of every decoded frame. Pure, so it is tested
// with synthetic signatures; the signature itself is computed in the analysis pass.
import { SAME_INSTANT } from '../core/timing';

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

/** Frames on each side whose changes give the typical change around a candidate cut. */
const WINDOW = 6;

/**
 * Finds cuts as frames arrive (in presentation order), keeping only the few frames around the one
 * it is judging: memory does not grow with the video. A cut is a change between consecutive frames
 * that is large, much larger than the changes around it, and after which the picture does not come
 * back (a flash, a passing occluder). Of two cuts closer than a minimum shot, the larger change wins.
 */
export class CutDetector {
  private readonly buffer: { t: number; values: Float32Array; change: number }[] = [];
  /** Frame number of buffer[0]. */
  private base = 0;
  /** Frame number of the next frame to judge (frame 0 starts the first shot). */
  private next = 1;
  private readonly kept: { t: number; change: number }[] = [];
  private finished = false;

  constructor(private readonly options: CutOptions = DEFAULT_CUT_OPTIONS) {}

  /**
   * Adds the next frame; returns whether it is a likely cut already (a cheap early guess from its
   * change alone, for the analysis pass to look for faces right after it). The final answer comes
   * from `finish()`.
   */
  push(t: number, values: Float32Array): boolean {
    const previous = this.buffer[this.buffer.length - 1];
    const change = previous ? signatureDistance(previous.values, values) : 0;
    this.buffer.push({ t, values, change });
    this.judgeReady(false);
    return change >= this.options.minChange * 1.5;
  }

  /** Times at which a new shot starts (the first frame after each cut), ascending. */
  finish(): number[] {
    this.judgeReady(true);
    this.finished = true;
    return this.kept.map((k) => k.t);
  }

  /**
   * The cuts no later frame can change, and the time before which that holds: frames are judged
   * with some look-ahead, and a kept cut may still give way to a larger change within a minimum shot.
   */
  settled(): { cuts: number[]; upTo: number } {
    if (this.next >= this.end && this.finished) return { cuts: this.kept.map((k) => k.t), upTo: Infinity };
    const judged = this.next < this.end ? this.at(this.next).t : -Infinity;
    const upTo = judged - this.options.minShotSeconds;
    return { cuts: this.kept.filter((k) => k.t < upTo).map((k) => k.t), upTo };
  }

  /** Frames held right now (a few, whatever the length of the video). */
  get bufferedFrames(): number {
    return this.buffer.length;
  }

  private at(frame: number) {
    return this.buffer[frame - this.base]!;
  }

  private get end(): number {
    return this.base + this.buffer.length;
  }

  private judgeReady(final: boolean): void {
    while (this.next < this.end) {
      const t = this.at(this.next).t;
      // Judging needs WINDOW frames after it and a minimum shot of look-ahead.
      if (!final && (this.end - 1 - this.next < WINDOW || this.at(this.end - 1).t - t <= this.options.minShotSeconds)) return;
      this.judge(this.next);
      this.next++;
      // Forget what no later judgement looks back to.
      while (this.base < this.next - WINDOW - 1 && this.next < this.end && this.at(this.next).t - this.buffer[0]!.t > this.options.minShotSeconds + 1e-9) {
        this.buffer.shift();
        this.base++;
      }
    }
  }

  private judge(i: number): void {
    const { minChange, contrast, minShotSeconds } = this.options;
    const frame = this.at(i);
    if (frame.change < minChange) return;
    const around: number[] = [];
    for (let j = Math.max(1, i - WINDOW); j <= Math.min(this.end - 1, i + WINDOW); j++) if (j !== i) around.push(this.at(j).change);
    around.sort((a, b) => a - b);
    const typical = around.length > 0 ? around[Math.floor(around.length / 2)]! : 0;
    if (frame.change < contrast * typical) return;
    const before = this.at(i - 1).values;
    // A flash or a passing occluder: the picture comes back within a minimum shot...
    for (let j = i + 1; j < this.end && this.at(j).t - frame.t <= minShotSeconds; j++) {
      if (signatureDistance(before, this.at(j).values) < minChange) return;
    }
    // ... or this is the end of one: the picture is back to what it was just before.
    for (let j = i - 2; j >= this.base && frame.t - this.at(j).t <= minShotSeconds; j--) {
      if (signatureDistance(this.at(j).values, frame.values) < minChange) return;
    }
    const last = this.kept[this.kept.length - 1];
    if (last && frame.t - last.t < minShotSeconds) {
      if (frame.change > last.change) this.kept[this.kept.length - 1] = { t: frame.t, change: frame.change };
      return;
    }
    this.kept.push({ t: frame.t, change: frame.change });
  }
}

/** All the cuts of a list of frame signatures (see CutDetector). */
export function detectCuts(signatures: readonly FrameSignature[], options: CutOptions = DEFAULT_CUT_OPTIONS): number[] {
  const detector = new CutDetector(options);
  for (const s of signatures) detector.push(s.t, s.values);
  return detector.finish();
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
    while (i < frameTimes.length && frameTimes[i]! < cut - SAME_INSTANT) i++;
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
  for (let i = 1; i < shotStarts.length; i++) if (t >= shotStarts[i]! - SAME_INSTANT) index = i;
  return index;
}
