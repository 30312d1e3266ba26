// Source time → output time when spans are cut out (the trim-empty option): frames and audio packets
// inside a cut span are dropped, everything after it moves earlier by the span's length.
import { SAME_INSTANT } from '../core/timing';

export class Timeline {
  private readonly spans: readonly (readonly [number, number])[];

  /** `cut`: source-time spans [start, end) removed from the output, in any order; overlaps are merged. */
  constructor(cut: readonly (readonly [number, number])[] = []) {
    const sorted = [...cut].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of sorted) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    this.spans = merged;
  }

  get isIdentity(): boolean {
    return this.spans.length === 0;
  }

  /** Where a source time lands in the output; null when it is cut out. */
  outputTime(t: number): number | null {
    let removed = 0;
    for (const [a, b] of this.spans) {
      // Half a microsecond of slack: time stamps are microseconds rounded to seconds.
      if (t >= a - SAME_INSTANT && t < b - SAME_INSTANT) return null;
      if (t >= b - SAME_INSTANT) removed += b - a;
    }
    return t - removed;
  }

  /** Total length cut out, seconds. */
  get removedSeconds(): number {
    return this.spans.reduce((sum, [a, b]) => sum + (b - a), 0);
  }
}
