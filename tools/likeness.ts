// `npm run likeness -- VIDEO [--truth BOXES.csv] [--samples SAVED.json] [--save SAVED.json] [--sheet DIR]`:
// how the face likeness (src/detect/likeness.ts) separates people in a real video. Runs the
// analysis' scan in headless Chromium, links its detections into tracklets within shots (as the
// framing does), and prints the distance between every two tracklets' mean likeness. With ground
// truth boxes (DarkLabel CSV), each tracklet is labelled with the truth person it covers and the
// same-person and different-person distances are summarised; without, `--sheet DIR` writes one
// picture of each tracklet's face (ffmpeg) to label by eye.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTracklets, type Tracklet } from '../src/framing/identity';
import { addLikeness, likenessDistance, type LikenessSum } from '../src/framing/likeness';
import { intersectionOverUnion as iou } from '../src/geometry/rect';
import { parseDarkLabelCsv } from './scoring';
import { callTool, openAutomationSession } from './session';
import { samplesAsArrays, type ScannedSamples } from './web/protocol';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function option(args: string[], name: string): string | null {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? null) : null;
}

async function scan(video: string): Promise<ScannedSamples> {
  const session = await openAutomationSession(join(root, 'dist-tools', 'web'));
  try {
    const url = session.server.addInput(resolve(video));
    return await callTool(session.tab, 'scanSamples', url, basename(video));
  } finally {
    await session.close();
  }
}

/** The truth person a tracklet's faces overlap most (IoU ≥ 0.3), by frame at `fps`. */
function truthLabel(tracklet: Tracklet, truth: ReturnType<typeof parseDarkLabelCsv>, fps: number): string | null {
  const votes = new Map<string, number>();
  for (const item of tracklet.items) {
    const frame = Math.round(item.t * fps);
    let best: { id: string; overlap: number } | null = null;
    for (const box of truth) {
      if (box.frame !== frame) continue;
      const overlap = iou(box.box, item.face.box);
      if (overlap >= 0.3 && (!best || overlap > best.overlap)) best = { id: box.id, overlap };
    }
    if (best) votes.set(best.id, (votes.get(best.id) ?? 0) + 1);
  }
  const [top] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  return top && top[1] >= tracklet.items.length / 2 ? top[0] : null;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  return sorted.length === 0 ? 'none' : `${sorted.length} pairs: min ${at(0)}, median ${at(0.5)}, max ${at(1)}`;
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const video = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1]!.startsWith('--')));
  if (!video) throw new Error('Usage: npm run likeness -- VIDEO [--truth BOXES.csv] [--samples SAVED.json] [--save SAVED.json] [--sheet DIR]');
  const saved = option(args, '--samples');
  const scanned = samplesAsArrays(saved ? (JSON.parse(readFileSync(saved, 'utf8')) as ScannedSamples) : await scan(video));
  const save = option(args, '--save');
  if (save) writeFileSync(save, JSON.stringify(scanned));
  console.log(
    `${basename(video)}: ${scanned.samples.length} samples, ${scanned.described} faces described, cuts at ${scanned.cuts.map((c) => c.toFixed(2)).join(', ') || 'none'}`,
  );
  const tracklets = buildTracklets(scanned.samples, scanned.cuts).filter((t) => t.likeness && t.likeness.count >= 2);
  const truthPath = option(args, '--truth');
  const fps = Number(option(args, '--fps') ?? 25);
  const labels = truthPath ? tracklets.map((t) => truthLabel(t, parseDarkLabelCsv(readFileSync(truthPath, 'utf8')), fps)) : tracklets.map(() => null);
  const sheet = option(args, '--sheet');
  if (sheet) mkdirSync(sheet, { recursive: true });
  tracklets.forEach((t, i) => {
    const middle = t.items[Math.floor(t.items.length / 2)]!;
    const { x, y, w, h } = middle.face.box;
    console.log(
      `T${i}: shot ${t.shot}, ${t.items[0]!.t.toFixed(2)}–${t.items[t.items.length - 1]!.t.toFixed(2)} s, ${t.likeness!.count} described, face ${Math.round(h)} px at x ${Math.round(x + w / 2)}${labels[i] ? `, truth ${labels[i]}` : ''}`,
    );
    if (sheet) {
      const crop = `crop=${Math.round(w * 1.6)}:${Math.round(h * 1.6)}:${Math.max(0, Math.round(x - w * 0.3))}:${Math.max(0, Math.round(y - h * 0.3))},scale=120:120`;
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', middle.t.toFixed(3), '-i', video, '-frames:v', '1', '-vf', crop, join(sheet, `T${i}.png`)]);
    }
  });
  const same: number[] = [];
  const other: number[] = [];
  console.log('distances between tracklets (mean likeness):');
  for (let i = 0; i < tracklets.length; i++) {
    const row: string[] = [];
    for (let j = 0; j < tracklets.length; j++) {
      const d = likenessDistance(tracklets[i]!.likeness, tracklets[j]!.likeness)!;
      row.push(d.toFixed(2));
      if (j > i && labels[i] && labels[j]) (labels[i] === labels[j] ? same : other).push(d);
    }
    console.log(`T${i}: ${row.join(' ')}`);
  }
  if (truthPath) console.log(`same person: ${summary(same)}\ndifferent people: ${summary(other)}`);
  const chunk = Number(option(args, '--chunk') ?? 2);
  const { within, together } = chunkDistances(tracklets, chunk);
  console.log(`${chunk} s stretches of one tracklet (one person): ${summary(within)}`);
  console.log(`${chunk} s stretches of two tracklets seen together (two people): ${summary(together)}`);
}

/** A tracklet's likeness over stretches of `seconds`: what a short tracklet across a cut would carry. */
function stretches(tracklet: Tracklet, seconds: number): { t: number; likeness: LikenessSum }[] {
  const out: { t: number; likeness: LikenessSum }[] = [];
  for (const item of tracklet.items) {
    if (!item.face.likeness) continue;
    const last = out[out.length - 1];
    if (last && item.t - last.t < seconds) addLikeness(last.likeness, item.face.likeness);
    else out.push({ t: item.t, likeness: addLikeness(null, item.face.likeness)! });
  }
  return out;
}

/** Distances between stretches of one tracklet, and between stretches of two tracklets that overlap in time. */
function chunkDistances(tracklets: readonly Tracklet[], seconds: number): { within: number[]; together: number[] } {
  const parts = tracklets.map((t) => stretches(t, seconds));
  const within: number[] = [];
  const together: number[] = [];
  parts.forEach((own, i) => {
    for (let a = 0; a < own.length; a++) for (let b = a + 1; b < own.length; b++) within.push(likenessDistance(own[a]!.likeness, own[b]!.likeness)!);
    tracklets.forEach((other, j) => {
      const ti = tracklets[i]!;
      if (j <= i || other.items[0]!.t > ti.items[ti.items.length - 1]!.t || ti.items[0]!.t > other.items[other.items.length - 1]!.t) return;
      for (const a of own) for (const b of parts[j]!) together.push(likenessDistance(a.likeness, b.likeness)!);
    });
  });
  return { within, together };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
