// What each panel shows in one output frame, and when a person counts as away: shared by the
// framing core (stream-plan.ts) and the review.
import { cropRect, singleCrop, type CropView } from '../geometry/crop';
import type { Rect, Size } from '../geometry/rect';
import { roundRect } from './tracks-file';

/**
 * What a panel shows while its person is away for a while:
 * `keep` — the person's last framing (the empty chair); `full-width` — the person still on screen
 * takes the whole output. Either way, in a shot where one person never appears (after a cut to a
 * close-up, say) the other is shown full-width: a framing from another shot would show nobody.
 */
export type MissingPolicy = 'keep' | 'full-width';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['keep', 'full-width'];

/**
 * The stretches between consecutive sightings (times, ascending), counting from `start` and to
 * `end`. A sighting at either end of a stretch still shows the person; the time between is unseen.
 */
export function sightingGaps(start: number, seenTimes: readonly number[], end: number): [number, number][] {
  const bounds = [start, ...seenTimes, end];
  const gaps: [number, number][] = [];
  for (let i = 1; i < bounds.length; i++) gaps.push([bounds[i - 1]!, bounds[i]!]);
  return gaps;
}

/**
 * The crops of one output frame. Two people: one crop each, with the panel's aspect and the same
 * head size (when one crop has to be pulled in to fit the source, the other is zoomed to match).
 * One person: their crop fills the whole output (the other panel is null), padded where their face
 * is too big for the output even at full height (see singleCrop). Nobody: the whole
 * picture, as large as the output's aspect allows.
 */
export function framePanels(
  view0: CropView | null,
  view1: CropView | null,
  panelAspectRatio: number,
  outputAspect: number,
  source: Size,
): [Rect | null, Rect | null] {
  if (view0 && view1) {
    const fit = (v: CropView) => Math.min(1, source.width / (v.h * panelAspectRatio), source.height / v.h);
    const k = Math.min(fit(view0), fit(view1));
    return [
      roundRect(cropRect({ ...view0, h: view0.h * k }, panelAspectRatio, source)),
      roundRect(cropRect({ ...view1, h: view1.h * k }, panelAspectRatio, source)),
    ];
  }
  if (view0) return [roundRect(singleCrop(view0, outputAspect, source)), null];
  if (view1) return [null, roundRect(singleCrop(view1, outputAspect, source))];
  const whole = cropRect({ cx: source.width / 2, cy: source.height / 2, h: source.height }, outputAspect, source);
  return [roundRect(whole), null];
}
