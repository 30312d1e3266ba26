// What a face search looks for and reports, and how the small-face search is paced: plain data and
// pure logic shared by the analysis (in the job worker) and the detection workers. Kept apart from
// face-finder.ts so the job worker's bundle does not carry MediaPipe.
import type { Rect } from '../geometry/rect';
import type { Face } from '../framing/types';
import { detectionDue } from '../core/timing';

/** What to look for in one picture. */
export interface SearchOptions {
  /** Frame-height squares as well as the whole picture (false: the whole picture only). */
  tiles: boolean;
  /** When fewer than two faces are found: look again in smaller squares, for small faces (costly). */
  smallFaces: boolean;
  /** Where faces were last seen: one missed by the general search (small, turned away) is looked for in a close-up around each. */
  hints: readonly Rect[];
  /** Describe each face's likeness too (see likeness.ts): costly, so asked a few times a second, not of every sample. */
  likeness?: boolean;
}

/** A single picture, searched as closely as we can. */
export const WHOLE_SEARCH: SearchOptions = { tiles: true, smallFaces: true, hints: [], likeness: true };

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

/**
 * Paces the likeness (see likeness.ts): right after a cut, so a new shot's people are known at
 * once, then at gaps that double from `firstGap` to `mostGap` while the shot and the number of faces
 * in it stay the same. Identity compares tracklets by their mean likeness, so a steady shot needs a few
 * descriptions, not two a second; a face that comes or goes (someone enters, a track breaks) starts
 * the short gaps again, so its tracklet is described soon.
 */
export class LikenessPacer {
  private last = -Infinity;
  private gap: number;
  private faces = -1;

  constructor(
    private readonly firstGap = 0.5,
    private readonly mostGap = 2,
  ) {
    this.gap = firstGap;
  }

  /** `faces`: how many faces the latest answer collected holds. */
  due(t: number, cut: boolean, faces: number): boolean {
    if (cut || faces !== this.faces) this.gap = this.firstGap;
    this.faces = faces;
    if (!cut && t - this.last < this.gap) return false;
    if (!cut) this.gap = Math.min(this.mostGap, this.gap * 2);
    this.last = t;
    return true;
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
  /** Faces described by the likeness network (see likeness.ts), and its time on them, seconds. */
  described: number;
  likenessSeconds: number;
}

export function noEffort(): DetectionEffort {
  return { tiles: 0, drawSeconds: 0, networkSeconds: 0, described: 0, likenessSeconds: 0 };
}

/** How far a face may move between two answers, in its heights (and its size, as a ratio), and still count as still. */
const STILL_MOVE = 0.02;

/** Two answers show the same faces where they were: as many, each within STILL_MOVE of one in the other. */
export function sameFaces(a: readonly Rect[], b: readonly Rect[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  return a.every((box) =>
    b.some((other) => {
      const h = Math.max(1, other.h);
      const dx = box.x + box.w / 2 - (other.x + other.w / 2);
      const dy = box.y + box.h / 2 - (other.y + other.h / 2);
      return Math.hypot(dx, dy) / h <= STILL_MOVE && Math.abs(Math.log(Math.max(1, box.h) / h)) <= STILL_MOVE;
    }),
  );
}

/**
 * Detection that costs what the picture needs: at the full rate at the start, after a cut and while
 * faces or the picture move; while the last answers found the same faces in the same places and the
 * picture has not changed since, once a second (`stillRate`). Answers are recorded in the order asked,
 * so the pacing is the same on every run.
 */
export class DetectionPacer {
  private last: number | null = null;
  private previous: Rect[] | null = null;
  private still = false;

  constructor(
    private readonly rate: number,
    private readonly stillRate = Math.min(rate, 1),
  ) {}

  /** Whether to detect the frame at `t`; `moved`: the picture changed since the last detection. */
  due(t: number, moved: boolean): boolean {
    const rate = this.still && !moved ? this.stillRate : this.rate;
    return detectionDue(t, this.last, rate);
  }

  asked(t: number): void {
    this.last = t;
  }

  /** The faces of the next answer, in the order asked. */
  answered(faces: readonly Rect[]): void {
    this.still = this.previous !== null && sameFaces(this.previous, faces);
    this.previous = [...faces];
  }

  /** After a cut, nothing is known to be still. */
  reset(): void {
    this.still = false;
    this.previous = null;
  }
}
