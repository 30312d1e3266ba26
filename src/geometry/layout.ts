import type { Rect, Size } from './rect';

export const LAYOUTS = ['side-by-side', 'stacked'] as const;
export type Layout = (typeof LAYOUTS)[number];

export function isLayout(value: string): value is Layout {
  return (LAYOUTS as readonly string[]).includes(value);
}

/** The default output size of each layout: two 960x1080 panels side by side, or two 1080x960 stacked. */
export function defaultOutputSize(layout: Layout): Size {
  return layout === 'side-by-side' ? { width: 1920, height: 1080 } : { width: 1080, height: 1920 };
}

/**
 * Validates an output size for H.264 4:2:0: both sides even (chroma is subsampled by 2), and the
 * split side divisible by 4 so both panels have even sizes too.
 */
export function checkOutputSize(layout: Layout, size: Size): string | null {
  const { width, height } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
    return `output size ${width}x${height} is too small (at least 16x16)`;
  }
  if (width > 4096 || height > 4096) return `output size ${width}x${height} is too large (at most 4096 a side)`;
  const split = layout === 'side-by-side' ? width : height;
  if (split % 4 !== 0) {
    return `the ${layout === 'side-by-side' ? 'width' : 'height'} of a ${layout} output must be divisible by 4 (got ${split})`;
  }
  if (width % 2 !== 0 || height % 2 !== 0) return `output size ${width}x${height} must have even sides`;
  return null;
}

/** Parses "WxH" as given on the command line. */
export function parseSize(text: string): Size | null {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) return null;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Where the two panels sit in the output frame: panel 0 left (side-by-side) or top (stacked). */
export function panelRects(layout: Layout, output: Size): [Rect, Rect] {
  if (layout === 'side-by-side') {
    const w = output.width / 2;
    return [
      { x: 0, y: 0, w, h: output.height },
      { x: w, y: 0, w, h: output.height },
    ];
  }
  const h = output.height / 2;
  return [
    { x: 0, y: 0, w: output.width, h },
    { x: 0, y: h, w: output.width, h },
  ];
}

/** Width / height of one panel. */
export function panelAspect(layout: Layout, output: Size): number {
  const [panel] = panelRects(layout, output);
  return panel.w / panel.h;
}

/**
 * Where each crop of one frame goes: both crops → the two panels; one crop → the whole output
 * (the other gets an empty rectangle); none → nothing shown (black).
 */
export function outputPanels(layout: Layout, output: Size, crops: readonly [Rect | null, Rect | null]): [Rect, Rect] {
  const empty: Rect = { x: 0, y: 0, w: 0, h: 0 };
  const whole: Rect = { x: 0, y: 0, w: output.width, h: output.height };
  if (crops[0] && crops[1]) return panelRects(layout, output);
  if (crops[0]) return [whole, empty];
  if (crops[1]) return [empty, whole];
  return [empty, empty];
}

/** Where one crop is drawn: its panel, the part of it the picture fills, and the part of the crop inside the picture. */
export interface Placement {
  /** The whole panel (output pixels); what the picture does not fill is black. */
  panel: Rect;
  /** The part of the panel the picture fills: the panel itself unless the crop reaches outside the picture. */
  fill: Rect;
  /** The crop, cut to the picture (source pixels); null: the panel is black. */
  crop: Rect | null;
}

/**
 * The crops of one frame placed in the output (see outputPanels). A crop that reaches outside the
 * picture (a close-up whose face is too big for the output even at full height pads) is cut to
 * the picture, and the panel's part it fills shrinks by the same proportions, so nothing stretches.
 */
export function placeCrops(layout: Layout, output: Size, crops: readonly [Rect | null, Rect | null], picture: Size): [Placement, Placement] {
  const panels = outputPanels(layout, output, crops);
  return [0, 1].map((p): Placement => {
    const panel = panels[p]!;
    const crop = crops[p] ?? null;
    if (!crop || panel.w === 0 || panel.h === 0) return { panel, fill: panel, crop };
    const x0 = Math.max(0, crop.x);
    const y0 = Math.max(0, crop.y);
    const x1 = Math.min(picture.width, crop.x + crop.w);
    const y1 = Math.min(picture.height, crop.y + crop.h);
    if (x1 <= x0 || y1 <= y0) return { panel, fill: { x: panel.x, y: panel.y, w: 0, h: 0 }, crop: null };
    if (x0 === crop.x && y0 === crop.y && x1 === crop.x + crop.w && y1 === crop.y + crop.h) return { panel, fill: panel, crop };
    const sx = panel.w / crop.w;
    const sy = panel.h / crop.h;
    // Whole output pixels (even, for the chroma planes), so the fill's edges fall on pixel edges.
    const even = (v: number) => 2 * Math.round(v / 2);
    const fx0 = even(panel.x + (x0 - crop.x) * sx);
    const fy0 = even(panel.y + (y0 - crop.y) * sy);
    const fx1 = even(panel.x + (x1 - crop.x) * sx);
    const fy1 = even(panel.y + (y1 - crop.y) * sy);
    // The crop cut to match the rounded fill exactly.
    const cut = { x: crop.x + (fx0 - panel.x) / sx, y: crop.y + (fy0 - panel.y) / sy, w: (fx1 - fx0) / sx, h: (fy1 - fy0) / sy };
    return { panel, fill: { x: fx0, y: fy0, w: fx1 - fx0, h: fy1 - fy0 }, crop: cut };
  }) as [Placement, Placement];
}
