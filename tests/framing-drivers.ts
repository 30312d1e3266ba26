// The framing core's one-pass driver for tests: the StreamPlanner fed as the analysis feeds it,
// to compare against the whole-video driver (plan.ts) on the same detections.
import { castFromSamples, type Cast } from '../src/framing/cast';
import type { PlanInput } from '../src/framing/plan';
import { StreamPlanner, type PlannedFrame } from '../src/framing/stream-plan';
import type { DetectionSample } from '../src/framing/types';

/** Feeds the planner as the analysis would: frames and detections as they come, cuts and "settled" lagging behind. */
export function stream(
  input: PlanInput,
  options: { lag?: number; window?: number; cast?: Cast; looks?: readonly DetectionSample[] } = {},
): { frames: PlannedFrame[]; planner: StreamPlanner; maxHeld: number } {
  // The cast from a look every few seconds, as the job takes it from key frames, unless given.
  const looks = options.looks ?? input.samples.filter((_, i) => i % 12 === 0);
  const planner = new StreamPlanner({
    source: input.source,
    fps: input.fps,
    output: input.output,
    layout: input.layout,
    cast: options.cast ?? castFromSamples(looks),
    ...(input.missingPolicy ? { missingPolicy: input.missingPolicy } : {}),
    ...(options.window ? { windowSeconds: options.window } : {}),
  });
  const lag = options.lag ?? 0.8;
  const frames: PlannedFrame[] = [];
  const cuts = [...(input.cuts ?? [])];
  let s = 0;
  let maxHeld = 0;
  for (const t of input.frameTimes) {
    planner.addFrame(t);
    while (s < input.samples.length && input.samples[s]!.t <= t) planner.addSample(input.samples[s++]!);
    while (cuts.length > 0 && cuts[0]! <= t - lag) planner.addCut(cuts.shift()!);
    frames.push(...planner.advance(t - lag));
    maxHeld = Math.max(maxHeld, planner.held.frames);
  }
  for (const c of cuts) planner.addCut(c);
  frames.push(...planner.finish());
  return { frames, planner, maxHeld };
}
