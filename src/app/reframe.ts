// The review's framing: what the analysis found, the user's choices, and the tracks file they give
// (what will be rendered). Pure apart from the clock.
import { applyNudges, type Nudge } from '../framing/edits';
import { applyFocus, tracksFrames } from '../framing/focus';
import { plan } from '../framing/plan';
import { panelTurns } from '../framing/speakers';
import type { TracksFile } from '../framing/tracks-file';
import type { ReviewData } from '../job/protocol';

export interface Framing {
  /** The analysis as it came, for re-planning. */
  review: ReviewData;
  /** The people in panel 0 and 1 now (swapped or chosen in the review). */
  chosen: [number | null, number | null];
  nudges: Nudge[];
  /** The tracks file these choices give (what will be rendered). */
  tracks: TracksFile;
  /** The same before the crop edits: what a crop edit starts from without planning again. */
  base: TracksFile;
}

/**
 * A new framing from the user's choices, re-planned from the analysis (pure apart from the clock):
 * the speaker turns of the people now in the panels, and the focus layout on them when it is on.
 */
export function reframe(review: ReviewData, chosen: [number | null, number | null], nudges: Nudge[], focus: boolean, previous?: Framing): Framing {
  const same = previous && previous.chosen[0] === chosen[0] && previous.chosen[1] === chosen[1];
  // Only a choice of people re-plans (for an hour of video, most of an edit's cost); crop edits apply to the plan as it is.
  const base = same ? previous.base : replan(review, chosen, focus);
  return { review, chosen, nudges, base, tracks: applyNudges(base, nudges) };
}

function replan(review: ReviewData, chosen: [number | null, number | null], focus: boolean): TracksFile {
  const tracks = plan({ ...review.input, chosen }).tracks;
  if (review.turns) {
    tracks.speech = panelTurns(review.turns, chosen);
    if (focus) applyFocus(tracksFrames(tracks.frames), tracks.speech, review.input.output, review.input.source);
  }
  return tracks;
}
