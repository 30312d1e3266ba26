// The tracks file: the contract between analysis and render, and what users save, edit and score.
// Schema version 1; later versions may add fields but never change these.
import type { Layout } from '../geometry/layout';
import type { Rect } from '../geometry/rect';
import { shotIndexAt } from './shots';

export interface TracksFile {
  version: 1;
  source: { file: string; width: number; height: number; frames: number; fps: number };
  output: { file: string; width: number; height: number; layout: Layout };
  /** Index of the first frame of each shot (cuts found by the analysis); optional. */
  shots?: number[];
  /**
   * Indexes into `shots` of the shots where a face is too big for the output even at full height:
   * its crop reaches outside the source and the part outside is shown black. Optional.
   */
  padded?: number[];
  /**
   * Source-time spans [start, end) cut out of the output (nobody on screen for long enough, with the
   * trim-empty option): their frames have no entry, their audio is dropped, what follows moves earlier.
   */
  trimmed?: [number, number][];
  /**
   * Who speaks when (the speech setting): source-time spans in seconds, each with the panel whose
   * person speaks; spans of the two panels may overlap (both talk). Time nobody on screen speaks in
   * is in no span. Optional.
   */
  speech?: { panel: 0 | 1; start: number; end: number }[];
  /** One entry per output frame, in presentation order. */
  frames: TracksFrame[];
}

/** A detected face drawn by the debug overlay: `person` 0 or 1 is the panel's person, null anyone else. */
export interface OverlayFace {
  x: number;
  y: number;
  w: number;
  h: number;
  person: 0 | 1 | null;
}

export interface TracksFrame {
  /** Presentation time, seconds. */
  t: number;
  /**
   * The source region (source pixels) shown in panel 0 and panel 1. Both set: each fills its panel
   * (crops have the panel's aspect). One null: the other crop fills the whole output (it has the
   * output's aspect). Both null: a black frame.
   */
  panels: [Rect | null, Rect | null];
  /** The faces detected nearest before this frame, only when the debug overlay is on. */
  faces?: OverlayFace[];
}

/** Rounds for a compact file; a hundredth of a pixel or of a microsecond is far below what is visible. */
export function roundRect(r: Rect): Rect {
  const round = (v: number) => Math.round(v * 100) / 100;
  return { x: round(r.x), y: round(r.y), w: round(r.w), h: round(r.h) };
}

export function roundTime(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

/** Checks a parsed JSON value against schema version 1; returns the problem in words, or null. */
export function tracksFileProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (v['version'] !== 1) return `unsupported version ${JSON.stringify(v['version'])} (expected 1)`;
  const source = v['source'] as Record<string, unknown> | undefined;
  if (!source || typeof source['width'] !== 'number' || typeof source['height'] !== 'number') {
    return 'missing source width/height';
  }
  const output = v['output'] as Record<string, unknown> | undefined;
  if (!output || typeof output['width'] !== 'number' || typeof output['height'] !== 'number') {
    return 'missing output width/height';
  }
  if (output['layout'] !== 'side-by-side' && output['layout'] !== 'stacked') return 'output layout must be side-by-side or stacked';
  const frames = v['frames'];
  if (!Array.isArray(frames)) return 'missing frames list';
  const srcW = source['width'];
  const srcH = source['height'];
  if (!(srcW > 0 && srcH > 0)) return 'the source width and height must be positive';
  const outW = output['width'];
  const outH = output['height'];
  const panelAspect = output['layout'] === 'side-by-side' ? outW / 2 / outH : outW / (outH / 2);
  const shots = Array.isArray(v['shots']) ? (v['shots'] as unknown[]) : [0];
  const padded = v['padded'];
  if (padded !== undefined && (!Array.isArray(padded) || !padded.every((s) => Number.isInteger(s) && (s as number) >= 0 && (s as number) < shots.length))) {
    return '"padded" must list shot indexes (into "shots")';
  }
  const speech = v['speech'];
  const isTurn = (t: unknown) => {
    const turn = t as Record<string, unknown> | null;
    return (
      typeof turn === 'object' &&
      turn !== null &&
      (turn['panel'] === 0 || turn['panel'] === 1) &&
      typeof turn['start'] === 'number' &&
      typeof turn['end'] === 'number' &&
      turn['start'] >= 0 &&
      turn['end'] > turn['start']
    );
  };
  if (speech !== undefined && (!Array.isArray(speech) || !speech.every(isTurn)))
    return '"speech" must list {"panel": 0 or 1, "start", "end"} spans (seconds, end after start)';
  const paddedShots = new Set((padded as number[] | undefined) ?? []);
  const paddedFrame = (frame: number) => paddedShots.has(shotIndexAt(shots as number[], frame));
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i] as Record<string, unknown> | null;
    if (!f || typeof f['t'] !== 'number' || !Array.isArray(f['panels']) || f['panels'].length !== 2) {
      return `frame ${i} must have a time t and two panels`;
    }
    for (const p of f['panels'] as unknown[]) {
      if (p === null) continue;
      const r = p as Record<string, unknown>;
      if (!['x', 'y', 'w', 'h'].every((k) => typeof r[k] === 'number')) return `frame ${i} has a panel that is not {x,y,w,h}`;
      if ((r['w'] as number) <= 0 || (r['h'] as number) <= 0) return `frame ${i} has an empty panel rectangle`;
      const outside = cropOutside(r as unknown as Rect, srcW, srcH);
      if (outside && !paddedFrame(i)) return `frame ${i}: a crop reaches ${outside} of the ${srcW}x${srcH} source, in a shot not listed in "padded"`;
      if (outside && overlap(r as unknown as Rect, srcW, srcH) <= 0) return `frame ${i}: a crop lies wholly outside the ${srcW}x${srcH} source`;
    }
    // A crop of another aspect than where it is shown would stretch the picture.
    const shown = (f['panels'] as (Record<string, number> | null)[]).filter((p) => p !== null);
    const expected = shown.length === 2 ? panelAspect : outW / outH;
    for (const r of shown) {
      // Crops are rounded to 1/100 px: allow that much on each side.
      const aspect = r['w']! / r['h']!;
      const tolerance = 0.02 / Math.min(r['w']!, r['h']!) + 0.01;
      if (Math.abs(aspect / expected - 1) > tolerance) {
        return `frame ${i}: a crop of aspect ${aspect.toFixed(3)} would be stretched into a ${shown.length === 2 ? 'panel' : 'full output'} of aspect ${expected.toFixed(3)}`;
      }
    }
  }
  return null;
}

/** Crops are rounded to 1/100 px; a pixel of slack is generous for that and still catches any mistake. */
const CROP_SLACK = 1;

/** Where a crop leaves the source ("12 px past the right edge"), or null when it lies inside. */
function cropOutside(r: Rect, width: number, height: number): string | null {
  const over: [string, number][] = [
    ['left', -r.x],
    ['top', -r.y],
    ['right', r.x + r.w - width],
    ['bottom', r.y + r.h - height],
  ];
  const [edge, by] = over.reduce((a, b) => (b[1] > a[1] ? b : a));
  return by > CROP_SLACK ? `${Math.round(by)} px past the ${edge} edge` : null;
}

/** Area of a crop inside the source. */
function overlap(r: Rect, width: number, height: number): number {
  return Math.max(0, Math.min(width, r.x + r.w) - Math.max(0, r.x)) * Math.max(0, Math.min(height, r.y + r.h) - Math.max(0, r.y));
}

/** What a video is, for checking that a tracks file was made for it. */
export interface VideoFacts {
  /** The upright picture sizes the video may be described by (e.g. coded and square-pixel). */
  sizes: readonly { width: number; height: number }[];
  frames: number;
}

/** Why a (valid) tracks file does not belong to this video, in words, or null when it does. */
export function tracksMismatch(tracks: TracksFile, video: VideoFacts): string | null {
  const { width, height, frames } = tracks.source;
  const shown = video.sizes[0]!;
  if (!video.sizes.some((s) => s.width === width && s.height === height)) {
    return `it was made for a ${width}x${height} video; this one is ${shown.width}x${shown.height}`;
  }
  if (typeof frames === 'number' && frames !== video.frames) {
    return `it was made for a video of ${frames} frames; this one has ${video.frames}`;
  }
  // One entry a frame, but for the spans trim-empty cut out.
  const listed = tracks.frames.length;
  const trimmed = (tracks.trimmed ?? []).length > 0;
  if (trimmed ? listed > video.frames : listed !== video.frames) {
    return `it lists ${listed} frames; this video has ${video.frames}`;
  }
  return null;
}

/** How deep a tracks file nests: the file, "frames", a frame, "panels", a crop. */
const TRACKS_DEPTH = 5;
const MAX_DEPTH = TRACKS_DEPTH + 3;

/**
 * Pure: why `text` cannot be a tracks file, found without parsing it (a parse of a deeply nested or
 * huge file takes far more memory than the file): not an object, nested deeper than a tracks file.
 */
export function tracksTextProblem(text: string): string | null {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{') return 'not a JSON object';
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep (a tracks file nests ${TRACKS_DEPTH})`;
    } else if (c === 125 || c === 93) depth--;
  }
  return null;
}

/** Bytes a frame's entry takes at most, with room to spare (two crops, a face list for the overlay). */
const BYTES_PER_FRAME = 4096;

/** Pure: why a tracks file of `bytes` is too large for the frames it lists, or null. */
export function tracksSizeProblem(bytes: number, frames: number): string | null {
  const allowed = (1 << 20) + frames * BYTES_PER_FRAME;
  if (bytes <= allowed) return null;
  return `${(bytes / 1e6).toFixed(1)} MB, far more than its ${frames} frames need`;
}

/** What the tracks file's header needs to know of a plan (see tracksHeader). */
export interface TracksHeaderInput {
  sourceFile: string;
  source: { width: number; height: number };
  fps: number;
  outputFile: string;
  output: { width: number; height: number };
  layout: Layout;
}

/**
 * The tracks file without its frames, from what was planned: the source (with the frames read), the
 * output, the frame numbers where shots start, and the shots with a crop that pads. One place for
 * both passes, so their files agree field by field.
 */
export function tracksHeader(
  input: TracksHeaderInput,
  frames: number,
  planned: { shotStarts: readonly number[]; padded: readonly number[] },
): Omit<TracksFile, 'frames'> {
  return {
    version: 1,
    source: { file: input.sourceFile, width: input.source.width, height: input.source.height, frames, fps: Math.round(input.fps * 1000) / 1000 },
    output: { file: input.outputFile, width: input.output.width, height: input.output.height, layout: input.layout },
    shots: [...planned.shotStarts],
    ...(planned.padded.length > 0 ? { padded: [...planned.padded] } : {}),
  };
}
