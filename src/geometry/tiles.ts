import type { Rect } from './rect';

/** Square tiles of the given side covering the frame, overlapping by at least `overlap` of a side. */
export function squareTiles(width: number, height: number, side: number, overlap: number): Rect[] {
  const positions = (length: number) => {
    if (side >= length) return [0];
    const count = Math.ceil((length - side) / (side * (1 - overlap))) + 1;
    const step = (length - side) / (count - 1);
    return Array.from({ length: count }, (_, i) => i * step);
  };
  const tiles: Rect[] = [];
  for (const y of positions(height)) for (const x of positions(width)) tiles.push({ x, y, w: side, h: side });
  return tiles;
}
