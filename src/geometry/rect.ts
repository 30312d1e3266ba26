/** An axis-aligned rectangle in pixels: top-left corner and size. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  width: number;
  height: number;
}

export function rectCentre(r: Rect): { x: number; y: number } {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/** Whether a point lies in the rectangle (its left and top edges in, its right and bottom out). */
export function pointInRect(p: { x: number; y: number }, r: Rect): boolean {
  return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h;
}

/** Of `items`, the one whose box's centre is nearest `p`, if nearer than `within`; else null (the first of equals). */
export function nearestByCentre<T>(items: Iterable<T>, boxOf: (item: T) => Rect, p: { x: number; y: number }, within: number): T | null {
  let best: T | null = null;
  let bestDistance = within;
  for (const item of items) {
    const c = rectCentre(boxOf(item));
    const d = Math.hypot(c.x - p.x, c.y - p.y);
    if (d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
}

export function rectArea(r: Rect): number {
  return Math.max(0, r.w) * Math.max(0, r.h);
}

export function intersection(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.w, b.x + b.w);
  const bottom = Math.min(a.y + a.h, b.y + b.h);
  return { x, y, w: Math.max(0, right - x), h: Math.max(0, bottom - y) };
}

export function intersectionOverUnion(a: Rect, b: Rect): number {
  const inter = rectArea(intersection(a, b));
  const union = rectArea(a) + rectArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** True when `inner` lies within `outer` (with a small tolerance for rounding). */
export function rectInside(inner: Rect, outer: Rect, tolerance = 1e-6): boolean {
  return (
    inner.x >= outer.x - tolerance &&
    inner.y >= outer.y - tolerance &&
    inner.x + inner.w <= outer.x + outer.w + tolerance &&
    inner.y + inner.h <= outer.y + outer.h + tolerance
  );
}

/** `r` in a picture scaled by `k` (x and y apart): for a frame of another size than the one `r` was measured in. */
export function scaleRect(r: Rect, k: { x: number; y: number }): Rect {
  return k.x === 1 && k.y === 1 ? r : { x: r.x * k.x, y: r.y * k.y, w: r.w * k.x, h: r.h * k.y };
}
