// Synthetic detections for tracking tests: seeded noise so failures reproduce.
import type { Rect } from '../../src/geometry/rect';
import { APPEARANCE_LENGTH, APPEARANCE_PARTS } from '../../src/framing/appearance';
import type { DetectionSample, Face } from '../../src/framing/types';

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function face(cx: number, cy: number, size: number, score = 0.9): Face {
  return { box: { x: cx - size / 2, y: cy - size / 2, w: size, h: size }, score };
}

export function jitter(box: Rect, amount: number, random: () => number): Rect {
  const d = () => (random() - 0.5) * 2 * amount;
  return { x: box.x + d(), y: box.y + d(), w: box.w + d(), h: box.h + d() };
}

/** Samples at `rate` Hz for `seconds`, each with the faces `at(t)` returns. */
export function samples(seconds: number, rate: number, at: (t: number) => Face[]): DetectionSample[] {
  return Array.from({ length: Math.round(seconds * rate) }, (_, i) => {
    const t = i / rate;
    return { t, faces: at(t) };
  });
}

/** A person's look: skin, hair and clothes histograms (each summing to 1) peaked where their colours are. */
export function look(seed: number): number[] {
  const random = seededRandom(seed);
  const bins = new Array<number>(APPEARANCE_LENGTH).fill(0);
  for (const part of Object.values(APPEARANCE_PARTS)) {
    let sum = 0;
    for (let i = part.offset; i < part.offset + part.bins; i++) sum += bins[i] = random() < 0.1 ? random() : 0.01 * random();
    for (let i = part.offset; i < part.offset + part.bins; i++) bins[i]! /= sum;
  }
  return bins;
}

/** A look as a close-up shows it: the clothes out of the picture (their histogram empty). */
export function closeUp(base: readonly number[]): number[] {
  const { offset, bins } = APPEARANCE_PARTS.body;
  return base.map((v, i) => (i >= offset && i < offset + bins ? 0 : v));
}

/** A look with one part taken from another look (two people alike in all but that). */
export function withPart(base: readonly number[], part: keyof typeof APPEARANCE_PARTS, from: readonly number[]): number[] {
  const { offset, bins } = APPEARANCE_PARTS[part];
  return base.map((v, i) => (i >= offset && i < offset + bins ? from[i]! : v));
}

/** The same look seen again: lighting and pose change the histograms a little. */
export function seenAgain(base: readonly number[], random: () => number, amount = 0.3): number[] {
  return base.map((b) => b * (1 + (random() - 0.5) * 2 * amount));
}

/** The planning input besides the detections: a 1920x1080 30 fps talk of `seconds`, rendered side by side at 1920x1080. */
export function talk(seconds: number) {
  return {
    sourceFile: 'talk.mp4',
    source: { width: 1920, height: 1080 },
    fps: 30,
    frameTimes: Array.from({ length: seconds * 30 }, (_, i) => i / 30),
    outputFile: 'talk.dualface.mp4',
    output: { width: 1920, height: 1080 },
    layout: 'side-by-side' as const,
  };
}
