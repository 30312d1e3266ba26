// The app's face detector (MediaPipe BlazeFace short range, our model build, tiles) on real images.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectCentre } from '../../src/geometry/rect';
import { parseDlibXml, scoreDetections } from '../../tools/scoring';
import { DetectorPage, fixture } from './helpers';
import { buildTracklets, type Tracklet } from '../../src/framing/identity';
import { addLikeness, likenessDistance, OTHER_LIKENESS, SAME_LIKENESS } from '../../src/framing/likeness';
import { scratchDir } from '../scratch';
import { plan, type PlanInput } from '../../src/framing/plan';
import { comparePasses } from '../../tools/scoring';
import type { ScannedSamples } from '../../tools/web/protocol';
import { stream } from '../framing-drivers';
import { castFromSamples } from '../../src/framing/cast';

const run = promisify(execFile);
const out = scratchDir('detector');
let detector: DetectorPage;

beforeAll(async () => {
  detector = await DetectorPage.open();
});
afterAll(async () => detector?.close());

/** Each real clip's detections, scanned once for the tests that read them. */
const scans = new Map<string, Promise<ScannedSamples>>();
function scanOf(clip: string): Promise<ScannedSamples> {
  let scan = scans.get(clip);
  if (!scan) scans.set(clip, (scan = detector.scanSamples(fixture(`real/${clip}.mp4`))));
  return scan;
}

/** Hand-drawn boxes from the dlib imglab XML files (boxes marked ignore are left out). */
function truthBoxes(file: string) {
  const xml = ['training.xml', 'testing.xml'].map((f) => readFileSync(fixture(`stills/${f}`), 'utf8')).join('\n');
  const boxes = parseDlibXml(xml).get(file);
  if (!boxes) throw new Error(`no boxes for ${file}`);
  return boxes;
}

describe('face detector', () => {
  it.each(['2008_001009.jpg', '2009_004587.jpg'])('finds every face in the two-person still %s', async (file) => {
    const truth = truthBoxes(file);
    const faces = await detector.detect(fixture(`stills/${file}`));
    const score = scoreDetections(
      truth,
      faces.map((f) => f.box),
    );
    expect(score.recall, `${JSON.stringify(truth)} against ${JSON.stringify(faces.map((f) => f.box))}`).toBe(1);
    expect(score.extra).toBe(0);
  });

  it.each([8, 12])('finds two faces that are only 1/%i of the frame height in a 1280x720 frame', async (fraction) => {
    const still = fixture('stills/two-people-1126x661.jpg');
    const original = await detector.detect(still);
    expect(original).toHaveLength(2);
    const faceHeight = Math.max(...original.map((f) => f.box.h));
    const scale = 720 / fraction / faceHeight;
    const width = Math.round((1126 * scale) / 2) * 2;
    const height = Math.round((661 * scale) / 2) * 2;
    expect(width).toBeLessThanOrEqual(1280);
    const small = join(out, `small-faces-${fraction}.png`);
    await run('ffmpeg', ['-v', 'error', '-y', '-i', still, '-vf', `scale=${width}:${height},pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=gray`, small]);
    const faces = await detector.detect(small);
    expect(faces).toHaveLength(2);
    for (const face of faces) expect(face.box.h / 720).toBeLessThan(0.2);
    for (const face of original) {
      const expected = { x: (1280 - width) / 2 + rectCentre(face.box).x * scale, y: (720 - height) / 2 + rectCentre(face.box).y * scale };
      const nearest = Math.min(...faces.map((f) => Math.hypot(rectCentre(f.box).x - expected.x, rectCentre(f.box).y - expected.y)));
      expect(nearest).toBeLessThan(20);
    }
  });
});

describe('face likeness (face-api recognition network) on real footage', () => {
  const longestIn = (tracklets: Tracklet[], start: number, end: number) =>
    tracklets.filter((t) => t.items[0]!.t >= start - 1e-3 && t.items[0]!.t < end).sort((a, b) => b.items.length - a.items.length)[0]!;

  it('knows a host and her guest again across cuts between three cameras, and tells them apart', async () => {
    const scanned = await scanOf('ellen_talkshow_cuts');
    expect(scanned.cuts.length).toBeGreaterThanOrEqual(4);
    const starts = [0, ...scanned.cuts];
    const tracklets = buildTracklets(scanned.samples, starts);
    // Shots: wide (the host; her guest from behind), guest, host, guest close-ups.
    const [hostWide, guest1, host, guest2] = [0, 1, 2, 3].map((s) => longestIn(tracklets, starts[s]!, starts[s + 1]!));
    const d = (a: Tracklet, b: Tracklet) => likenessDistance(a.likeness, b.likeness)!;
    expect(d(guest1!, guest2!)).toBeLessThan(SAME_LIKENESS);
    expect(d(hostWide!, host!)).toBeLessThan(SAME_LIKENESS);
    for (const [a, b] of [
      [guest1!, host!],
      [guest2!, host!],
      [guest1!, hostWide!],
    ] as const)
      expect(d(a, b)).toBeGreaterThan(SAME_LIKENESS);
  });

  it('describes each person of a 25.6 s video call at least every 2 s, every stretch nearer its own person than the other', async () => {
    const scanned = await scanOf('msdwild_00005_videocall');
    const tracklets = buildTracklets(scanned.samples, [0, ...scanned.cuts]).filter((t) => t.items.length > 20);
    expect(tracklets).toHaveLength(2);
    for (const t of tracklets) expect(t.likeness!.count).toBeGreaterThanOrEqual(12);
    expect(likenessDistance(tracklets[0]!.likeness, tracklets[1]!.likeness)).toBeGreaterThan(OTHER_LIKENESS);
    tracklets.forEach((own, i) => {
      const other = tracklets[1 - i]!;
      for (const item of own.items) {
        if (!item.face.likeness) continue;
        const one = addLikeness(null, item.face.likeness);
        expect(likenessDistance(one, own.likeness)).toBeLessThan(likenessDistance(one, other.likeness)!);
      }
    });
  });
});

// The framing core's two drivers on detections recorded from real clips (by this browser, now: the
// clips are not ours to keep detections of): the one pass's windows and its cast from the look across
// the video, against the whole-video identity. These three clips' people are told apart on every
// look; the two drivers must frame the same people in the same panels.
describe('the framing core on real footage: one pass against two passes', () => {
  it.each(['msdwild_00005_videocall', 'visualvoice_interview', 'ellen_talkshow_cuts'])(
    '%s: the same crops in at least 99 % of frames, and no fewer split-screen frames',
    async (clip) => {
      const scanned = await scanOf(clip);
      const times = scanned.frameTimes;
      const fps = (times.length - 1) / (times[times.length - 1]! - times[0]!);
      const input: PlanInput = {
        sourceFile: `${clip}.mp4`,
        source: { width: scanned.width, height: scanned.height },
        fps,
        frameTimes: times,
        samples: scanned.samples,
        cuts: scanned.cuts,
        outputFile: `${clip}.dualface.mp4`,
        output: { width: 540, height: 960 },
        layout: 'stacked',
      };
      const whole = plan(input).tracks;
      // The cast as the one pass decides it: from its look across the video (key frames, searched whole).
      const { frames } = stream(input, { cast: castFromSamples(scanned.looks) });
      const agreement = comparePasses({ ...whole, frames }, whole);
      console.log(`${clip}: ${JSON.stringify(agreement)}`);
      expect(agreement.frames).toBe(times.length);
      expect(agreement.same / agreement.frames).toBeGreaterThanOrEqual(0.99);
      expect(agreement.twoCrops[0]).toBeGreaterThanOrEqual(agreement.twoCrops[1]);
    },
  );
});
