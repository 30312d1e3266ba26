// From detections to the tracks file: identities, one virtual camera per person, crops per frame.
import { cropRect, halfFrameCrop, viewForFace, type CropView } from '../geometry/crop';
import { panelAspect, type Layout } from '../geometry/layout';
import type { Rect, Size } from '../geometry/rect';
import { cameraPath } from './camera';
import { assignIdentities } from './identity';
import { roundRect, roundTime, type TracksFile } from './tracks-file';
import type { DetectionSample } from './types';

export interface PlanInput {
  sourceFile: string;
  source: Size;
  fps: number;
  /** Presentation times of every frame, seconds, ascending. */
  frameTimes: readonly number[];
  samples: readonly DetectionSample[];
  outputFile: string;
  output: Size;
  layout: Layout;
}

/** Decides what each panel shows in every frame. Pure: the same detections give the same file. */
export function planTracks(input: PlanInput): TracksFile {
  const aspect = panelAspect(input.layout, input.output);
  const pairs = assignIdentities(input.samples);
  const sampleTimes = input.samples.map((s) => s.t);
  const paths: (CropView[] | null)[] = [0, 1].map((p) => {
    const targets = pairs.map((pair) => {
      const face = pair[p];
      return face ? viewForFace(face.box) : null;
    });
    return cameraPath(sampleTimes, targets, input.frameTimes, input.fps);
  });
  const frames = input.frameTimes.map((t, i) => {
    const panels = [0, 1].map((p): Rect => {
      const view = paths[p]?.[i];
      // Someone never seen: show their likely half of the frame rather than nothing.
      return view ? cropRect(view, aspect, input.source) : halfFrameCrop(p as 0 | 1, aspect, input.source);
    });
    return { t: roundTime(t), panels: [roundRect(panels[0]!), roundRect(panels[1]!)] as [Rect, Rect] };
  });
  return {
    version: 1,
    source: {
      file: input.sourceFile,
      width: input.source.width,
      height: input.source.height,
      frames: input.frameTimes.length,
      fps: Math.round(input.fps * 1000) / 1000,
    },
    output: { file: input.outputFile, width: input.output.width, height: input.output.height, layout: input.layout },
    frames,
  };
}
