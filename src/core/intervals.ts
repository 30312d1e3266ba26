// Time intervals (seconds) as plain data. Pure.

export interface Span {
  start: number;
  end: number;
}

/** `spans` less `holes` (both in time order, each list without overlaps). */
export function subtractSpans(spans: readonly Span[], holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
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
