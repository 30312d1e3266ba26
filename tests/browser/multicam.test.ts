// Framing a multi-camera edit: wide two-shots, a close-up of each person, the two-shot mirrored so
// they swap sides, a slow pan, and a stranger in a close-up. The edits are made here from the
// fixtures with ffmpeg (crop and scale for a close-up, hflip for a side swap, a moving crop for a
// pan), and the ground truth is transformed the same way; scored by the repository's scoring tool.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectCentre, type Rect } from '../../src/geometry/rect';
import type { TracksFile } from '../../src/framing/tracks-file';
import { parseDarkLabelCsv, scoreFraming, type FramingScore } from '../../tools/scoring';
import { DetectorPage, expectFaithfulOutput, extractFrame, extractGrey, fixture, runCli } from './helpers';
import { scratchDir } from '../scratch';

const run = promisify(execFile);
const out = scratchDir('multicam');

/** One shot of an edit: a crop of a source picture (per output frame n of the shot), scaled to the output, perhaps mirrored. */
interface EditShot {
  /** A still image, or a video with the index of the frame its shot starts at. */
  source: string;
  from?: number;
  frames: number;
  crop: (n: number) => Rect;
  /** The crop as ffmpeg's crop filter writes it (expressions in t, seconds since the shot's start). */
  cropFilter: string;
  mirror?: boolean;
  /** Ground truth in source pixels per shot frame: person id → face box. */
  truth: (n: number) => Map<string, Rect>;
}

interface Edit {
  file: string;
  csv: string;
  shotStarts: number[];
}

/** Writes the edit (H.264 + AAC) and its ground truth as DarkLabel CSV. */
async function makeEdit(name: string, shots: readonly EditShot[], size: { width: number; height: number }, fps: number): Promise<Edit> {
  const parts: string[] = [];
  for (const [i, shot] of shots.entries()) {
    const part = join(out, `${name}-${i}.mp4`);
    const still = /\.(jpe?g|png)$/i.test(shot.source);
    const input = still ? ['-framerate', String(fps), '-loop', '1', '-i', shot.source] : ['-i', shot.source];
    const from = shot.from ?? 0;
    const pick = still ? `fps=${fps}` : `select='between(n,${from},${from + shot.frames - 1})',setpts=N/(${fps}*TB)`;
    const filter = `format=rgb24,${pick},${shot.cropFilter},scale=${size.width}:${size.height}:flags=bicubic${shot.mirror ? ',hflip' : ''},setsar=1,format=yuv420p`;
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      ...input,
      '-vf',
      filter,
      '-frames:v',
      String(shot.frames),
      '-an',
      '-c:v',
      'libx264',
      '-crf',
      '18',
      '-g',
      String(fps * 2),
      part,
    ]);
    parts.push(part);
  }
  const list = join(out, `${name}.txt`);
  writeFileSync(list, parts.map((p) => `file '${p}'`).join('\n'));
  const file = join(out, `${name}.mp4`);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-f',
    'lavfi',
    '-i',
    'sine=f=220:r=48000',
    '-c:v',
    'copy',
    '-c:a',
    'aac',
    '-shortest',
    file,
  ]);
  const lines = ['frame,label,id,x1,y1,x2,y2,flag'];
  const shotStarts: number[] = [];
  let frame = 0;
  for (const shot of shots) {
    shotStarts.push(frame);
    for (let n = 0; n < shot.frames; n++, frame++) {
      const crop = shot.crop(n);
      const k = size.width / crop.w;
      for (const [id, box] of shot.truth(n)) {
        let x1 = (box.x - crop.x) * k;
        const y1 = (box.y - crop.y) * k;
        const w = box.w * k;
        if (shot.mirror) x1 = size.width - x1 - w;
        lines.push([frame, 'face', id, x1.toFixed(1), y1.toFixed(1), (x1 + w).toFixed(1), (y1 + box.h * k).toFixed(1), 0].join(','));
      }
    }
  }
  const csv = join(out, `${name}.csv`);
  writeFileSync(csv, lines.join('\n'));
  return { file, csv, shotStarts };
}

const still = (source: string, frames: number, crop: Rect, truth: Map<string, Rect>, mirror = false): EditShot => ({
  source,
  frames,
  crop: () => crop,
  cropFilter: `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y}`,
  mirror,
  truth: () => truth,
});

async function frame(edit: Edit, name: string, args: readonly string[]): Promise<{ tracks: TracksFile; score: FramingScore; video: string }> {
  const dir = join(out, name);
  const result = await runCli([edit.file, '--out', dir, '--tracks', ...args]);
  expect(result.code, result.stderr).toBe(0);
  const base = edit.file.replace(/^.*\/|\.mp4$/g, '');
  const tracks = JSON.parse(readFileSync(join(dir, `${base}.tracks.json`), 'utf8')) as TracksFile;
  const score = scoreFraming(tracks, parseDarkLabelCsv(readFileSync(edit.csv, 'utf8')));
  console.log(`multi-camera framing (${name}):`, JSON.stringify(score));
  return { tracks, score, video: join(dir, `${base}.dualface.mp4`) };
}

function expectFramedAsCast(score: FramingScore, frames: number) {
  expect(score.framesScored).toBe(frames);
  expect(score.containment).toBeGreaterThanOrEqual(0.99);
  expect(score.swaps).toBe(0);
  expect(score.shotsMissed).toEqual([]);
}

describe('a multi-camera edit of two people (a still with both, hand-made close-ups)', () => {
  // two-people-1126x661.jpg; the faces where the app's detector finds them in the whole still
  // (source pixels), the left man 'a', the right 'b'.
  const photo = fixture('stills/two-people-1126x661.jpg');
  const child = fixture('stills/2008_001009.jpg');
  const a = { x: 230, y: 67, w: 160, h: 160 };
  const b = { x: 782, y: 88, w: 158, h: 158 };
  const both = new Map([
    ['a', a],
    ['b', b],
  ]);
  const twoShot = { x: 3, y: 16, w: 1120, h: 630 };
  const fps = 30;
  let edit: Edit;

  beforeAll(async () => {
    const pan: EditShot = {
      source: photo,
      frames: 120,
      // 960x540 window moving right by 166 px over 4 s.
      crop: (n) => ({ x: Math.trunc((166 * (n / fps)) / 4), y: 20, w: 960, h: 540 }),
      cropFilter: `crop=960:540:'trunc(166*t/4)':20`,
      truth: () => both,
    };
    edit = await makeEdit(
      'two-men-edit',
      [
        still(photo, 90, twoShot, both),
        // Close-ups: the face half the picture's height, off centre as an editor frames them.
        still(photo, 90, { x: 132, y: 0, w: 569, h: 320 }, new Map([['a', a]])),
        still(photo, 90, twoShot, both, true),
        still(photo, 90, { x: 470, y: 7, w: 569, h: 320 }, new Map([['b', b]])),
        pan,
        // A stranger's close-up: the girl of another photo.
        still(child, 60, { x: 48, y: 41, w: 270, h: 152 }, new Map()),
      ],
      { width: 1280, height: 720 },
      fps,
    );
  }, 120_000);

  for (const passes of ['one', 'two'] as const) {
    it(`stacked, ${passes === 'one' ? 'one pass' : 'two passes'}: each face inside its panel in every shot, no swap, close-ups framed as close-ups, the stranger in no panel`, async () => {
      const { tracks, score } = await frame(edit, `stacked-${passes}`, ['--layout', 'stacked', '--size', '540x960', '--passes', passes]);
      expect(tracks.shots).toEqual(edit.shotStarts);
      expectFramedAsCast(score, 2 * 90 + 90 + 2 * 90 + 90 + 2 * 120);
      expect(score.medianCentreOffset).toBeLessThanOrEqual(0.05);
      const shot = (i: number) => tracks.frames.slice(edit.shotStarts[i], edit.shotStarts[i + 1] ?? tracks.frames.length);
      // Two-shots and the pan show both; each close-up one crop, full height, its face centred.
      for (const i of [0, 2, 4]) for (const f of shot(i)) expect(f.panels.every((p) => p !== null)).toBe(true);
      for (const [i, face] of [
        [1, { x: (a.x - 132) * 2.25, w: a.w * 2.25 }],
        [3, { x: (b.x - 470) * 2.25, w: b.w * 2.25 }],
      ] as const) {
        for (const f of shot(i)) {
          const crops = f.panels.filter((p): p is Rect => p !== null);
          expect(crops).toHaveLength(1);
          expect(crops[0]!.h).toBe(720);
          expect(Math.abs(rectCentre(crops[0]!).x - (face.x + face.w / 2))).toBeLessThan(crops[0]!.w * 0.05);
        }
      }
      // The stranger: the whole picture, as large as the output's aspect allows, centred.
      for (const f of shot(5)) {
        expect(f.panels[1]).toBeNull();
        expect(f.panels[0]!.h).toBe(720);
        expect(Math.abs(rectCentre(f.panels[0]!).x - 640)).toBeLessThan(1);
      }
    });
  }

  describe('side by side, rendered', () => {
    let detector: DetectorPage;
    let video: string;
    beforeAll(async () => {
      const framed = await frame(edit, 'side-by-side', ['--size', '960x540']);
      expectFramedAsCast(framed.score, 780);
      video = framed.video;
      detector = await DetectorPage.open();
    }, 180_000);
    afterAll(async () => detector?.close());

    it('writes a faithful file', async () => {
      await expectFaithfulOutput(edit.file, video, { width: 960, height: 540 });
    });

    it('shows a face in each panel of the two-shots and one face in a close-up (detected afresh)', async () => {
      const centres = async (index: number) => {
        const png = join(out, `side-by-side-${index}.png`);
        await extractFrame(video, index, png);
        return (await detector.detect(png)).map((f) => rectCentre(f.box));
      };
      for (const index of [45, 225, 420]) {
        const found = await centres(index);
        expect(found.some((c) => c.x < 480)).toBe(true);
        expect(found.some((c) => c.x >= 480)).toBe(true);
      }
      // Side by side from a 16:9 source, the close-up's crop is the whole picture: one face in it.
      for (const index of [135, 315]) expect(await centres(index)).toHaveLength(1);
    });
  });
});

describe('a multi-camera edit of a real video (two-people-headpose: rolling and turning heads)', () => {
  // 480x270, 12 fps, 56 frames. Ground truth: the app's own detections on the untouched wide video,
  // every frame (where it frames both people perfectly), carried into each shot by its crop.
  const source = fixture('two-people-headpose-480x270.mp4');
  const fps = 12;
  let edit: Edit;

  beforeAll(async () => {
    const dir = join(out, 'headpose-truth');
    const result = await runCli([source, '--out', dir, '--review', '--debug-overlay', '--detection-rate', '12', '--passes', 'two']);
    expect(result.code, result.stderr).toBe(0);
    const truthTracks = JSON.parse(readFileSync(join(dir, 'two-people-headpose-480x270.tracks.json'), 'utf8')) as TracksFile;
    const boxesAt = (frame: number, only?: string) => {
      const faces = truthTracks.frames[frame]!.faces ?? [];
      expect(faces).toHaveLength(2);
      // The woman sits left, the man right.
      const [woman, man] = [...faces].sort((p, q) => p.x - q.x);
      const all = new Map<string, Rect>([
        ['woman', woman!],
        ['man', man!],
      ]);
      return only ? new Map([[only, all.get(only)!]]) : all;
    };
    const shot = (from: number, frames: number, crop: Rect, only?: string, mirror = false): EditShot => ({
      source,
      from,
      frames,
      crop: () => crop,
      cropFilter: `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y}`,
      mirror,
      truth: (n) => boxesAt(from + n, only),
    });
    const whole = { x: 0, y: 0, w: 480, h: 270 };
    edit = await makeEdit(
      'headpose-edit',
      [
        shot(0, 18, whole),
        // Close-ups: the face about half the picture's height.
        shot(18, 12, { x: 0, y: 70, w: 199, h: 112 }, 'woman'),
        shot(30, 12, whole, undefined, true),
        shot(42, 14, { x: 224, y: 54, w: 199, h: 112 }, 'man'),
      ],
      { width: 960, height: 540 },
      fps,
    );
  }, 120_000);

  for (const passes of ['one', 'two'] as const) {
    it(`stacked, ${passes === 'one' ? 'one pass' : 'two passes'}: each face inside its panel in every shot, no swap`, async () => {
      const { tracks, score } = await frame(edit, `headpose-${passes}`, ['--layout', 'stacked', '--size', '540x960', '--passes', passes]);
      expect(tracks.shots).toEqual(edit.shotStarts);
      expectFramedAsCast(score, 2 * 18 + 12 + 2 * 12 + 14);
    });
  }
});

describe('a close-up whose face is too big for a tall output even at full height', () => {
  // The left man of the still, his face 420 px high in a 1280x720 picture: a 9:16 crop of the
  // picture's full height is 405 px wide, narrower than the face.
  const photo = fixture('stills/two-people-1126x661.jpg');
  const a = { x: 230, y: 67, w: 160, h: 160 };
  const b = { x: 782, y: 88, w: 158, h: 158 };
  const twoShot = { x: 3, y: 16, w: 1120, h: 630 };
  const both = new Map([
    ['a', a],
    ['b', b],
  ]);
  let edit: Edit;

  beforeAll(async () => {
    edit = await makeEdit(
      'too-big',
      [still(photo, 45, twoShot, both), still(photo, 45, { x: 67, y: 10, w: 487, h: 274 }, new Map([['a', a]])), still(photo, 45, twoShot, both)],
      { width: 1280, height: 720 },
      30,
    );
  }, 120_000);

  it('flags the shot as padded, keeps the face inside, pads with black, and both compositors agree', async () => {
    const cpu = await frame(edit, 'too-big-cpu', ['--layout', 'stacked', '--size', '270x480', '--compositor', 'cpu']);
    expect(cpu.tracks.padded).toEqual([1]);
    expectFramedAsCast(cpu.score, 45 * 2 + 45 + 45 * 2);
    for (const f of cpu.tracks.frames.slice(45, 90)) {
      const crop = f.panels[0] ?? f.panels[1];
      expect(crop!.h).toBeGreaterThan(720);
    }
    await expectFaithfulOutput(edit.file, cpu.video, { width: 270, height: 480 });
    // The padding: black (limited-range Y 16) in the top rows of a close-up frame, picture in the middle.
    const grey = await extractGrey(cpu.video, 60);
    const rowMean = (row: number) => grey.subarray(row * 270, (row + 1) * 270).reduce((s, v) => s + v, 0) / 270;
    expect(rowMean(4)).toBeLessThan(20);
    expect(rowMean(240)).toBeGreaterThan(40);
    // The same tracks through the WebGPU compositor: the same picture.
    const dir = join(out, 'too-big-gpu');
    const tracksFile = join(out, 'too-big-cpu', 'too-big.tracks.json');
    const gpu = await runCli([edit.file, '--out', dir, '--tracks-in', tracksFile, '--layout', 'stacked', '--size', '270x480', '--compositor', 'webgpu']);
    expect(gpu.code, gpu.stderr).toBe(0);
    const gpuVideo = join(dir, 'too-big.dualface.mp4');
    let sum = 0;
    let count = 0;
    for (const index of [10, 60, 80, 120]) {
      const [x, y] = await Promise.all([extractGrey(cpu.video, index), extractGrey(gpuVideo, index)]);
      for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
      count += x.length;
    }
    console.log(`padded close-up: mean Y difference WebGPU vs CPU ${(sum / count).toFixed(2)} of 255`);
    expect(sum / count).toBeLessThan(3);
  });
});

describe('a multi-camera edit of two real people alike (speakers/: one talking, one silent, the same stretch)', () => {
  // speaking_1.mp4 and silence_4.mp4: 224x224 face clips, 25 fps, 181 frames, the same 7.2 s of one
  // conversation. Shots of a 960x540 picture on a grey ground: both clips side by side (a
  // two-shot), one clip scaled up (a close-up), the two swapped, the other scaled up. Ground truth:
  // the app's detections on each untouched clip, every frame, moved and scaled with the clip.
  const clips = { left: fixture('speakers/speaking_1.mp4'), right: fixture('speakers/silence_4.mp4') };
  type Who = keyof typeof clips;
  interface Placed {
    who: Who;
    x: number;
    y: number;
    size: number;
  }
  const shots: { from: number; frames: number; placed: Placed[] }[] = [
    {
      from: 0,
      frames: 50,
      placed: [
        { who: 'left', x: 220, y: 150, size: 240 },
        { who: 'right', x: 500, y: 150, size: 240 },
      ],
    },
    { from: 50, frames: 40, placed: [{ who: 'left', x: 160, y: 0, size: 540 }] },
    {
      from: 90,
      frames: 45,
      placed: [
        { who: 'right', x: 220, y: 150, size: 240 },
        { who: 'left', x: 500, y: 150, size: 240 },
      ],
    },
    { from: 135, frames: 46, placed: [{ who: 'right', x: 300, y: 0, size: 540 }] },
  ];
  const fps = 25;
  let edit: Edit;

  beforeAll(async () => {
    const truth = new Map<Who, Rect[]>();
    for (const who of Object.keys(clips) as Who[]) {
      const dir = join(out, `speaker-truth-${who}`);
      const result = await runCli([clips[who], '--out', dir, '--review', '--debug-overlay', '--detection-rate', '25', '--passes', 'two']);
      expect(result.code, result.stderr).toBe(0);
      const name = clips[who].replace(/^.*\/|\.mp4$/g, '');
      const tracks = JSON.parse(readFileSync(join(dir, `${name}.tracks.json`), 'utf8')) as TracksFile;
      truth.set(
        who,
        tracks.frames.map((f) => [...(f.faces ?? [])].sort((p, q) => q.w - p.w)[0]!),
      );
    }
    const parts: string[] = [];
    for (const [i, shot] of shots.entries()) {
      const part = join(out, `speakers-${i}.mp4`);
      const inputs = shot.placed.flatMap((p) => ['-i', clips[p.who]]);
      const scaled = shot.placed.map(
        (p, k) => `[${k}:v]trim=start_frame=${shot.from}:end_frame=${shot.from + shot.frames},setpts=PTS-STARTPTS,scale=${p.size}:${p.size}[c${k}]`,
      );
      let chain = `[${shot.placed.length}:v]null[g0]`;
      shot.placed.forEach((p, k) => (chain += `;[g${k}][c${k}]overlay=${p.x}:${p.y}:shortest=1[g${k + 1}]`));
      const filter = `${scaled.join(';')};${chain};[g${shot.placed.length}]format=yuv420p[v]`;
      await run('ffmpeg', [
        '-v',
        'error',
        '-y',
        ...inputs,
        '-f',
        'lavfi',
        '-i',
        `color=c=0x707070:s=960x540:r=${fps}`,
        '-filter_complex',
        filter,
        '-map',
        '[v]',
        '-frames:v',
        String(shot.frames),
        '-c:v',
        'libx264',
        '-crf',
        '18',
        part,
      ]);
      parts.push(part);
    }
    const list = join(out, 'speakers.txt');
    writeFileSync(list, parts.map((p) => `file '${p}'`).join('\n'));
    const file = join(out, 'speakers-edit.mp4');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-i',
      clips.left,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'copy',
      '-shortest',
      file,
    ]);
    const lines = ['frame,label,id,x1,y1,x2,y2,flag'];
    const shotStarts: number[] = [];
    let frameIndex = 0;
    for (const shot of shots) {
      shotStarts.push(frameIndex);
      for (let n = 0; n < shot.frames; n++, frameIndex++) {
        for (const p of shot.placed) {
          const box = truth.get(p.who)![shot.from + n]!;
          const k = p.size / 224;
          lines.push(
            [frameIndex, 'face', p.who, p.x + box.x * k, p.y + box.y * k, p.x + (box.x + box.w) * k, p.y + (box.y + box.h) * k, 0]
              .map((v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))
              .join(','),
          );
        }
      }
    }
    const csv = join(out, 'speakers-edit.csv');
    writeFileSync(csv, lines.join('\n'));
    edit = { file, csv, shotStarts };
  }, 180_000);

  for (const passes of ['one', 'two'] as const) {
    it(`stacked, ${passes === 'one' ? 'one pass' : 'two passes'}: each face inside its panel in every shot, no swap`, async () => {
      const { tracks, score } = await frame(edit, `speakers-${passes}`, ['--layout', 'stacked', '--size', '540x960', '--passes', passes]);
      expect(tracks.shots).toEqual(edit.shotStarts);
      expectFramedAsCast(score, 2 * 50 + 40 + 2 * 45 + 46);
    });
  }
});
