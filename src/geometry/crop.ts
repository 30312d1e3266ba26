import type { Rect, Size } from './rect';

/** How a face is framed in its panel. */
export interface Framing {
  /** Crop height as a multiple of the face box height (larger = wider shot). */
  headroomScale: number;
  /** Where the face centre sits vertically, as a fraction of the crop height from its top. */
  faceCentreFromTop: number;
}

export const DEFAULT_FRAMING: Framing = { headroomScale: 3.2, faceCentreFromTop: 0.42 };

/** A crop described by its centre and height; its width follows from the panel aspect. */
export interface CropView {
  cx: number;
  cy: number;
  h: number;
}

/** The crop that frames a face box in a panel of the given aspect (before clamping to the source). */
export function viewForFace(face: Rect, framing: Framing = DEFAULT_FRAMING): CropView {
  const h = face.h * framing.headroomScale;
  const cx = face.x + face.w / 2;
  const faceCy = face.y + face.h / 2;
  // Put the face centre at `faceCentreFromTop` of the crop height.
  const cy = faceCy + (0.5 - framing.faceCentreFromTop) * h;
  return { cx, cy, h };
}

/**
 * Turns a view into a source rectangle with exactly the panel's aspect, entirely inside the source:
 * a view larger than the source is pulled in (zoomed) to the largest crop that fits, then shifted
 * inside. The aspect is never changed, so the panel never stretches.
 */
export function cropRect(view: CropView, aspect: number, source: Size): Rect {
  let h = Math.max(1, view.h);
  let w = h * aspect;
  const scale = Math.min(1, source.width / w, source.height / h);
  w *= scale;
  h *= scale;
  const x = clamp(view.cx - w / 2, 0, source.width - w);
  const y = clamp(view.cy - h / 2, 0, source.height - h);
  return { x, y, w, h };
}

/** The largest crop of the given aspect centred on one half of the source (left or right). */
export function halfFrameCrop(side: 0 | 1, aspect: number, source: Size): Rect {
  const cx = source.width * (side === 0 ? 0.25 : 0.75);
  return cropRect({ cx, cy: source.height / 2, h: source.height }, aspect, source);
}

export function clamp(value: number, min: number, max: number): number {
  if (max < min) return (min + max) / 2;
  return Math.min(max, Math.max(min, value));
}

/**
 * Room around a face that fills the output on its own, as a multiple of its size, below which the
 * crop pads. Small, so a close-up pads only where the face itself would be cut (the detector's box
 * already reaches past the cheeks); the same margin decides and sizes, so the crop grows smoothly.
 */
const CLOSE_UP_MARGIN = 1.05;

/**
 * The crop for one person filling the output: as `cropRect`, unless that crop cannot hold the face
 * (a close-up whose face is wider than the output's aspect allows at full height). Then the crop
 * grows to hold the face with a little room and reaches outside the picture: the part outside is
 * shown black (padding), centred on the face as far as the picture allows. Detector boxes are
 * square, so the face's size is the view's height over the headroom.
 */
export function singleCrop(view: CropView, aspect: number, source: Size, framing: Framing = DEFAULT_FRAMING): Rect {
  const crop = cropRect(view, aspect, source);
  const face = (view.h / framing.headroomScale) * CLOSE_UP_MARGIN;
  if (crop.w >= face - 0.5 && crop.h >= face - 0.5) return crop;
  const h = Math.max(face, face / aspect);
  const w = h * aspect;
  const faceCy = view.cy - (0.5 - framing.faceCentreFromTop) * view.h;
  // Inside the picture where it fits; where it does not, centred on the face with the picture
  // covering as much of the crop as it can (never a border inside the crop that could be picture).
  const place = (centre: number, size: number, extent: number) =>
    size <= extent ? clamp(centre - size / 2, 0, extent - size) : clamp(centre - size / 2, extent - size, 0);
  return { x: place(view.cx, w, source.width), y: place(faceCy, h, source.height), w, h };
}

/** Whether a crop reaches outside the picture by more than rounding (it pads). */
export function cropPads(crop: Rect, source: Size): boolean {
  const slack = 0.5;
  return crop.x < -slack || crop.y < -slack || crop.x + crop.w > source.width + slack || crop.y + crop.h > source.height + slack;
}
