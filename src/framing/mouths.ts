// How much each visible mouth moves, frame to frame, and whose panel it is in. Pure: the luma grids
// come from the caller (the scan samples them from the decoded frame's planes).
//
// A mouth's activity is the mean luma change of a grid over the lower face (mouth and chin) between
// two decoded frames, less a quarter of the change of a grid over the upper face (eyes, brow): a head
// that turns or nods changes both, but talking moves the whole head too, so only a part of the upper
// change is taken off (on the speaker fixtures side by side, taking all of it off picked the talker
// in 60-70 % of 0.4-0.8 s windows, a quarter in 92 %, none in 93 %). The grids have the same
// number of points whatever the face's size, so a small face counts as much as a close one.
import { nearestByCentre, pointInRect, rectCentre, type Rect } from '../geometry/rect';
import type { MouthSeries } from './speakers';

export const GRID = { cols: 12, rows: 6 };

/** The part of the upper face's change taken off the lower face's. */
export const HEAD_SHARE = 0.25;

/** Mouth and chin: the lower 40 % of a face box, its middle 60 %. */
export function mouthRegion(face: Rect): Rect {
  return { x: face.x + 0.2 * face.w, y: face.y + 0.6 * face.h, w: 0.6 * face.w, h: 0.4 * face.h };
}

/** Eyes and brow: from 15 % to 45 % of the face box's height, its middle 80 %. */
export function headRegion(face: Rect): Rect {
  return { x: face.x + 0.1 * face.w, y: face.y + 0.15 * face.h, w: 0.8 * face.w, h: 0.3 * face.h };
}

export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return a.length > 0 ? sum / a.length : 0;
}

export interface MouthSample {
  t: number;
  /** The face's box in the source picture. */
  box: Rect;
  /** Lower-face change less HEAD_SHARE of the upper face's, luma levels (0..255), at least 0. */
  activity: number;
}

interface Seen {
  box: Rect;
  mouth: Uint8Array;
  head: Uint8Array;
}

/** Keeps the last grids of each face seen; `measure` gives each face's activity since the frame before. */
export class MouthTracker {
  private last: Seen[] = [];

  /** `grid(region)`: the luma at GRID points over a region of this frame. Faces: where they are now. */
  measure(t: number, faces: readonly Rect[], grid: (region: Rect) => Uint8Array): MouthSample[] {
    const seen: Seen[] = faces.map((box) => ({ box, mouth: grid(mouthRegion(box)), head: grid(headRegion(box)) }));
    const samples: MouthSample[] = [];
    for (const now of seen) {
      // The same face in the frame before: the nearest within half a face width.
      const before = nearestByCentre(this.last, (old) => old.box, rectCentre(now.box), 0.5 * now.box.w);
      if (before)
        samples.push({
          t,
          box: now.box,
          activity: Math.max(0, meanAbsDifference(now.mouth, before.mouth) - HEAD_SHARE * meanAbsDifference(now.head, before.head)),
        });
    }
    this.last = seen;
    return samples;
  }

  /** After a cut nothing carries over. */
  reset(): void {
    this.last = [];
  }
}

/**
 * Mouth samples given to the panels: a sample belongs to the panel whose crop holds its face's centre
 * in the planned frame at or after its time (the nearer crop centre where both do). Samples come
 * before the frames that place them (the planner lags the scan); they wait until then.
 */
export class MouthPanels {
  private readonly pending: MouthSample[] = [];
  private readonly times: [number[], number[]] = [[], []];
  private readonly activity: [number[], number[]] = [[], []];

  addSample(sample: MouthSample): void {
    this.pending.push(sample);
  }

  /** A planned frame, in time order. */
  addFrame(t: number, panels: readonly [Rect | null, Rect | null]): void {
    let taken = 0;
    while (taken < this.pending.length && this.pending[taken]!.t <= t + 1e-3) taken++;
    for (const sample of this.pending.splice(0, taken)) {
      const c = rectCentre(sample.box);
      const holding = ([0, 1] as const).filter((p) => panels[p] && pointInRect(c, panels[p]));
      if (holding.length === 0) continue;
      const panel = nearestByCentre(holding, (p) => panels[p]!, c, Infinity)!;
      this.times[panel].push(sample.t);
      this.activity[panel].push(sample.activity);
    }
  }

  series(): [MouthSeries, MouthSeries] {
    return [
      { times: this.times[0], activity: this.activity[0] },
      { times: this.times[1], activity: this.activity[1] },
    ];
  }
}
