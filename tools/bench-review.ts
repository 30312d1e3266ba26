// `npm run bench:review [-- --minutes N] [--runs N]`
// What the page's review costs for a long video, measured on the review's own functions with a
// synthetic analysis of N minutes (60) of a 1080p30 two-person talk: detections 4 times a second,
// a cut every 20 s, a third person now and then. Prints the median of each over the runs:
//   - the first plan (in the analysis worker), and the review's data crossing to the page (a structured clone);
//   - an edit that re-plans (swapping the panels), and a crop edit (the plan kept, the edit applied);
//   - finding the frame shown at a time (the preview does this for every frame it presents).
import { frameIndexAt } from '../src/app/preview/geometry';
import { reframe } from '../src/app/reframe';
import { addNudge } from '../src/framing/edits';
import { plan, type PlanInput } from '../src/framing/plan';
import type { DetectionSample } from '../src/framing/types';
import type { ReviewData } from '../src/job/protocol';
import { median } from './bench-input';

function parse(argv: string[]): { minutes: number; runs: number } {
  let minutes = 60;
  let runs = 3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--minutes') minutes = Math.max(1, Number(argv[++i]) || 60);
    else if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]) || 3);
  }
  return { minutes, runs };
}

/** A seeded generator, so every run plans the same video. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function synthetic(minutes: number): PlanInput {
  const seconds = minutes * 60;
  const random = seeded(7);
  const face = (cx: number, cy: number, size: number) => ({
    box: { x: cx - size / 2 + (random() - 0.5) * 8, y: cy - size / 2 + (random() - 0.5) * 8, w: size, h: size },
    score: 0.9,
  });
  const samples: DetectionSample[] = [];
  for (let t = 0; t < seconds; t += 0.25) {
    const drift = 40 * Math.sin(t / 30);
    const faces = [face(520 + drift, 430, 180), face(1400 - drift, 410, 190)];
    if (Math.floor(t / 45) % 4 === 1) faces.push(face(960, 300, 90));
    samples.push({ t, faces });
  }
  return {
    sourceFile: 'talk.mp4',
    source: { width: 1920, height: 1080 },
    fps: 30,
    frameTimes: Array.from({ length: seconds * 30 }, (_, i) => i / 30),
    samples,
    cuts: Array.from({ length: Math.floor(seconds / 20) - 1 }, (_, i) => 20 * (i + 1)),
    outputFile: 'talk.dualface.mp4',
    output: { width: 1920, height: 1080 },
    layout: 'side-by-side',
  };
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function main(): void {
  const { minutes, runs } = parse(process.argv.slice(2));
  const input = synthetic(minutes);
  const times: Record<string, number[]> = { plan: [], clone: [], swap: [], crop: [], lookup: [] };
  for (let run = 0; run < runs; run++) {
    const first = timed(() => plan(input));
    times.plan!.push(first.ms);
    const review: ReviewData = { input: { ...input, samples: first.value.samples }, people: first.value.people, chosen: first.value.chosen };
    const framing = reframe(review, first.value.chosen, [], false);
    times.clone!.push(timed(() => structuredClone({ review, tracks: first.value.tracks })).ms);
    const [a, b] = first.value.chosen;
    const swapped = timed(() => reframe(review, [b, a], [], false));
    times.swap!.push(swapped.ms);
    const nudges = addNudge([], { shot: 90, panel: 0, dx: 0.05, dy: 0, zoom: 1.1 });
    times.crop!.push(timed(() => reframe(review, framing.chosen, nudges, false, framing)).ms);
    const frames = framing.tracks.frames;
    const lookups = timed(() => {
      let sum = 0;
      for (let i = 0; i < 10_000; i++) sum += frameIndexAt((k) => frames[k]!.t, frames.length, (i * 0.37) % (minutes * 60));
      return sum;
    });
    times.lookup!.push(lookups.ms / 10_000);
  }
  const frames = minutes * 60 * 30;
  console.log(
    `Review of a ${minutes}-minute 1080p30 talk (${frames} frames, ${input.samples.length} detection samples, ${input.cuts!.length + 1} shots), median of ${runs}:`,
  );
  console.log(`  first plan (analysis worker):        ${median(times.plan!).toFixed(0)} ms`);
  console.log(`  review data to the page (clone):     ${median(times.clone!).toFixed(0)} ms`);
  console.log(`  swap panels (re-plan):               ${median(times.swap!).toFixed(0)} ms`);
  console.log(`  crop edit (plan kept):               ${median(times.crop!).toFixed(0)} ms`);
  console.log(`  frame shown at a time (per lookup):  ${(1000 * median(times.lookup!)).toFixed(2)} µs`);
}

main();
