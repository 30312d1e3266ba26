// The per-frame framing the render pass reads, packed: one Float64Array for the times and one for
// both panels' crops, instead of an object per frame and per crop. For an hour at 30 fps that is
// 8 MiB rather than ~40 MiB of small objects, so the render pass's memory does not grow with the
// video's length (the tracks file, with its objects, exists only where someone asked for it).
import type { Rect } from '../geometry/rect';
import type { OverlayFace, TracksFrame } from './tracks-file';

const NONE = Number.NaN;

export class FramingTable {
  readonly times: Float64Array;
  /** Per frame: panel 0's x, y, w, h, then panel 1's; NaN where a panel has no crop. */
  private readonly crops: Float64Array;
  /** Per frame, only when kept (the debug overlay): the faces to outline. */
  private readonly faces: (OverlayFace[] | undefined)[] | null;

  constructor(frames: readonly TracksFrame[], keepFaces: boolean) {
    const n = frames.length;
    this.times = new Float64Array(n);
    this.crops = new Float64Array(n * 8);
    this.faces = keepFaces ? frames.map((f) => f.faces) : null;
    frames.forEach((frame, i) => {
      this.times[i] = frame.t;
      frame.panels.forEach((crop, p) => {
        const at = i * 8 + p * 4;
        if (crop) this.crops.set([crop.x, crop.y, crop.w, crop.h], at);
        else this.crops.fill(NONE, at, at + 4);
      });
    });
  }

  get length(): number {
    return this.times.length;
  }

  /** Both panels' crops of frame `i` (fresh objects). */
  panels(i: number): [Rect | null, Rect | null] {
    const crop = (at: number): Rect | null => {
      const c = this.crops;
      return Number.isNaN(c[at]!) ? null : { x: c[at]!, y: c[at + 1]!, w: c[at + 2]!, h: c[at + 3]! };
    };
    return [crop(i * 8), crop(i * 8 + 4)];
  }

  facesAt(i: number): OverlayFace[] | undefined {
    return this.faces?.[i];
  }
}
