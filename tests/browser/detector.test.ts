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

const run = promisify(execFile);
const out = scratchDir('detector');
let detector: DetectorPage;

beforeAll(async () => {
  detector = await DetectorPage.open();
});
afterAll(async () => detector?.close());

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
    const scanned = await detector.scanSamples(fixture('real/ellen_talkshow_cuts.mp4'));
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
    const scanned = await detector.scanSamples(fixture('real/msdwild_00005_videocall.mp4'));
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
