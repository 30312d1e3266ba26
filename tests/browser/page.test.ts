// The page, as a person uses it: choose a video, start, watch progress, download the result.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
});
afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe('the page', () => {
  it('prints its URL on stdout', () => {
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
  });

  it('turns a chosen video into a split-screen MP4 the user can download', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator('dualface-app input[type=file]').setInputFiles(fixture('two-people-headpose-480x270.mp4'));
    await page.locator('dualface-app select').selectOption('stacked');
    await page.getByRole('button', { name: 'Make split-screen video' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 240_000, interval: 500 }).toMatch(/Done/);
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: /Download/ }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('two-people-headpose-480x270.dualface.mp4');
    const saved = join(mkdtempSync(join(tmpdir(), 'dualface-page-')), download.suggestedFilename());
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
    await page.close();
  });
});
