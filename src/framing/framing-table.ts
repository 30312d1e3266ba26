// The per-frame framing the render pass reads, packed: one Float64Array for the times and one for
// both panels' crops, instead of an object per frame and per crop. For an hour at 30 fps that is
// 8 MiB rather than ~40 MiB of small objects, so the render pass's memory does not grow with the
// video's length. The planner can write it directly (FramingTableBuilder), so the tracks file's
// objects exist only where someone asked for them.
import type { Rect } from '../geometry/rect';
import type { OverlayFace, TracksFrame } from './tracks-file';

const NONE = Number.NaN;

/** Where the planner puts each output frame's framing, in order. */
export interface FramingSink {
  add(t: number, panels: readonly [Rect | null, Rect | null], faces?: OverlayFace[]): void;
}

export class FramingTable {
  /** Made by fromFrames() or a FramingTableBuilder. */
  constructor(
    readonly times: Float64Array,
    /** Per frame: panel 0's x, y, w, h, then panel 1's; NaN where a panel has no crop. */
    private readonly crops: Float64Array,
    /** Per frame, only when kept (the debug overlay): the faces to outline. */
    private readonly faces: (OverlayFace[] | undefined)[] | null,
  ) {}

  static fromFrames(frames: readonly TracksFrame[], keepFaces: boolean): FramingTable {
    const builder = new FramingTableBuilder(frames.length, keepFaces);
    for (const frame of frames) builder.add(frame.t, frame.panels, frame.faces);
    return builder.build();
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

  /** Replaces frame `i`'s crops (the focus layout, once who speaks is known). */
  setPanels(i: number, panels: readonly [Rect | null, Rect | null]): void {
    for (const p of [0, 1]) {
      const r = panels[p];
      this.crops.set(r ? [r.x, r.y, r.w, r.h] : [NONE, NONE, NONE, NONE], i * 8 + p * 4);
    }
  }

  facesAt(i: number): OverlayFace[] | undefined {
    return this.faces?.[i];
  }
}

/** Fills a FramingTable frame by frame; `capacity` is the most frames it will be given (the source's count). */
export class FramingTableBuilder implements FramingSink {
  private times: Float64Array;
  private crops: Float64Array;
  private readonly faces: (OverlayFace[] | undefined)[] | null;
  private count = 0;

  constructor(capacity: number, keepFaces: boolean) {
    this.times = new Float64Array(capacity);
    this.crops = new Float64Array(capacity * 8);
    this.faces = keepFaces ? [] : null;
  }

  add(t: number, panels: readonly [Rect | null, Rect | null], faces?: OverlayFace[]): void {
    if (this.count === this.times.length) this.grow();
    const i = this.count++;
    this.times[i] = t;
    panels.forEach((crop, p) => {
      const at = i * 8 + p * 4;
      if (crop) {
        this.crops[at] = crop.x;
        this.crops[at + 1] = crop.y;
        this.crops[at + 2] = crop.w;
        this.crops[at + 3] = crop.h;
      } else this.crops.fill(NONE, at, at + 4);
    });
    this.faces?.push(faces);
  }

  private grow(): void {
    const times = new Float64Array(Math.max(16, this.times.length * 2));
    times.set(this.times);
    const crops = new Float64Array(times.length * 8);
    crops.set(this.crops);
    this.times = times;
    this.crops = crops;
  }

  /** The table (frames cut out by trimming leave the arrays shorter than the capacity: copied to size). */
  build(): FramingTable {
    const n = this.count;
    const times = n === this.times.length ? this.times : this.times.slice(0, n);
    const crops = n * 8 === this.crops.length ? this.crops : this.crops.slice(0, n * 8);
    return new FramingTable(times, crops, this.faces);
  }
}
