// Framing quality on real faces, scored against ground truth by the repository's scoring tool:
// a video made from a hand-annotated still (dlib's boxes) moved by a known path, and the fixtures.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { rectCentre } from '../../src/geometry/rect';
import { parseDarkLabelCsv, parseDlibXml, scoreFraming } from '../../tools/scoring';
import type { TracksFile } from '../../src/framing/tracks-file';
import { fixture, runCli } from './helpers';
import { scratchDir } from '../scratch';

const run = promisify(execFile);
const out = scratchDir('framing');

function readTracks(name: string): TracksFile {
  return JSON.parse(readFileSync(join(out, `${name}.tracks.json`), 'utf8')) as TracksFile;
}

describe('framing scored against hand-drawn ground truth', () => {
  // 2008_001009.jpg (360x480, two people, boxes from dlib's training.xml) scaled 1.4x onto a 1280x720
  // canvas and moved: a slow sway (period 6 s), a small vertical drift and a 3 Hz hand-held shake.
  const fps = 30;
  const seconds = 8;
  const scale = 1.4;
  const xAt = (t: number) => Math.trunc(388 + 150 * Math.sin((2 * Math.PI * t) / 6) + 3 * Math.sin(2 * Math.PI * 3 * t));
  const yAt = (t: number) => Math.trunc(24 + 10 * Math.sin((2 * Math.PI * t) / 5));
  const video = join(out, 'two-people-moving.mp4');
  const truthCsv = join(out, 'two-people-moving.csv');

  beforeAll(async () => {
    const x = `trunc(388+150*sin(2*PI*t/6)+3*sin(2*PI*3*t))`;
    const y = `trunc(24+10*sin(2*PI*t/5))`;
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=0x606060:s=1280x720:r=${fps}:d=${seconds}`,
      '-loop',
      '1',
      '-i',
      fixture('stills/2008_001009.jpg'),
      '-filter_complex',
      `[1:v]scale=${360 * scale}:${480 * scale},format=rgba[p];[0:v]format=rgba[bg];[bg][p]overlay=x='${x}':y='${y}':eval=frame:format=rgb:shortest=1,format=yuv420p`,
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      video,
    ]);
    const boxes = parseDlibXml(readFileSync(fixture('stills/training.xml'), 'utf8')).get('2008_001009.jpg')!;
    const lines = ['frame,label,id,x1,y1,x2,y2,flag'];
    for (let n = 0; n < fps * seconds; n++) {
      const t = n / fps;
      boxes.forEach((b, id) => {
        const x1 = xAt(t) + b.x * scale;
        const y1 = yAt(t) + b.y * scale;
        lines.push([n, 'face', id, x1, y1, x1 + b.w * scale, y1 + b.h * scale, 0].join(','));
      });
    }
    writeFileSync(truthCsv, lines.join('\n'));
  }, 60_000);

  it('keeps each face in its panel, never swaps, centres it, and is calmer than the face', async () => {
    const result = await runCli([video, '--out', out, '--tracks', '--size', '640x360']);
    expect(result.code, result.stderr).toBe(0);
    const score = scoreFraming(readTracks('two-people-moving'), parseDarkLabelCsv(readFileSync(truthCsv, 'utf8')));
    console.log('framing score (two-people-moving):', JSON.stringify(score));
    expect(score.framesScored).toBe(2 * fps * seconds);
    expect(score.people.map((p) => p.panel).sort()).toEqual([0, 1]);
    expect(score.containment).toBeGreaterThanOrEqual(0.99);
    expect(score.swaps).toBe(0);
    expect(score.medianCentreOffset).toBeLessThanOrEqual(0.05);
    expect(score.jitter).toBeLessThan(score.truthJitter);
  });
});

describe('the fixtures', () => {
  it('two-people-headpose: each keeps their panel while rolling and turning their heads (no swap), camera locked off', async () => {
    const result = await runCli([fixture('two-people-headpose-480x270.mp4'), '--out', out, '--tracks', '--size', '480x270']);
    expect(result.code, result.stderr).toBe(0);
    const tracks = readTracks('two-people-headpose-480x270');
    for (const frame of tracks.frames) {
      const [left, right] = frame.panels;
      // The woman sits in the left half, the man in the right.
      expect(rectCentre(left!).x).toBeLessThan(240);
      expect(rectCentre(right!).x).toBeGreaterThan(240);
    }
    // Both sit still: the crops do not move at all.
    expect(new Set(tracks.frames.map((f) => JSON.stringify(f.panels))).size).toBe(1);
  });

  it('one-person-with-cut: every cut is found within one frame of where ffmpeg finds it', async () => {
    const input = fixture('one-person-with-cut-640x360.mp4');
    const result = await runCli([input, '--out', out, '--tracks', '--size', '480x270']);
    expect(result.code, result.stderr).toBe(0);
    const tracks = readTracks('one-person-with-cut-640x360');
    // ffmpeg's scene-cut detector, independent of ours; its times count from the file's start.
    const { stderr } = await run('ffmpeg', ['-v', 'info', '-i', input, '-vf', 'scdet=threshold=5', '-an', '-f', 'null', '-']);
    const start = Number((await run('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', input])).stdout);
    const theirs = [...stderr.matchAll(/lavfi\.scd\.time: ([\d.]+)/g)].map((m) => Number(m[1]) + start);
    expect(theirs.length).toBeGreaterThanOrEqual(3);
    const ours = (tracks.shots ?? []).slice(1).map((i) => tracks.frames[i]!.t);
    const period = 1 / tracks.source.fps;
    expect(ours).toHaveLength(theirs.length);
    ours.forEach((t, i) => expect(Math.abs(t - theirs[i]!)).toBeLessThanOrEqual(period * 1.01));
    // Never smoothed across a cut: no crop is half-way between two shots' framings right after one.
    for (const cut of tracks.shots!.slice(1)) {
      const after = tracks.frames[cut]!.panels;
      const next = tracks.frames[cut + 1]!.panels;
      expect(JSON.stringify(after.map((p) => p === null))).toBe(JSON.stringify(next.map((p) => p === null)));
    }
  });

  it('crowd: no crash, two people chosen and kept (their crops move steadily, no jumps between people)', async () => {
    const result = await runCli([fixture('crowd-1080p.mp4'), '--out', out, '--tracks', '--size', '480x270']);
    expect(result.code, result.stderr).toBe(0);
    const tracks = readTracks('crowd-1080p');
    expect(tracks.shots).toEqual([0]);
    for (let i = 1; i < tracks.frames.length; i++) {
      for (let p = 0; p < 2; p++) {
        const a = tracks.frames[i - 1]!.panels[p];
        const b = tracks.frames[i]!.panels[p];
        expect(a === null).toBe(b === null);
        if (a && b) expect(Math.abs(rectCentre(a).x - rectCentre(b).x)).toBeLessThan(a.w * 0.1);
      }
    }
  });
});

describe('options kept from the prototype, off by default', () => {
  // Two people for 3 s, an empty room for 3 s (a 880 Hz tone meanwhile), the two people again for 3 s.
  const input = join(out, 'gap.mp4');
  beforeAll(async () => {
    const still = fixture('stills/two-people-1126x661.jpg');
    const scaled = 'scale=1226:720,pad=1280:720:27:0,setsar=1,fps=30,format=yuv420p';
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-t',
      '3',
      '-i',
      still,
      '-f',
      'lavfi',
      '-t',
      '3',
      '-i',
      'color=c=0x506070:s=1280x720:r=30',
      '-loop',
      '1',
      '-t',
      '3',
      '-i',
      still,
      '-f',
      'lavfi',
      '-i',
      "aevalsrc='0.5*sin(2*PI*if(between(t,3,6),880,220)*t)':s=48000:d=9",
      '-filter_complex',
      `[0:v]${scaled}[a];[1:v]${scaled}[b];[2:v]${scaled}[c];[a][b][c]concat=n=3:v=1:a=0[v]`,
      '-map',
      '[v]',
      '-map',
      '3:a',
      '-c:v',
      'libx264',
      '-c:a',
      'aac',
      '-t',
      '9',
      input,
    ]);
  }, 60_000);

  const bandVolume = async (file: string) => {
    const { stderr } = await run('ffmpeg', ['-v', 'info', '-i', file, '-af', 'bandpass=f=880:width_type=q:w=8,volumedetect', '-vn', '-f', 'null', '-']);
    return Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)![1]);
  };

  it('--trim-empty cuts out the empty room, its audio with it, and nothing else', async () => {
    const dir = join(out, 'trim');
    const result = await runCli([input, '--out', dir, '--tracks', '--trim-empty', '--size', '640x360']);
    expect(result.code, result.stderr).toBe(0);
    const tracks = JSON.parse(readFileSync(join(dir, 'gap.tracks.json'), 'utf8')) as TracksFile;
    expect(tracks.trimmed).toHaveLength(1);
    const [start, end] = tracks.trimmed![0]!;
    // The cut lies within the empty room (detections are 1/4 s apart) and covers most of it.
    expect(start).toBeGreaterThanOrEqual(3 - 1e-6);
    expect(end).toBeLessThanOrEqual(6.25 + 1e-6);
    expect(end - start).toBeGreaterThan(2.5);
    const output = join(dir, 'gap.dualface.mp4');
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,duration,nb_frames', '-of', 'json', output]);
    const streams = (JSON.parse(stdout) as { streams: { codec_type: string; duration: string; nb_frames: string }[] }).streams;
    const video = streams.find((s) => s.codec_type === 'video')!;
    const audio = streams.find((s) => s.codec_type === 'audio')!;
    expect(Number(video.nb_frames)).toBe(tracks.frames.length);
    expect(Number(video.duration)).toBeCloseTo(9 - (end - start), 1);
    // Audio and video still end together, and the empty room's tone is (nearly) gone.
    expect(Math.abs(Number(audio.duration) - Number(video.duration))).toBeLessThan(0.1);
    expect(await bandVolume(output)).toBeLessThan((await bandVolume(input)) - 15);
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', output, '-f', 'null', '-']);
    expect(stderr).toBe('');
  });

  it('--debug-overlay draws each panel person in their colour (green panel 0, magenta panel 1)', async () => {
    const dir = join(out, 'overlay');
    const result = await runCli([input, '--out', dir, '--debug-overlay', '--size', '640x360']);
    expect(result.code, result.stderr).toBe(0);
    const { stdout } = await run(
      'ffmpeg',
      ['-v', 'error', '-ss', '1', '-i', join(dir, 'gap.dualface.mp4'), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      {
        encoding: 'buffer',
        maxBuffer: 1 << 24,
      },
    );
    const pixels = stdout as unknown as Buffer;
    const count = (x0: number, x1: number, match: (r: number, g: number, b: number) => boolean) => {
      let n = 0;
      for (let y = 0; y < 360; y++) {
        for (let x = x0; x < x1; x++) {
          const o = (y * 640 + x) * 3;
          if (match(pixels[o]!, pixels[o + 1]!, pixels[o + 2]!)) n++;
        }
      }
      return n;
    };
    const green = (r: number, g: number, b: number) => g > 200 && r < 60 && b < 60;
    const magenta = (r: number, g: number, b: number) => r > 200 && b > 200 && g < 60;
    expect(count(0, 320, green)).toBeGreaterThan(100);
    expect(count(320, 640, magenta)).toBeGreaterThan(100);
    expect(count(0, 320, magenta)).toBeLessThan(20);
    expect(count(320, 640, green)).toBeLessThan(20);
  });
});
