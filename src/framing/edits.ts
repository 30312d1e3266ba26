// What the review lets a user change, applied to a tracks file: nudging one panel's crop for one
// shot, or from one frame to the shot's end (moved by a share of its size, zoomed), never changing
// the aspect; the crop stays within the source as the planner keeps it.
// Swapping panels and choosing people re-plan instead (plan.ts `chosen`).
import { cropRect } from '../geometry/crop';
import type { Size } from '../geometry/rect';
import { shotIndexAt } from './shots';
import { roundRect, type TracksFile } from './tracks-file';

export interface Nudge {
  /** Index into the file's shots. */
  shot: number;
  panel: 0 | 1;
  /** Move, as a share of the crop's width and height (positive: right, down). */
  dx: number;
  dy: number;
  /** Zoom factor: 1.25 shows the face 25 % larger. */
  zoom: number;
  /** Index of the frame from which the nudge applies, to the shot's end; absent: the whole shot. */
  from?: number;
}

/** The frame range [start, end) of each shot of a tracks file. */
export function shotRanges(tracks: TracksFile): [number, number][] {
  const starts = tracks.shots && tracks.shots.length > 0 ? tracks.shots : [0];
  return starts.map((start, i) => [start, starts[i + 1] ?? tracks.frames.length]);
}

/** Index of the shot holding frame `frame` of a tracks file (its shots are the frames they start at). */
export function shotOfFrame(tracks: TracksFile, frame: number): number {
  return shotIndexAt(tracks.shots ?? [], frame);
}

export function applyNudges(tracks: TracksFile, nudges: readonly Nudge[]): TracksFile {
  if (nudges.length === 0) return tracks;
  const source: Size = { width: tracks.source.width, height: tracks.source.height };
  const ranges = shotRanges(tracks);
  const frames = tracks.frames.map((frame) => ({ ...frame, panels: [...frame.panels] as typeof frame.panels }));
  for (const nudge of nudges) {
    const range = ranges[nudge.shot];
    if (!range) continue;
    for (let i = Math.max(range[0], nudge.from ?? 0); i < range[1]; i++) {
      const frame = frames[i]!;
      const crop = frame.panels[nudge.panel];
      if (!crop) continue;
      const view = { cx: crop.x + crop.w * (0.5 + nudge.dx), cy: crop.y + crop.h * (0.5 + nudge.dy), h: crop.h / Math.max(0.1, nudge.zoom) };
      frame.panels[nudge.panel] = roundRect(cropRect(view, crop.w / crop.h, source));
    }
  }
  return { ...tracks, frames };
}

/** Adds a nudge to a list, merging it with an earlier one for the same shot, panel and first frame. */
export function addNudge(nudges: readonly Nudge[], add: Nudge): Nudge[] {
  const existing = nudges.find((n) => n.shot === add.shot && n.panel === add.panel && n.from === add.from);
  if (!existing) return [...nudges, add];
  return nudges.map((n) => (n === existing ? { ...n, dx: n.dx + add.dx, dy: n.dy + add.dy, zoom: n.zoom * add.zoom } : n));
}
