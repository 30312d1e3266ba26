// The page, as a person uses it: choose a video, start, watch progress, download the result.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChrome } from '../../src/cli/browser';
import { decodeErrors, fixture, probe, ROOT } from './helpers';

let server: ChildProcess;
let url: string;
let browser: Browser;

beforeAll(async () => {
  // `npm start` serves dist/ through this script; PORT=0 asks for any free port.
  server = spawn(process.execPath, [resolve(ROOT, 'dist-node', 'cli', 'serve.js')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolvePromise, reject) => {
    server.stdout!.once('data', (d: Buffer) => resolvePromise(d.toString().trim()));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  browser = await launchChrome();
  mkdirSync(join(ROOT, 'tests', 'screenshots'), { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe('the page', () => {
  it('prints its URL on stdout', () => {
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
  });

  it('turns chosen videos into split-screen MP4s: progress, a bad file named, one cancelled, downloads and a report', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}?jobs=2&encoders=1`);
    const dir = mkdtempSync(join(tmpdir(), 'dualface-page-'));
    const notes = join(dir, 'notes.mp4');
    writeFileSync(notes, 'not a video\n');
    await page.locator('dualface-app input[type=file]').setInputFiles([fixture('two-people-headpose-480x270.mp4'), notes, fixture('crowd-1080p.mp4')]);
    await page.locator('dualface-app select').selectOption('stacked');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await page.getByRole('button', { name: 'Cancel crowd-1080p.mp4' }).click();
    const status = (name: string) => page.getByRole('status', { name: `status of ${name}` }).textContent();
    await expect.poll(() => status('two-people-headpose-480x270.mp4'), { timeout: 240_000, interval: 500 }).toBe('Done');
    await expect.poll(() => status('notes.mp4'), { timeout: 60_000 }).toBe('Failed');
    await expect.poll(() => status('crowd-1080p.mp4'), { timeout: 60_000 }).toBe('Cancelled');
    expect(await page.getByRole('alert').textContent()).toContain('notes.mp4: not a video file');
    await page.screenshot({ path: join(ROOT, 'tests', 'screenshots', 'page-jobs.png'), fullPage: true });

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download two-people-headpose-480x270.dualface.mp4' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('two-people-headpose-480x270.dualface.mp4');
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const info = await probe(saved);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    expect({ codec: video.codec_name, width: video.width, height: video.height, frames: video.nb_read_frames }).toEqual({
      codec: 'h264',
      width: 1080,
      height: 1920,
      frames: '56',
    });
    expect(await decodeErrors(saved)).toBe('');

    const reportPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report' }).click();
    const reportFile = join(dir, 'report.json');
    await (await reportPromise).saveAs(reportFile);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { jobs: { input: string; error: string | null; encoder: string | null; frames: number | null }[]; peakConcurrentEncoders: number };
    expect(report.jobs.map((j) => [j.input, j.error === null ? 'ok' : j.error])).toEqual(
      expect.arrayContaining([
        ['two-people-headpose-480x270.mp4', 'ok'],
        ['notes.mp4', expect.stringMatching(/not a video file/)],
        ['crowd-1080p.mp4', 'cancelled'],
      ]),
    );
    expect(report.peakConcurrentEncoders).toBeLessThanOrEqual(1);
    await page.close();
  });
});
