// Every kind of awkward input, made with ffmpeg here: each bad one fails with its file and reason in
// words (and leaves no output behind); each unusual but valid one renders faithfully.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserEncodes, expectFaithfulOutput, extractGrey, fixture, ROOT, runCli } from './helpers';
import { scratchDir } from '../scratch';

const dir = scratchDir('inputs');
const still = () => fixture('stills/two-people-1126x661.jpg');
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
const path = (name: string) => join(dir, name);

beforeAll(() => {
  const cut = fixture('one-person-with-cut-640x360.mp4');
  // Index first, then cut in half: the index lists frames the file no longer holds.
  ffmpeg('-i', cut, '-c', 'copy', '-movflags', '+faststart', path('faststart.mp4'));
  const whole = readFileSync(path('faststart.mp4'));
  writeFileSync(path('truncated.mp4'), whole.subarray(0, whole.length / 2));
  // Index at the end (as a recording that was interrupted): cut in half, no index at all.
  writeFileSync(path('interrupted.mp4'), readFileSync(cut).subarray(0, statSync(cut).size / 2));
  const corrupt = Buffer.from(whole);
  let seed = 1;
  for (let i = Math.floor(corrupt.length / 3); i < Math.floor(corrupt.length / 3) + 20000; i++) corrupt[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  writeFileSync(path('corrupt.mp4'), corrupt);
  // Two video tracks (a second camera, say), the audio with the first: the first is the one a player shows.
  ffmpeg('-i', cut, '-i', fixture('two-people-headpose-480x270.mp4'), '-map', '0:v', '-map', '1:v', '-map', '0:a', '-c', 'copy', path('two-video-tracks.mp4'));
  writeFileSync(path('notes.mp4'), 'not a video\n');
  writeFileSync(path('empty.mp4'), '');
  ffmpeg('-f', 'lavfi', '-i', 'sine=f=440:r=48000', '-t', '2', '-c:a', 'aac', path('audio-only.mp4'));
  ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=320x240:r=30', '-frames:v', '0', '-c:v', 'libx264', path('zero-frames.mp4'));
  ffmpeg(
    '-loop',
    '1',
    '-i',
    still(),
    '-t',
    '1',
    '-vf',
    'scale=640:360',
    '-c:v',
    'libx265',
    '-pix_fmt',
    'yuv420p',
    '-tag:v',
    'hvc1',
    '-x265-params',
    'log-level=error',
    path('hevc.mp4'),
  );
  // A phone video: frames stored sideways, a 90° rotation in the container.
  ffmpeg('-i', fixture('two-people-headpose-480x270.mp4'), '-vf', 'transpose=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path('sideways.mp4'));
  execFileSync('python3', [join(ROOT, 'tests', 'browser', 'make-rotated.py'), path('sideways.mp4'), path('rotated.mp4'), '90']);
  ffmpeg(
    '-loop',
    '1',
    '-i',
    still(),
    '-t',
    '1',
    '-r',
    '25',
    '-vf',
    'scale=1281:721',
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-pix_fmt',
    'yuv420p',
    path('odd-1281x721.webm'),
  );
  ffmpeg(
    '-loop',
    '1',
    '-i',
    still(),
    '-t',
    '1',
    '-r',
    '30',
    '-vf',
    'scale=3840:2160',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    path('uhd-4k.mp4'),
  );
  ffmpeg(
    '-loop',
    '1',
    '-i',
    still(),
    '-f',
    'lavfi',
    '-i',
    'sine=f=220:r=48000',
    '-t',
    '2',
    '-r',
    '60',
    '-vf',
    'scale=1280:720',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    path('sixty-fps.mp4'),
  );
  // Variable frame rate: a gap and an irregular cadence.
  ffmpeg(
    '-loop',
    '1',
    '-i',
    still(),
    '-t',
    '3',
    '-r',
    '30',
    '-vf',
    "scale=640:360,select='not(between(n\\,20\\,40))*not(eq(mod(n\\,3)\\,1))'",
    '-vsync',
    'vfr',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    path('vfr.mp4'),
  );
});

describe('bad inputs', () => {
  const cases: [string, RegExp][] = [
    ['truncated.mp4', /truncated\.mp4: the file is truncated or damaged: only \d+ of its \d+ frames could be read/],
    ['interrupted.mp4', /interrupted\.mp4: the file is incomplete or damaged/],
    ['corrupt.mp4', /corrupt\.mp4: (the video could not be decoded|the file is truncated or damaged)/],
    ['notes.mp4', /notes\.mp4: not a video file/],
    ['empty.mp4', /empty\.mp4: the file is empty/],
    ['audio-only.mp4', /audio-only\.mp4: the file has no video track \(audio only\)/],
    ['zero-frames.mp4', /zero-frames\.mp4: (the file is incomplete or damaged|the video track has no frames)/],
    // Linux Chromium has no HEVC decoder.
    ['hevc.mp4', /hevc\.mp4: this browser cannot decode its video \(codec hevc\)/],
  ];

  it('each fails with its name and reason, the batch goes on, and no output is left', async () => {
    const out = join(dir, 'bad-out');
    const good = fixture('two-people-headpose-480x270.mp4');
    const result = await runCli([...cases.map(([name]) => path(name)), good, '--out', out, '--size', '240x136']);
    expect(result.code).toBe(1);
    for (const [, reason] of cases) expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain(`1 of ${cases.length + 1} succeeded`);
    expect(readdirSync(out)).toEqual(['two-people-headpose-480x270.dualface.mp4']);
  });
});

describe('unusual but valid inputs', () => {
  it('a file with two video tracks renders the first, as a player shows it, and says which', async () => {
    const out = join(dir, 'two-tracks-out');
    const result = await runCli([path('two-video-tracks.mp4'), '--out', out, '--size', '480x270']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'two-video-tracks.mp4: the file has 2 video tracks: DualFace uses track 1 of them (640x360, the first), as a player shows it',
    );
    // Judged against the first video stream: its frame count, time stamps and duration, the audio copied.
    await expectFaithfulOutput(path('two-video-tracks.mp4'), join(out, 'two-video-tracks.dualface.mp4'), { width: 480, height: 270 });
  });

  it.each([
    ['odd-1281x721.webm', { width: 240, height: 136 }],
    ['uhd-4k.mp4', { width: 240, height: 136 }],
    ['sixty-fps.mp4', { width: 240, height: 136 }],
    ['vfr.mp4', { width: 240, height: 136 }],
  ])('%s renders with every frame, the same time stamps and duration', async (name, size) => {
    const out = join(dir, 'ok-out');
    const result = await runCli([path(name), '--out', out, '--size', `${size.width}x${size.height}`]);
    expect(result.code, result.stderr).toBe(0);
    const output = join(out, name.replace(/\.[^.]+$/, '.dualface.mp4'));
    await expectFaithfulOutput(path(name), output, size);
    // The encoder is configured at the H.264 level the output's size and rate need: 240x136 at
    // 60 fps is far below level 4.0's limits (1080p60 would need 4.2).
    if (name === 'sixty-fps.mp4') expect(result.stderr).toContain('avc1.640028');
  });

  it.each([
    [2560, 1440, 'avc1.640032'],
    [3840, 2160, 'avc1.640033'],
  ])('an output of %ix%i renders faithfully at the H.264 level its size needs (%s)', async (width, height, codec) => {
    const out = join(dir, `big-${width}`);
    const input = fixture('two-people-headpose-480x270.mp4');
    const result = await runCli([input, '--out', out, '--size', `${width}x${height}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(codec);
    await expectFaithfulOutput(input, join(out, 'two-people-headpose-480x270.dualface.mp4'), { width, height });
  });

  it('an output no encoder of this browser takes fails at once, before any analysis, naming the file and the size', async () => {
    const [encodes] = await browserEncodes([{ codec: 'avc1.64003C', width: 4096, height: 4096 }]);
    const out = join(dir, 'huge-out');
    const result = await runCli([fixture('two-people-headpose-480x270.mp4'), '--out', out, '--size', '4096x4096']);
    if (encodes) {
      expect(result.code, result.stderr).toBe(0);
      return;
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'two-people-headpose-480x270.mp4: this browser cannot encode H.264 avc1.64003C at 4096x4096, 12.00 fps, in hardware or software: choose a smaller output',
    );
    expect(result.stderr).not.toMatch(/analysing|rendering/);
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    ['10-bit', 'yuv420p10le'],
    ['4:4:4', 'yuv444p'],
  ])('a %s H.264 video renders (auto compositor) with the picture and framing of its 8-bit original', async (_, pixelFormat) => {
    const original = fixture('two-people-headpose-480x270.mp4');
    const input = path(`headpose-${pixelFormat}.mp4`);
    ffmpeg('-i', original, '-c:v', 'libx264', '-pix_fmt', pixelFormat, input);
    const out = join(dir, `deep-${pixelFormat}`);
    const [plain, deep] = [
      await runCli([original, '--out', join(out, 'plain'), '--size', '480x270', '--tracks']),
      await runCli([input, '--out', out, '--size', '480x270', '--tracks']),
    ];
    expect(plain.code, plain.stderr).toBe(0);
    expect(deep.code, deep.stderr).toBe(0);
    const output = join(out, `headpose-${pixelFormat}.dualface.mp4`);
    await expectFaithfulOutput(input, output, { width: 480, height: 270 });
    type Crops = { frames: { panels: ({ x: number; y: number; w: number; h: number } | null)[] }[] };
    const [a, b] = [join(out, 'plain', 'two-people-headpose-480x270.tracks.json'), join(out, `headpose-${pixelFormat}.tracks.json`)].map(
      (f) => JSON.parse(readFileSync(f, 'utf8')) as Crops,
    );
    // The analysis saw the same people where the 8-bit original has them: crops within a few pixels.
    a!.frames.forEach((frame, i) =>
      frame.panels.forEach((p, k) => {
        const q = b!.frames[i]!.panels[k]!;
        expect(Math.max(Math.abs(p!.x - q.x), Math.abs(p!.y - q.y), Math.abs(p!.w - q.w))).toBeLessThan(12);
      }),
    );
    let sum = 0;
    let count = 0;
    for (const index of [0, 20, 40]) {
      const [x, y] = await Promise.all([extractGrey(join(out, 'plain', 'two-people-headpose-480x270.dualface.mp4'), index), extractGrey(output, index)]);
      for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
      count += x.length;
    }
    console.log(`${pixelFormat}: mean Y difference from the 8-bit original's output ${(sum / count).toFixed(2)} of 255`);
    expect(sum / count).toBeLessThan(5);
  });

  it.each([
    ['one pass', 'one'],
    ['two passes', 'two'],
  ])('a video whose resolution changes midway (480x270, then 960x540) is framed in one picture size throughout (%s)', async (_, passes) => {
    // The same 56 frames twice, the second time scaled up: the second half must look like the first.
    const original = fixture('two-people-headpose-480x270.mp4');
    ffmpeg('-i', original, '-c:v', 'libx264', '-g', '12', path('res-a.mp4'));
    ffmpeg('-i', original, '-vf', 'scale=960:540', '-c:v', 'libx264', '-g', '12', path('res-b.mp4'));
    writeFileSync(path('res-list.txt'), `file '${path('res-a.mp4')}'\nfile '${path('res-b.mp4')}'\n`);
    ffmpeg('-f', 'concat', '-safe', '0', '-i', path('res-list.txt'), '-c', 'copy', path('res-change.mp4'));
    const out = join(dir, `res-change-${passes}`);
    const result = await runCli([path('res-change.mp4'), '--out', out, '--size', '480x270', '--tracks', '--passes', passes]);
    expect(result.code, result.stderr).toBe(0);
    const output = join(out, 'res-change.dualface.mp4');
    await expectFaithfulOutput(path('res-change.mp4'), output, { width: 480, height: 270 });
    const tracks = JSON.parse(readFileSync(join(out, 'res-change.tracks.json'), 'utf8')) as {
      source: { width: number; height: number };
      frames: { panels: ({ x: number } | null)[] }[];
    };
    expect(tracks.source).toMatchObject({ width: 480, height: 270 });
    for (const n of [5, 20, 40]) {
      // The woman's crop starts in the left part of the 480-wide picture in both halves.
      expect(tracks.frames[n + 56]!.panels[0]!.x).toBeLessThan(120);
      const [a, b] = await Promise.all([extractGrey(output, n), extractGrey(output, n + 56)]);
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
      expect(sum / a.length).toBeLessThan(4);
    }
  });

  it('a rotated phone video comes out upright: the same picture as the unrotated original', async () => {
    const out = join(dir, 'rotated-out');
    const original = fixture('two-people-headpose-480x270.mp4');
    const plain = await runCli([original, '--out', join(out, 'plain'), '--size', '480x270', '--tracks']);
    expect(plain.code, plain.stderr).toBe(0);
    const rotated = await runCli([path('rotated.mp4'), '--out', join(out, 'rotated'), '--size', '480x270', '--tracks']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const tracks = JSON.parse(readFileSync(join(out, 'rotated', 'rotated.tracks.json'), 'utf8')) as { source: { width: number; height: number } };
    expect(tracks.source).toMatchObject({ width: 480, height: 270 });
    // Rendered from the original's framing, the rotated file must give the original's picture.
    const same = await runCli([
      path('rotated.mp4'),
      '--out',
      join(out, 'same'),
      '--size',
      '480x270',
      '--tracks-in',
      join(out, 'plain', 'two-people-headpose-480x270.tracks.json'),
    ]);
    expect(same.code, same.stderr).toBe(0);
    let sum = 0;
    let count = 0;
    for (const index of [0, 20, 40]) {
      const [a, b] = await Promise.all([
        extractGrey(join(out, 'plain', 'two-people-headpose-480x270.dualface.mp4'), index),
        extractGrey(join(out, 'same', 'rotated.dualface.mp4'), index),
      ]);
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
      count += a.length;
    }
    expect(sum / count).toBeLessThan(4);
  });
});
