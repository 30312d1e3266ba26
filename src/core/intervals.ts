// Time intervals (seconds) as plain data. Pure.

export interface Interval {
  start: number;
  end: number;
}

/** `intervals` less `holes` (both in time order, each list without overlaps). */
export function subtractIntervals(intervals: readonly Interval[], holes: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const span of intervals) {
    let start = span.start;
    for (const hole of holes) {
      if (hole.end <= start || hole.start >= span.end) continue;
      if (hole.start > start) out.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
    }
    if (start < span.end) out.push({ start, end: span.end });
  }
  return out;
}

/** Total seconds of the intervals' union. */
export function coveredSeconds(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals, 0).reduce((sum, i) => sum + i.end - i.start, 0);
}

/** The intervals in time order, those closer than `gap` (or overlapping) joined. */
export function mergeIntervals(intervals: readonly Interval[], gap: number): Interval[] {
  const out: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && i.start - last.end <= gap) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** Seconds two intervals share. */
export function overlapSeconds(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}
