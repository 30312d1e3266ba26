// Phone videos are stored sideways with a rotation in the container. Everything DualFace decides
// (detections, tracks, crops) is in the upright "display" picture; compositors map back to the
// stored frame. Rotation is clockwise, in quarter turns of 90 degrees.

export type Rotation = 0 | 90 | 180 | 270;

export function asRotation(degrees: number): Rotation {
  const r = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return r as Rotation;
}

/** Size of the upright picture for a stored frame of `width` x `height`. */
export function rotatedSize(width: number, height: number, rotation: Rotation): { width: number; height: number } {
  return rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
}

/**
 * Maps a point of the upright picture (continuous coordinates) to the stored frame of size W x H,
 * as an affine map: x = ax*u + bx*v + cx, y = ay*u + by*v + cy.
 */
export function displayToFrame(rotation: Rotation, W: number, H: number): [number, number, number, number, number, number] {
  switch (rotation) {
    case 0:
      return [1, 0, 0, 0, 1, 0];
    case 90: // the frame was turned clockwise to show it: u = H - y, v = x
      return [0, 1, 0, -1, 0, H];
    case 180:
      return [-1, 0, W, 0, -1, H];
    case 270: // u = y, v = W - x
      return [0, -1, W, 1, 0, 0];
  }
}
