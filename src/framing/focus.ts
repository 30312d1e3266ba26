// The focus layout (`--speaker-focus`): during a long turn of one person the speaker fills the whole
// output, as an editor would cut to them; the split comes back when the other talks, when both do,
// or in quick exchanges, but not for a short "mm-hm" over the speaker's words. Pure: speaker turns in, focus stretches out, then the framing rewritten.
import { cropRect, DEFAULT_FRAMING, type Framing } from '../geometry/crop';
import { intersection, rectArea, type Rect, type Size } from '../geometry/rect';
import { mergeIntervals, overlapSeconds, subtractIntervals, type Interval } from '../core/intervals';
import type { Panel, SpeechTurn } from './speakers';

export interface FocusOptions {
  /** A person's turn must run alone at least this long to be focused, seconds. */
  minTurn: number;
  /** The cut to the speaker comes this long after their turn starts (an editor waits to be sure). */
  enterDelay: number;
  /** A focus, or a split between two, never lasts less than this: no cutting back and forth. */
  minHold: number;
  /** Pauses of the speaker shorter than this (nobody else speaking) do not end the turn. */
  bridge: number;
  /** The other panel's speech ends a turn this long before it starts (and starts it as long after). */
  margin: number;
  /** The other's words shorter than this said while the speaker speaks ("mm-hm") do not end the turn. */
  interjection: number;
}

export const DEFAULT_FOCUS: FocusOptions = { minTurn: 5, enterDelay: 0.5, minHold: 3, bridge: 1.5, margin: 0.3, interjection: 1.5 };

export interface FocusStretch {
  panel: Panel;
  start: number;
  end: number;
}

/** Where one person speaks alone long enough: the stretches they fill the output. */
export function focusStretches(turns: readonly SpeechTurn[], options: FocusOptions = DEFAULT_FOCUS): FocusStretch[] {
  const o = options;
  const stretches: FocusStretch[] = [];
  for (const panel of [0, 1] as const) {
    const mine = turns.filter((t) => t.panel === panel);
    const own = mergeIntervals(mine, o.bridge);
    // An interjection over the speaker's own words (at least half of it) is no exchange.
    const overMine = (t: Interval) => mine.reduce((sum, m) => sum + overlapSeconds(m, t), 0) >= (t.end - t.start) / 2;
    const interrupting = turns.filter((t) => t.panel !== panel && !(t.end - t.start < o.interjection && overMine(t)));
    const other = mergeIntervals(
      interrupting.map((t) => ({ start: t.start - o.margin, end: t.end + o.margin })),
      0,
    );
    for (const solo of subtractIntervals(own, other)) {
      if (solo.end - solo.start < o.minTurn) continue;
      const start = solo.start + o.enterDelay;
      if (solo.end - start >= o.minHold) stretches.push({ panel, start, end: solo.end });
    }
  }
  stretches.sort((a, b) => a.start - b.start);
  // A split shorter than the hold between two focuses: the same person stays; another is cut to
  // directly, as they start to speak (the one before held until then, never into their words).
  const out: FocusStretch[] = [];
  for (const s of stretches) {
    const last = out[out.length - 1];
    if (last && s.start - last.end < o.minHold) {
      if (last.panel === s.panel) {
        last.end = Math.max(last.end, s.end);
        continue;
      }
      const cut = Math.max(last.end, s.start - o.enterDelay);
      last.end = cut;
      out.push({ ...s, start: cut });
      continue;
    }
    out.push({ ...s });
  }
  return out;
}

/** Where the face sits in a panel's crop (see crop.ts: its height over the headroom, 42 % down), a quarter larger each way. */
function faceIn(crop: Rect, framing: Framing = DEFAULT_FRAMING): Rect {
  const size = (crop.h / framing.headroomScale) * 1.5;
  return { x: crop.x + crop.w / 2 - size / 2, y: crop.y + framing.faceCentreFromTop * crop.h - size / 2, w: size, h: size };
}

/**
 * A frame's crops with its focus applied: the speaker's crop widened (or narrowed) to the output's
 * aspect about the same centre and height, so their face keeps its size, and the other panel empty;
 * zoomed in as far as needed (to 40 % of its height at most) to leave the other person's face out.
 * A frame where the speaker has no crop, or where the other's face cannot be left out, stays split.
 */
export function focusedPanels(panels: readonly [Rect | null, Rect | null], panel: Panel, output: Size, source: Size): [Rect | null, Rect | null] {
  const crop = panels[panel];
  const other = panels[panel === 0 ? 1 : 0];
  if (!crop || !other) return [panels[0], panels[1]];
  const otherFace = faceIn(other);
  const aspect = output.width / output.height;
  for (let k = 1; k >= 0.4; k -= 0.05) {
    const whole = cropRect({ cx: crop.x + crop.w / 2, cy: crop.y + crop.h / 2, h: crop.h * k }, aspect, source);
    if (rectArea(intersection(whole, otherFace)) === 0) return panel === 0 ? [whole, null] : [null, whole];
  }
  return [panels[0], panels[1]];
}

/** Which focus stretch holds `t`, walking forward (`cursor` kept between calls, times increasing). */
export function focusAt(stretches: readonly FocusStretch[], t: number, cursor: { i: number }): FocusStretch | null {
  while (cursor.i < stretches.length && stretches[cursor.i]!.end <= t) cursor.i++;
  const s = stretches[cursor.i];
  return s && s.start <= t ? s : null;
}

/** Reads and writes a run of planned frames, in time order (a framing table, a tracks file's frames). */
export interface FocusFrames {
  length: number;
  time(i: number): number;
  panels(i: number): readonly [Rect | null, Rect | null];
  set(i: number, panels: [Rect | null, Rect | null]): void;
}

/** The focus layout over planned frames: in long single-speaker turns the speaker's crop fills the output. */
export function applyFocus(frames: FocusFrames, turns: readonly SpeechTurn[], output: Size, source: Size): void {
  const stretches = focusStretches(turns);
  const cursor = { i: 0 };
  for (let i = 0; i < frames.length; i++) {
    const stretch = focusAt(stretches, frames.time(i), cursor);
    if (stretch) frames.set(i, focusedPanels(frames.panels(i), stretch.panel, output, source));
  }
}

/** A tracks file's frames as FocusFrames. */
export function tracksFrames(frames: { t: number; panels: [Rect | null, Rect | null] }[]): FocusFrames {
  return {
    length: frames.length,
    time: (i) => frames[i]!.t,
    panels: (i) => frames[i]!.panels,
    set: (i, panels) => {
      frames[i]!.panels = panels;
    },
  };
}
