// The debug overlay: detected faces drawn as outlines in the output, coloured by identity (panel 0's
// person green, panel 1's magenta, anyone else yellow). Off by default; geometry here, drawing in
// each compositor.
import { outputPanels, type Layout } from '../geometry/layout';
import { intersection, type Rect, type Size } from '../geometry/rect';
import type { OverlayFace } from '../framing/tracks-file';

export interface OverlayBox {
  /** Output pixels. */
  rect: Rect;
  person: 0 | 1 | null;
  /** The speaker highlight's frame (accent colour) rather than a detected face. */
  speaker?: boolean;
  /** Outline thickness in output pixels (even); overlayThickness when absent. */
  thickness?: number;
}

/** At most this many boxes are drawn per frame (the GPU path keeps them in a fixed uniform array). */
export const MAX_OVERLAY_BOXES = 8;

/** Colours: RGB 0..1 for the shader, BT.601 limited-range Y, U, V for the CPU path. */
export type ColourKey = '0' | '1' | 'other' | 'speaker';

/** The speaker highlight's accent is amber (#FFB020). */
export const OVERLAY_RGB: Record<ColourKey, [number, number, number]> = { '0': [0, 1, 0], '1': [1, 0, 1], other: [1, 1, 0], speaker: [1, 0.69, 0.125] };
export const OVERLAY_YUV: Record<ColourKey, [number, number, number]> = {
  '0': [145, 54, 34],
  '1': [106, 202, 222],
  other: [210, 16, 146],
  speaker: [173, 53, 173],
};

export function colourKey(box: Pick<OverlayBox, 'person' | 'speaker'>): ColourKey {
  if (box.speaker) return 'speaker';
  return box.person === null ? 'other' : box.person === 0 ? '0' : '1';
}

/** Outline thickness in output pixels: visible at any output size, even for chroma. */
export function overlayThickness(output: Size): number {
  return Math.max(2, 2 * Math.round(Math.min(output.width, output.height) / 360));
}

/** Where each face appears in the output: mapped through every crop that shows it, clipped to its panel. */
export function overlayBoxes(layout: Layout, output: Size, crops: readonly [Rect | null, Rect | null], faces: readonly OverlayFace[]): OverlayBox[] {
  const panels = outputPanels(layout, output, crops);
  const boxes: OverlayBox[] = [];
  for (let p = 0; p < 2; p++) {
    const crop = crops[p];
    const panel = panels[p]!;
    if (!crop || panel.w === 0) continue;
    for (const face of faces) {
      const visible = intersection(face, crop);
      if (visible.w <= 0 || visible.h <= 0) continue;
      const sx = panel.w / crop.w;
      const sy = panel.h / crop.h;
      const rect = { x: panel.x + (face.x - crop.x) * sx, y: panel.y + (face.y - crop.y) * sy, w: face.w * sx, h: face.h * sy };
      const clipped = intersection(rect, panel);
      if (clipped.w > 0 && clipped.h > 0 && boxes.length < MAX_OVERLAY_BOXES) boxes.push({ rect: clipped, person: face.person });
    }
  }
  return boxes;
}

/**
 * The speaker highlight: a frame in the accent colour around each speaking panel, as thick as its
 * level (0..1) makes it, up to twice the debug outline's (so it fades in and out by growing and
 * shrinking, in even pixels).
 */
export function speakerBoxes(layout: Layout, output: Size, crops: readonly [Rect | null, Rect | null], levels: readonly [number, number]): OverlayBox[] {
  const panels = outputPanels(layout, output, crops);
  const full = 2 * overlayThickness(output);
  const boxes: OverlayBox[] = [];
  for (const p of [0, 1] as const) {
    const thickness = 2 * Math.round((levels[p] * full) / 2);
    const panel = panels[p];
    if (thickness === 0 || !crops[p] || !panel || panel.w === 0) continue;
    boxes.push({ rect: panel, person: p, speaker: true, thickness });
  }
  return boxes;
}
