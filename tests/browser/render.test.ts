// Whole jobs through the command line (headless Chromium, real footage), judged by ffprobe/ffmpeg and
// by detecting faces afresh in the output.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectCentre, rectInside } from '../../src/geometry/rect';
import type { TracksFile } from '../../src/framing/tracks-file';
import {
  browserCapabilities,
  expectFaithfulOutput,
  DetectorPage,
  extractFrame,
  extractGrey,
  faceSimilarity,
  fixture,
  probe,
  runCli,
  startCli,
  videoTimes,
} from './helpers';
import { scratchDir } from '../scratch';

const out = scratchDir('render');

function expectTracksAgree(tracks: TracksFile, outputTimes: number[], source: { width: number; height: number }) {
  expect(tracks.version).toBe(1);
  expect(tracks.frames.length).toBe(outputTimes.length);
  expect(tracks.source.frames).toBe(outputTimes.length);
  expect(tracks.source.width).toBe(source.width);
  expect(tracks.source.height).toBe(source.height);
  const bounds = { x: 0, y: 0, w: source.width, h: source.height };
  tracks.frames.forEach((frame, i) => {
    expect(Math.abs(frame.t - outputTimes[i]!)).toBeLessThan(0.001);
    for (const panel of frame.panels) {
      expect(panel).not.toBeNull();
      expect(rectInside(panel!, bounds, 0.01)).toBe(true);
    }
  });
}

describe('two people, side by side', () => {
  const input = fixture('two-people-headpose-480x270.mp4');
  const output = join(out, 'two-people-headpose-480x270.dualface.mp4');
  const tracksPath = join(out, 'two-people-headpose-480x270.tracks.json');
  let detector: DetectorPage;

  beforeAll(async () => {
    const result = await runCli([input, '--out', out, '--size', '480x270', '--tracks']);
    expect(result.stderr).toContain('two-people-headpose-480x270.dualface.mp4');
    expect(result.code, result.stderr).toBe(0);
    detector = await DetectorPage.open();
  });
  afterAll(async () => detector?.close());

  it('has the input frame count, time stamps and duration, H.264 High, and decodes cleanly', async () => {
    await expectFaithfulOutput(input, output, { width: 480, height: 270 });
  });

  it('writes a tracks file that agrees with the video', async () => {
    const tracks = JSON.parse(readFileSync(tracksPath, 'utf8')) as TracksFile;
    expectTracksAgree(tracks, await videoTimes(output), { width: 480, height: 270 });
    expect(tracks.output).toEqual({ file: 'two-people-headpose-480x270.dualface.mp4', width: 480, height: 270, layout: 'side-by-side' });
  });

  it('shows exactly one face near the centre of each panel, the woman (left in the source) in panel 0', async () => {
    for (const index of [3, 15, 27, 39, 51]) {
      const srcPng = join(out, `src-${index}.png`);
      await extractFrame(input, index, srcPng);
      const sourceFaces = (await detector.detect(srcPng, false)).sort((a, b) => rectCentre(a.box).x - rectCentre(b.box).x);
      expect(sourceFaces, `two faces in source frame ${index}`).toHaveLength(2);
      const srcGrey = await extractGrey(input, index);
      for (const panel of [0, 1] as const) {
        const crop = `crop=240:270:${panel * 240}:0`;
        const png = join(out, `out-${index}-${panel}.png`);
        await extractFrame(output, index, png, crop);
        const faces = await detector.detect(png, false);
        expect(faces, `faces in panel ${panel} of frame ${index}`).toHaveLength(1);
        const centre = rectCentre(faces[0]!.box);
        expect(Math.abs(centre.x - 120) / 240, `horizontal offset in panel ${panel}, frame ${index}`).toBeLessThan(0.2);
        expect(centre.y / 270).toBeGreaterThan(0.2);
        expect(centre.y / 270).toBeLessThan(0.65);
        const grey = await extractGrey(output, index, crop);
        const here = { grey, width: 240, box: faces[0]!.box };
        const same = faceSimilarity(here, { grey: srcGrey, width: 480, box: sourceFaces[panel]!.box });
        const other = faceSimilarity(here, { grey: srcGrey, width: 480, box: sourceFaces[1 - panel]!.box });
        expect(same, `panel ${panel} of frame ${index} shows the ${panel === 0 ? 'left' : 'right'} person`).toBeGreaterThan(other);
      }
    }
  });
});

describe('stacked, with audio', () => {
  it('copies the AAC track as is and keeps frames and time stamps', async () => {
    const input = fixture('one-person-with-cut-640x360.mp4');
    const result = await runCli([input, '--out', out, '--layout', 'stacked', '--size', '272x480']);
    expect(result.code, result.stderr).toBe(0);
    await expectFaithfulOutput(input, join(out, 'one-person-with-cut-640x360.dualface.mp4'), { width: 272, height: 480 });
  });
});

describe('--bitrate-mbps', () => {
  it('gives a video stream at about the bitrate asked for', async () => {
    const dir = mkdtempSync(join(out, 'bitrate-'));
    const input = fixture('one-person-with-cut-640x360.mp4');
    for (const [mbps, size] of [
      ['0.5', '480x270'],
      ['2', '1920x1080'],
    ] as const) {
      const result = await runCli([input, '--out', join(dir, mbps), '--size', size, '--bitrate-mbps', mbps]);
      expect(result.code, result.stderr).toBe(0);
      const video = (await probe(join(dir, mbps, 'one-person-with-cut-640x360.dualface.mp4'))).streams.find((s) => s.codec_type === 'video')!;
      const measured = Number(video.bit_rate) / 1e6;
      console.log(`--bitrate-mbps ${mbps} at ${size}: video stream ${measured.toFixed(3)} Mbit/s`);
      expect(Math.abs(measured / Number(mbps) - 1)).toBeLessThan(0.2);
    }
  });
});

describe('a batch with bad inputs', () => {
  it('processes the good inputs with one hardware encoder slot, reports each bad one by name, exits 1, leaves no partial files', async () => {
    const dir = mkdtempSync(join(out, 'batch-'));
    const notVideo = join(dir, 'notes.mp4');
    writeFileSync(notVideo, 'these are my meeting notes, not a video\n');
    const missing = join(dir, 'missing.mp4');
    const good = ['two-people-headpose-480x270.mp4', 'one-person-with-cut-640x360.mp4', 'crowd-1080p.mp4'].map(fixture);
    const report = join(dir, 'report.json');
    const hardware = (await browserCapabilities()).hardwareH264['480x270'];
    const result = await runCli([
      good[0]!,
      notVideo,
      good[1]!,
      missing,
      good[2]!,
      '--out',
      join(dir, 'out'),
      '--size',
      '480x270',
      '--encoders',
      '1',
      '--report',
      report,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/notes\.mp4: not a video file/);
    expect(result.stderr).toMatch(/missing\.mp4: no such file/);
    expect(result.stderr).toContain('3 of 5 succeeded');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'crowd-1080p.dualface.mp4',
      'one-person-with-cut-640x360.dualface.mp4',
      'two-people-headpose-480x270.dualface.mp4',
    ]);
    for (const input of good) {
      const name = input.split('/').pop()!.replace('.mp4', '.dualface.mp4');
      await expectFaithfulOutput(input, join(dir, 'out', name), { width: 480, height: 270 });
    }
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      jobs: {
        input: string;
        output: string | null;
        frames: number | null;
        encoder: string | null;
        fallbacks: { reason: string }[];
        error: string | null;
        realtimeFactor: number | null;
        wallSeconds: number;
      }[];
      peakConcurrentEncoders: number;
    };
    expect(json.jobs).toHaveLength(5);
    expect(json.peakConcurrentEncoders).toBeLessThanOrEqual(1);
    const byName = (n: string) => json.jobs.find((j) => j.input.endsWith(n))!;
    expect(byName('notes.mp4').error).toMatch(/not a video file/);
    expect(byName('missing.mp4').error).toMatch(/no such file/);
    for (const n of ['two-people-headpose-480x270.mp4', 'one-person-with-cut-640x360.mp4', 'crowd-1080p.mp4']) {
      const job = byName(n);
      expect(job.error).toBeNull();
      expect(job.frames).toBeGreaterThan(0);
      expect(job.wallSeconds).toBeGreaterThan(0);
      expect(job.realtimeFactor).toBeGreaterThan(0);
      // As the browser reports it: with a hardware H.264 encoder the job's slot uses it; without one
      // (Debian's Chromium) each job records the fallback and its reason.
      if (hardware) {
        expect(job.encoder).toBe('hardware');
        expect(job.fallbacks).toEqual([]);
      } else {
        expect(job.encoder).toBe('software');
        expect(job.fallbacks[0]?.reason).toMatch(/hardware/);
      }
    }
  });

  it('--encoders auto (the default) measures how many hardware encoders this browser opens at once, once', async () => {
    const dir = mkdtempSync(join(out, 'auto-'));
    const env = { XDG_CACHE_HOME: join(dir, 'cache') };
    const input = fixture('two-people-headpose-480x270.mp4');
    const hardware = (await browserCapabilities()).hardwareH264['480x270'];
    const report = join(dir, 'report.json');
    const first = startCli([input, '--out', join(dir, 'a'), '--size', '480x270', '--report', report], env);
    expect(await first.exited, first.stderr()).toBe(0);
    const measured = /--encoders auto: this browser opens (\d+) hardware H\.264 encoders? at once \(measured once/.exec(first.stderr());
    expect(measured, first.stderr()).not.toBeNull();
    const count = Number(measured![1]);
    // As the browser reports it: none without a hardware H.264 encoder (Debian's Chromium), else 1 to 8.
    if (hardware) expect(count).toBeGreaterThanOrEqual(1);
    else expect(count).toBe(0);
    expect(count).toBeLessThanOrEqual(8);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { hardwareEncoderLimit: number; jobs: { encoder: string; fallbacks: { reason: string }[] }[] };
    expect(json.hardwareEncoderLimit).toBe(count);
    if (count === 0)
      expect(json.jobs[0]!.fallbacks.map((f) => f.reason)).toEqual(['this browser opens no hardware H.264 encoder (measured by --encoders auto)']);
    else expect(json.jobs[0]!.encoder).toBe('hardware');
    // Remembered: the next run does not measure again.
    const second = startCli([input, '--out', join(dir, 'b'), '--size', '480x270', '--report', report], env);
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.stderr()).not.toMatch(/--encoders auto: this browser opens/);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { hardwareEncoderLimit: number }).hardwareEncoderLimit).toBe(count);
    await expectFaithfulOutput(input, join(dir, 'b', 'two-people-headpose-480x270.dualface.mp4'), { width: 480, height: 270 });
  });

  it('exits 2 on bad usage', async () => {
    const result = await runCli(['--layout', 'diagonal']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/side-by-side or stacked/);
  });
});
