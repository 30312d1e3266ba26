// Where the preview draws each panel: the rendered layout (layout.ts) scaled to the display, each
// panel a box that shows the source video moved and scaled by a CSS transform so that the panel's
// crop fills it, as the compositor does. Pure.
import { outputPanels, type Layout } from '../../geometry/layout';
import type { Rect, Size } from '../../geometry/rect';

export interface PanelView {
  /** The panel in the preview, display pixels; empty when the frame does not show it. */
  box: Rect;
  /** CSS transform of a video element sized to the source (in source pixels, origin top left); null: black. */
  transform: string | null;
}

/** The two panels of one frame at `scale` display pixels per output pixel. */
export function previewPanels(layout: Layout, output: Size, crops: readonly [Rect | null, Rect | null], scale: number): [PanelView, PanelView] {
  const panels = outputPanels(layout, output, crops);
  return [0, 1].map((p): PanelView => {
    const panel = panels[p]!;
    const box = { x: panel.x * scale, y: panel.y * scale, w: panel.w * scale, h: panel.h * scale };
    const crop = crops[p];
    if (!crop || box.w === 0 || crop.w <= 0) return { box, transform: null };
    const k = box.w / crop.w;
    return { box, transform: `translate(${round(-crop.x * k)}px, ${round(-crop.y * k)}px) scale(${round(k, 6)})` };
  }) as [PanelView, PanelView];
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Index of the frame shown at `t` (the last whose time is at or before it), by bisection; 0 before the first. */
export function frameIndexAt(times: (i: number) => number, count: number, t: number): number {
  let lo = 0;
  let hi = count - 1;
  if (count === 0 || t < times(0)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times(mid) <= t + 1e-4) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A crop moved by a drag of (dx, dy) display pixels over a source view shown at `scale` display pixels per source pixel. */
export function draggedCrop(crop: Rect, dx: number, dy: number, scale: number): Rect {
  return { ...crop, x: crop.x + dx / scale, y: crop.y + dy / scale };
}

/** The zoom a drag of the crop's corner by (dx, dy) display pixels asks for: its half-diagonal follows the pointer (outwards: a wider view, zoomed out), 0.25-4. */
export function cornerZoom(crop: Rect, dx: number, dy: number, scale: number): number {
  const half = Math.hypot(crop.w, crop.h) / 2;
  const along = (dx * crop.w + dy * crop.h) / Math.hypot(crop.w, crop.h) / scale;
  return Math.min(4, Math.max(0.25, half / Math.max(1, half + along)));
}

/** A crop zoomed about its centre (zoom 1.25: the face 25 % larger, the crop 80 % of the size). */
export function zoomedCrop(crop: Rect, zoom: number): Rect {
  const w = crop.w / zoom;
  const h = crop.h / zoom;
  return { x: crop.x + (crop.w - w) / 2, y: crop.y + (crop.h - h) / 2, w, h };
}
