// Scores a tracks file against ground-truth face boxes: is each person inside their panel, do
// panels swap people, is the face centred, is the camera calmer than the face? Pure, so the
// command line (`npm run score`) and the tests use the same figures.
import { intersection, rectArea, rectCentre, type Rect } from '../src/geometry/rect';
import { shotIndexAt } from '../src/framing/shots';
import type { TracksFile } from '../src/framing/tracks-file';

/** One ground-truth box: frame index (0-based, presentation order), person id, box in source pixels. */
export interface TruthBox {
  frame: number;
  id: string;
  box: Rect;
}

/**
 * DarkLabel CSV: `frame,label,id,x1,y1,x2,y2,flag` per line (a header line and blank lines are
 * skipped). The person id is `label:id` so ids of different labels stay apart.
 */
export function parseDarkLabelCsv(text: string): TruthBox[] {
  const boxes: TruthBox[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 7 || !/^\d+$/.test(cells[0]!)) {
      if (line.trim() !== '' && index > 0) throw new Error(`line ${index + 1} is not frame,label,id,x1,y1,x2,y2[,flag]: ${line}`);
      return;
    }
    const [frame, label, id, x1, y1, x2, y2] = cells;
    const n = [x1, y1, x2, y2].map(Number);
    if (n.some((v) => !Number.isFinite(v))) throw new Error(`line ${index + 1} has a box that is not numbers: ${line}`);
    boxes.push({ frame: Number(frame), id: `${label}:${id}`, box: { x: n[0]!, y: n[1]!, w: n[2]! - n[0]!, h: n[3]! - n[1]! } });
  });
  return boxes;
}

/** dlib imglab XML: per image file, its boxes (boxes marked ignore='1' left out). */
export function parseDlibXml(text: string): Map<string, Rect[]> {
  const images = new Map<string, Rect[]>();
  for (const image of text.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
    const boxes: Rect[] = [];
    for (const box of image[2]!.matchAll(/<box ([^>]*?)\/?>/g)) {
      const attributes = Object.fromEntries([...box[1]!.matchAll(/(\w+)='([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
      if (attributes['ignore'] === '1') continue;
      boxes.push({ x: Number(attributes['left']), y: Number(attributes['top']), w: Number(attributes['width']), h: Number(attributes['height']) });
    }
    images.set(image[1]!, boxes);
  }
  return images;
}

export interface FramingScore {
  /** The two ground-truth people scored (most frames first) and the panel each belongs to. */
  people: { id: string; panel: 0 | 1; frames: number }[];
  /** Share of (frame, person) where ≥ 90 % of the face box lies inside that person's crop. */
  containment: number;
  /** Times a person's face moved into the other panel's crop and stayed there (per frame changes). */
  swaps: number;
  /** Median |face centre − crop centre| horizontally, relative to the crop width. */
  medianCentreOffset: number;
  /** Mean |second difference| of the crop centre relative to the crop width, cuts left out. */
  jitter: number;
  /** The same for a crop that follows the ground-truth box frame by frame (the bar to be under). */
  truthJitter: number;
  framesScored: number;
  /**
   * Shots in which a person appears (in the ground truth) but is inside their crop in fewer than
   * half of their frames there: the shot did not show them. Shot indexes as in the tracks file.
   */
  shotsMissed: { id: string; shot: number; frames: number; contained: number }[];
}

/** Share of `box`'s area inside `crop`. */
export function containedShare(box: Rect, crop: Rect | null): number {
  if (!crop) return 0;
  const area = rectArea(box);
  return area > 0 ? rectArea(intersection(box, crop)) / area : 0;
}

export function scoreFraming(tracks: TracksFile, truth: readonly TruthBox[]): FramingScore {
  const byId = new Map<string, Map<number, Rect>>();
  for (const t of truth) {
    if (t.frame < 0 || t.frame >= tracks.frames.length) continue;
    let frames = byId.get(t.id);
    if (!frames) byId.set(t.id, (frames = new Map<number, Rect>()));
    frames.set(t.frame, t.box);
  }
  // The two people on screen longest are the two the panels are for.
  const ids = [...byId.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, 2);
  // Which crop holds the face best, per frame: 0, 1, or null (neither holds half of it). A frame
  // with one crop shows it over the whole output: it counts for the person it shows, whichever
  // panel holds it, so it says nothing about panels (null).
  const bestPanel = (frame: number, box: Rect): 0 | 1 | null => {
    const panels = tracks.frames[frame]!.panels;
    if (!panels[0] || !panels[1]) return null;
    const a = containedShare(box, panels[0]);
    const b = containedShare(box, panels[1]);
    if (Math.max(a, b) < 0.5) return null;
    return a >= b ? 0 : 1;
  };
  const people = ids.map(([id, frames]) => {
    const votes = [0, 0];
    for (const [frame, box] of frames) {
      const best = bestPanel(frame, box);
      if (best !== null) votes[best]!++;
    }
    const panel: 0 | 1 = votes[1]! > votes[0]! ? 1 : 0;
    return { id, frames, panel };
  });
  // Two people voting for the same panel: the one with the weaker claim takes the other panel.
  if (people.length === 2 && people[0]!.panel === people[1]!.panel) people[1]!.panel = people[0]!.panel === 0 ? 1 : 0;

  const shotStarts = tracks.shots ?? [0];
  const shotStart = new Set(shotStarts);
  const shotOf = (frame: number) => shotIndexAt(shotStarts, frame);
  const perShot = new Map<string, { id: string; shot: number; frames: number; contained: number }>();
  let contained = 0;
  let scored = 0;
  let swaps = 0;
  const offsets: number[] = [];
  const jitters: number[] = [];
  const truthJitters: number[] = [];
  for (const person of people) {
    let previousBest: 0 | 1 | null = null;
    const frames = [...person.frames.keys()].sort((a, b) => a - b);
    for (const frame of frames) {
      const box = person.frames.get(frame)!;
      const panels = tracks.frames[frame]!.panels;
      // A full-width frame shows its one crop to everyone: the person is shown if they are in it.
      const crop = panels[person.panel] ?? panels[person.panel === 0 ? 1 : 0];
      scored++;
      const inside = containedShare(box, crop) >= 0.9;
      if (inside) contained++;
      const key = `${person.id}@${shotOf(frame)}`;
      const shot = perShot.get(key) ?? { id: person.id, shot: shotOf(frame), frames: 0, contained: 0 };
      shot.frames++;
      if (inside) shot.contained++;
      perShot.set(key, shot);
      if (crop) offsets.push(Math.abs(rectCentre(box).x - rectCentre(crop).x) / crop.w);
      const best = bestPanel(frame, box);
      if (best !== null) {
        if (previousBest !== null && best !== previousBest) swaps++;
        previousBest = best;
      }
    }
    // Jitter over runs of three consecutive frames inside one shot where the crop is shown.
    for (const frame of frames) {
      if (shotStart.has(frame) || shotStart.has(frame + 1)) continue;
      const three = [frame - 1, frame, frame + 1];
      const crops = three.map((f) => tracks.frames[f]?.panels[person.panel] ?? null);
      const boxes = three.map((f) => person.frames.get(f) ?? null);
      if (crops.some((c) => !c) || boxes.some((b) => !b)) continue;
      const [a, b, c] = crops as [Rect, Rect, Rect];
      const second = (p: number, q: number, r: number) => Math.abs(r - 2 * q + p);
      jitters.push(second(rectCentre(a).x, rectCentre(b).x, rectCentre(c).x) / b.w);
      const [ta, tb, tc] = boxes as [Rect, Rect, Rect];
      truthJitters.push(second(rectCentre(ta).x, rectCentre(tb).x, rectCentre(tc).x) / b.w);
    }
  }
  const mean = (v: number[]) => (v.length ? v.reduce((x, y) => x + y, 0) / v.length : 0);
  offsets.sort((a, b) => a - b);
  return {
    people: people.map((p) => ({ id: p.id, panel: p.panel, frames: p.frames.size })),
    containment: scored ? contained / scored : 0,
    swaps,
    medianCentreOffset: offsets[Math.floor(offsets.length / 2)] ?? 0,
    jitter: mean(jitters),
    truthJitter: mean(truthJitters),
    framesScored: scored,
    shotsMissed: [...perShot.values()].filter((s) => s.contained * 2 < s.frames),
  };
}

export interface RecallScore {
  truthBoxes: number;
  found: number;
  recall: number;
  /** Detections that match no ground-truth box. */
  extra: number;
}

/** A ground-truth face counts as found when a detection's centre lies in it (and vice versa for extras). */
export function scoreDetections(truth: readonly Rect[], detections: readonly Rect[]): RecallScore {
  const inside = (p: { x: number; y: number }, r: Rect) => p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
  const found = truth.filter((t) => detections.some((d) => inside(rectCentre(d), t))).length;
  const extra = detections.filter((d) => !truth.some((t) => inside(rectCentre(d), t))).length;
  return { truthBoxes: truth.length, found, recall: truth.length ? found / truth.length : 1, extra };
}

/** How two tracks files of one video (one pass and two passes, say) agree, frame by frame. */
export interface PassesAgreement {
  frames: number;
  /** Frames with two crops (a split screen) in each. */
  twoCrops: [number, number];
  /** Frames where both show as many crops, and each panel's crops are within half a crop width of each other. */
  same: number;
}

/** Pure: `a` against `b`, frame by frame (the shorter's length). */
export function comparePasses(a: TracksFile, b: TracksFile): PassesAgreement {
  const frames = Math.min(a.frames.length, b.frames.length);
  const twoCrops: [number, number] = [0, 0];
  let same = 0;
  for (let i = 0; i < frames; i++) {
    const pa = a.frames[i]!.panels;
    const pb = b.frames[i]!.panels;
    if (pa[0] && pa[1]) twoCrops[0]++;
    if (pb[0] && pb[1]) twoCrops[1]++;
    const close = (x: Rect | null, y: Rect | null) => (!x && !y) || (!!x && !!y && Math.abs(rectCentre(x).x - rectCentre(y).x) <= Math.max(x.w, y.w) / 2);
    // A single crop fills the output whichever panel holds it.
    const single = (p: typeof pa) => (p[0] && !p[1] ? p[0] : !p[0] && p[1] ? p[1] : null);
    const sa = single(pa);
    const sb = single(pb);
    if (sa && sb ? close(sa, sb) : close(pa[0], pb[0]) && close(pa[1], pb[1])) same++;
  }
  return { frames, twoCrops, same };
}
