// What a face search looks for and reports, and how the small-face search is paced: plain data and
// pure logic shared by the analysis (in the job worker) and the detection workers. Kept apart from
// face-finder.ts so the job worker's bundle does not carry MediaPipe.
import type { Rect } from '../geometry/rect';
import type { Face } from '../framing/types';

/** What to look for in one picture. */
export interface SearchOptions {
  /** Frame-height squares as well as the whole picture (false: the whole picture only). */
  tiles: boolean;
  /** When fewer than two faces are found: look again in smaller squares, for small faces (costly). */
  smallFaces: boolean;
  /** Where faces were last seen: one missed by the general search (small, turned away) is looked for in a close-up around each. */
  hints: readonly Rect[];
}

/** A single picture, searched as closely as we can. */
export const WHOLE_SEARCH: SearchOptions = { tiles: true, smallFaces: true, hints: [] };

export type SmallFaceSearch = 'not-run' | 'found' | 'fruitless';

export interface SearchResult {
  faces: Face[];
  /** Whether the small-face search ran, and whether it found anyone more. */
  smallFaceSearch: SmallFaceSearch;
}

/**
 * Paces the small-face search over a video: at most every 1.5 s, and while it keeps finding nobody
 * new (a video of one person) each fruitless search doubles the wait, up to 8x.
 */
export class SmallFaceSearchPacer {
  private lastRun: number | null = null;
  private fruitless = 0;

  constructor(private readonly everySeconds = 1.5) {}

  due(t: number): boolean {
    return this.lastRun === null || t - this.lastRun >= this.everySeconds * 2 ** Math.min(3, this.fruitless);
  }

  /** What the search at `t` did. */
  record(t: number, outcome: SmallFaceSearch): void {
    if (outcome === 'not-run') return;
    this.lastRun = t;
    this.fruitless = outcome === 'found' ? 0 : this.fruitless + 1;
  }
}

/** Where detection time goes: regions looked at, and the time drawing them and in the network. */
export interface DetectionEffort {
  /** Regions handed to the network. */
  tiles: number;
  /** Drawing those regions into the network's input, seconds. */
  drawSeconds: number;
  /** The network itself (MediaPipe), seconds. */
  networkSeconds: number;
}

export function noEffort(): DetectionEffort {
  return { tiles: 0, drawSeconds: 0, networkSeconds: 0 };
}
