// The app as people use it, against the production build served by `npm start`, in real Chromium:
// the user flow with review, the run's live view and report, offline use, installability, labels.
// Screenshots of the main states go to tests/screenshots/ (ignored by git) for a reviewer.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { chromeFlags, findChrome, launchChrome } from '../../src/cli/browser';
import { rectCentre } from '../../src/geometry/rect';
import type { TracksFile } from '../../src/framing/tracks-file';
import { browserCapabilities, decodeErrors, DetectorPage, expectFaithfulOutput, fixture, probe, psnr, ROOT, videoTimes } from '../browser/helpers';
import { scratchDir } from '../scratch';

let server: ChildProcess;
let url: string;
let browser: Browser;
const shots = join(ROOT, 'tests', 'screenshots');
const scratch = scratchDir('e2e');

beforeAll(async () => {
  // `npm start` serves dist/ through this script; PORT=0 asks for any free port.
  server = spawn(process.execPath, [resolve(ROOT, 'dist-node', 'cli', 'serve.js')], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolvePromise, reject) => {
    server.stdout!.once('data', (d: Buffer) => resolvePromise(d.toString().trim()));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  browser = await launchChrome();
  mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  server?.kill();
});

async function newPage(context?: BrowserContext): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true }));
  return { context: ctx, page: await ctx.newPage() };
}

/** The settings sit collapsed behind their one-line summary. */
const openSettings = (page: Page) => page.locator('dualface-app details:not([open]) > summary').click();

const status = (page: Page, name: string) => page.getByRole('status', { name: `status of ${name}` }).textContent();

async function download(page: Page, name: string | RegExp, into: string, scope: Page | Locator = page): Promise<string> {
  const pending = page.waitForEvent('download');
  await scope.getByRole('link', { name }).click();
  const file = await pending;
  const path = join(into, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

describe('the app', () => {
  it('prints its URL on stdout', () => {
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
  });

  it('user flow: add two videos and a bad file, change the layout, review, swap panels on one, render, download', async () => {
    const { context, page } = await newPage();
    await page.goto(url);
    const headpose = 'two-people-headpose-480x270.mp4';
    const cut = 'one-person-with-cut-640x360.mp4';
    const notes = join(scratch, 'notes.mp4');
    writeFileSync(notes, 'not a video\n');
    await page.screenshot({ path: join(shots, 'app-empty.png') });
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([fixture(headpose), fixture(cut), notes]);
    // Checked before any work: the bad file is marked with its reason, the videos show what they are.
    await expect.poll(() => status(page, 'notes.mp4'), { timeout: 30_000 }).toBe('Cannot be used');
    expect(await page.getByRole('alert').first().textContent()).toContain('notes.mp4: not a video file');
    await expect.poll(() => status(page, headpose), { timeout: 30_000 }).toBe('Ready');
    expect(await page.locator('df-job-card', { hasText: headpose }).locator('.facts').textContent()).toContain('480x270');
    // Layout: stacked, at a small size so the test stays quick on a CPU.
    expect(await page.locator('dualface-app summary').textContent()).toContain('Side by side 1920x1080 · quality auto · review on');
    await openSettings(page);
    await page.getByLabel('Layout').selectOption('stacked');
    await page.getByLabel('Output size').fill('270x480');
    await page.getByLabel('Output size').press('Enter');
    await page.screenshot({ path: join(shots, 'app-added.png'), fullPage: true });
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, headpose), { timeout: 120_000, interval: 500 }).toBe('Ready for review');
    await expect.poll(() => status(page, cut), { timeout: 120_000, interval: 500 }).toBe('Ready for review');
    const headposeCard = page.locator('df-job-card', { hasText: headpose });
    await expect.poll(() => headposeCard.locator('.shot img').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Every thumbnail of the cut clip arrives, and shows the picture (those frames are not black).
    const cutCardForThumbs = page.locator('df-job-card', { hasText: cut });
    await expect.poll(() => cutCardForThumbs.locator('.shot img').count(), { timeout: 60_000 }).toBe(await cutCardForThumbs.locator('.shot').count());
    await expect
      .poll(() => cutCardForThumbs.locator('.face').evaluateAll((faces) => faces.every((f) => (f as HTMLElement).style.backgroundImage.startsWith('url('))), {
        timeout: 60_000,
      })
      .toBe(true);
    const brightness = await cutCardForThumbs.locator('.shot img, .face').evaluateAll(async (elements) => {
      const means: number[] = [];
      for (const element of elements) {
        const src = element instanceof HTMLImageElement ? element.src : /url\("?([^")]+)"?\)/.exec((element as HTMLElement).style.backgroundImage)![1]!;
        // Loaded as an image (the page's policy allows blob: images, not blob: fetches).
        const image = new Image();
        image.src = src;
        await image.decode();
        const bitmap = await createImageBitmap(image);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
        means.push(sum / (data.length / 4));
      }
      return means;
    });
    expect(brightness.length).toBeGreaterThan(4);
    for (const mean of brightness) expect(mean).toBeGreaterThan(8);
    await page.screenshot({ path: join(shots, 'app-review.png'), fullPage: true });
    // Swap the panels of the first video, nudge the second's panel 1 a little, render both.
    await headposeCard.getByRole('button', { name: 'Swap panels' }).click();
    const cutCard = page.locator('df-job-card', { hasText: cut });
    await cutCard.getByRole('button', { name: 'zoom panel 1 in' }).first().click();
    await headposeCard.getByRole('button', { name: `Render ${headpose}` }).click();
    await cutCard.getByRole('button', { name: `Render ${cut}` }).click();
    await expect.poll(() => status(page, headpose), { timeout: 180_000, interval: 500 }).toBe('Done');
    await expect.poll(() => status(page, cut), { timeout: 180_000, interval: 500 }).toBe('Done');
    await page.screenshot({ path: join(shots, 'app-done.png'), fullPage: true });

    for (const [name, frames] of [
      [headpose, '56'],
      [cut, '275'],
    ] as const) {
      const saved = await download(page, `Download ${name.replace('.mp4', '.dualface.mp4')}`, scratch);
      const video = (await probe(saved)).streams.find((s) => s.codec_type === 'video')!;
      expect({ codec: video.codec_name, width: video.width, height: video.height, frames: video.nb_read_frames }).toEqual({
        codec: 'h264',
        width: 270,
        height: 480,
        frames,
      });
      expect(await decodeErrors(saved)).toBe('');
    }
    // The swapped job: the woman (left in the source) is now in panel 0's counterpart, panel 1 (bottom).
    const tracks = JSON.parse(readFileSync(await download(page, 'Download framing', scratch, headposeCard), 'utf8')) as TracksFile;
    expect(tracks.output.layout).toBe('stacked');
    for (const frame of tracks.frames) {
      expect(rectCentre(frame.panels[0]!).x).toBeGreaterThan(240);
      expect(rectCentre(frame.panels[1]!).x).toBeLessThan(240);
    }
    // The run report, as the page offers it.
    const pending = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report' }).click();
    const reportFile = join(scratch, 'report.json');
    await (await pending).saveAs(reportFile);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { jobs: { input: string; error: string | null; frames: number | null }[] };
    expect(report.jobs.map((j) => [j.input, j.error === null ? j.frames : j.error])).toEqual(
      expect.arrayContaining([
        [headpose, 56],
        [cut, 275],
        ['notes.mp4', expect.stringMatching(/not a video file/)],
      ]),
    );
    await context.close();
  });

  it('shows each job working, lets one be cancelled, and the live view reports encoders and fallbacks', async () => {
    const { context, page } = await newPage();
    await page.goto(`${url}?review=0&encoders=1&jobs=2&size=270x480&layout=stacked`);
    await page
      .locator('dualface-app input[type=file]:not([webkitdirectory])')
      .setInputFiles([fixture('two-people-headpose-480x270.mp4'), fixture('crowd-1080p.mp4')]);
    await expect.poll(() => status(page, 'crowd-1080p.mp4'), { timeout: 30_000 }).toBe('Ready');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, 'crowd-1080p.mp4'), { timeout: 60_000, interval: 200 }).toMatch(/Analysing/);
    await page.screenshot({ path: join(shots, 'app-working.png'), fullPage: true });
    await page.getByRole('button', { name: 'Cancel crowd-1080p.mp4' }).click();
    await expect.poll(() => status(page, 'crowd-1080p.mp4'), { timeout: 60_000 }).toBe('Cancelled');
    await expect.poll(() => status(page, 'two-people-headpose-480x270.mp4'), { timeout: 180_000, interval: 500 }).toBe('Done');
    // Without a hardware H.264 encoder (Debian's Chromium) the fallback shows up in the live view.
    if (!(await browserCapabilities()).hardwareH264['270x480']) {
      const log = page.getByRole('list', { name: 'fallbacks and errors' });
      await expect.poll(() => log.textContent()).toMatch(/two-people-headpose-480x270\.mp4: software encoder: hardware encoder failed/);
    }
    expect(await page.getByRole('img', { name: /frames per second over the last \d+ seconds/ }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'app-dashboard.png'), fullPage: true });
    await context.close();
  });

  it('remembers settings between visits; a link overrides them', async () => {
    const { context, page } = await newPage();
    await page.goto(url);
    await openSettings(page);
    await page.getByLabel('When one person is away for 2 s or more').selectOption('full-width');
    await page.reload();
    expect(await page.locator('dualface-app summary').textContent()).toContain('one person alone fills the picture');
    await openSettings(page);
    expect(await page.getByLabel('When one person is away for 2 s or more').inputValue()).toBe('full-width');
    await page.goto(`${url}?missingPolicy=keep`);
    await openSettings(page);
    expect(await page.getByLabel('When one person is away for 2 s or more').inputValue()).toBe('keep');
    await context.close();
  });

  it('is installable: a valid manifest and a service worker, as Chromium reports it', async () => {
    // Installability is not offered in incognito-like contexts: use a profile of its own.
    const context = await chromium.launchPersistentContext(mkdtempSync(join(scratch, 'profile-')), {
      executablePath: findChrome()!,
      args: chromeFlags(),
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toMatch(/manifest\.webmanifest$/);
    await expect
      .poll(async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }).installabilityErrors, { timeout: 30_000 })
      .toEqual([]);
    await context.close();
  });

  it('works offline once loaded, and no request ever leaves the machine', async () => {
    const { context, page } = await newPage();
    const origin = new URL(url).origin;
    const elsewhere: string[] = [];
    context.on('request', (request) => {
      const u = request.url();
      if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) elsewhere.push(u);
    });
    await page.goto(`${url}?review=0&size=270x480&layout=stacked`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    await page.reload();
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([fixture('two-people-headpose-480x270.mp4')]);
    await expect.poll(() => status(page, 'two-people-headpose-480x270.mp4'), { timeout: 30_000 }).toBe('Ready');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, 'two-people-headpose-480x270.mp4'), { timeout: 180_000, interval: 500 }).toBe('Done');
    await page.screenshot({ path: join(shots, 'app-offline-done.png'), fullPage: true });
    const saved = await download(page, 'Download two-people-headpose-480x270.dualface.mp4', scratch);
    expect((await probe(saved)).streams.find((s) => s.codec_type === 'video')!.nb_read_frames).toBe('56');
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it('a render interrupted by a reload is offered on the next visit and resumes from its checkpoint', async () => {
    // 30 s of two people with a tone, rendered to 1080x1920: long enough to reload midway.
    const clip = join(scratch, 'talk.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      fixture('stills/two-people-1126x661.jpg'),
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      '30',
      '-filter_complex',
      "[0:v]scale=1126:662,zoompan=z='1+0.1*on/900':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=960x540:fps=30,format=yuv420p[v]",
      '-map',
      '[v]',
      '-map',
      '1:a',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-g',
      '60',
      '-c:a',
      'aac',
      '-shortest',
      clip,
    ]);
    const settings = '?review=0&size=1080x1920&layout=stacked&encoders=0';
    const renderOnce = async (page: Page, reloadAt: number | null) => {
      await page.goto(`${url}${settings}`);
      await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([clip]);
      await expect.poll(() => status(page, 'talk.mp4'), { timeout: 30_000 }).toBe('Ready');
      await page.getByRole('button', { name: 'Make split-screen videos' }).click();
      if (reloadAt === null) return;
      await expect
        .poll(async () => Number(/^Rendering: (\d+) %/.exec((await status(page, 'talk.mp4')) ?? '')?.[1] ?? -1), { timeout: 180_000, interval: 200 })
        .toBeGreaterThanOrEqual(reloadAt);
      await page.reload();
    };
    const { context, page } = await newPage();
    await renderOnce(page, 50);
    const interrupted = page.getByRole('region', { name: 'interrupted renders' });
    await expect.poll(() => interrupted.textContent(), { timeout: 10_000 }).toMatch(/talk\.mp4 → talk\.dualface\.mp4: stopped after (\d+) of 900 frames/);
    const kept = Number(/stopped after (\d+) of 900/.exec((await interrupted.textContent())!)![1]);
    expect(kept).toBeGreaterThanOrEqual(60);
    await page.screenshot({ path: join(shots, 'app-interrupted.png'), fullPage: true });
    // Another file is refused, naming the one it needs.
    const other = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Resume talk.mp4…' }).click();
    await (await other).setFiles(fixture('two-people-headpose-480x270.mp4'));
    await expect.poll(() => interrupted.getByRole('alert').textContent()).toMatch(/is not the video this render was made from: choose talk\.mp4/);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Resume talk.mp4…' }).click();
    await (await chooser).setFiles(clip);
    await expect.poll(() => status(page, 'talk.mp4'), { timeout: 180_000, interval: 500 }).toBe('Done');
    expect(await interrupted.count()).toBe(0);
    const resumed = await download(page, 'Download talk.dualface.mp4', scratch);
    const resumedCopy = join(scratch, 'resumed.mp4');
    copyFileSync(resumed, resumedCopy);
    // The same render uninterrupted, in a fresh page.
    const fresh = await newPage();
    await renderOnce(fresh.page, null);
    await expect.poll(() => status(fresh.page, 'talk.mp4'), { timeout: 180_000, interval: 500 }).toBe('Done');
    const whole = await download(fresh.page, 'Download talk.dualface.mp4', scratch);
    await expectFaithfulOutput(clip, resumedCopy, { width: 1080, height: 1920 });
    expect(await videoTimes(resumedCopy)).toEqual(await videoTimes(whole));
    expect(await psnr(resumedCopy, whole)).toBeGreaterThanOrEqual(35);
    // Nothing of the log is left in the origin-private file system: the two MP4s only.
    const names = await page.evaluate(async () => {
      const found: string[] = [];
      for await (const name of ((await navigator.storage.getDirectory()) as unknown as { keys(): AsyncIterable<string> }).keys()) found.push(name);
      return found;
    });
    expect(names.filter((n) => !n.endsWith('.mp4'))).toEqual([]);
    await fresh.context.close();
    await context.close();
  });

  it('with "Find who is speaking" and the highlight: the review shows the turns and marks the talker in the preview, a swap takes them along, the speaker turns download as RTTM', async () => {
    // The talking face on the left, the silent one on the right, the conversation's audio.
    const pair = join(scratch, 'pair.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      fixture('speakers/speaking_1.mp4'),
      '-i',
      fixture('speakers/silence_4.mp4'),
      '-filter_complex',
      '[0:v][1:v]hstack=inputs=2[v]',
      '-map',
      '[v]',
      '-map',
      '0:a',
      '-c:v',
      'libx264',
      '-c:a',
      'copy',
      '-shortest',
      pair,
    ]);
    const { context, page } = await newPage();
    await page.goto(`${url}?review=1&speech=1&speakerHighlight=1&size=480x270`);
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([pair]);
    await expect.poll(() => status(page, 'pair.mp4'), { timeout: 30_000 }).toBe('Ready');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, 'pair.mp4'), { timeout: 120_000, interval: 500 }).toBe('Ready for review');
    const card = page.locator('df-job-card', { hasText: 'pair.mp4' });
    const turns = card.getByRole('img', { name: /who speaks when in pair\.mp4/ }).locator('.bar');
    const seconds = async (panel: 0 | 1) =>
      (await turns.evaluateAll((bars, p) => bars.filter((b) => b.classList.contains(`p${p}`)).map((b) => b.getAttribute('title') ?? ''), panel))
        .map((title) => /([\d.]+)–([\d.]+) s/.exec(title)!)
        .reduce((sum, m) => sum + Number(m[2]) - Number(m[1]), 0);
    // The talker sits left: panel 1 (index 0) speaks most.
    expect(await seconds(0)).toBeGreaterThan(3 * (await seconds(1)));
    // The preview marks the talker's panel (the highlight setting is on) inside a turn, and not the other.
    const player = card.locator('df-review-player');
    await expect
      .poll(() => player.evaluate((p) => (p.shadowRoot!.querySelector('video.master') as HTMLVideoElement).readyState), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    await player.evaluate((p) => (p as unknown as { seekTo(t: number): void }).seekTo(5));
    const mark = (panel: number) =>
      player.evaluate((p, i) => parseFloat((p.shadowRoot!.querySelector(`.mark.p${i}`) as HTMLElement).style.borderWidth) || 0, panel);
    await expect.poll(() => mark(0)).toBeGreaterThan(1);
    expect(await mark(1)).toBe(0);
    await page.screenshot({ path: join(shots, 'app-review-speech.png'), fullPage: true });
    await card.getByRole('button', { name: 'Swap panels' }).click();
    await expect.poll(async () => (await seconds(1)) > 3 * (await seconds(0))).toBe(true);
    await card.getByRole('button', { name: 'Render pair.mp4' }).click();
    await expect.poll(() => status(page, 'pair.mp4'), { timeout: 180_000, interval: 500 }).toBe('Done');
    const rttm = readFileSync(await download(page, 'Download speaker turns', scratch), 'utf8')
      .trim()
      .split('\n');
    const spoken = (speaker: string) => rttm.filter((l) => l.split(' ')[7] === speaker).reduce((sum, l) => sum + Number(l.split(' ')[4]), 0);
    expect(rttm.every((l) => l.startsWith('SPEAKER pair 1 '))).toBe(true);
    // Swapped: the talker is in panel 2 now (panel1 in RTTM).
    expect(spoken('panel1')).toBeGreaterThan(3 * spoken('panel0'));
    await context.close();
  });

  it('review: the preview plays the split screen; a crop dragged, undone, dragged again, zoomed by its corner; keys; the render follows the preview', async () => {
    const name = 'two-people-headpose-480x270.mp4';
    const { context, page } = await newPage();
    await page.goto(`${url}?review=1&size=480x270`);
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([fixture(name)]);
    await expect.poll(() => status(page, name), { timeout: 30_000 }).toBe('Ready');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, name), { timeout: 120_000, interval: 500 }).toBe('Ready for review');
    const player = page.locator('df-job-card', { hasText: name }).locator('df-review-player');
    await expect
      .poll(() => player.evaluate((p) => (p.shadowRoot!.querySelector('video.master') as HTMLVideoElement).readyState), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    const frame = () => player.evaluate((p) => (p as unknown as { shownFrame(): number }).shownFrame());
    const crop = player.locator('.crop.p1');
    /** Panel 2's crop as the preview draws it, in source pixels (480x270). */
    const shownCrop = () =>
      crop.evaluate((el) =>
        ['left', 'top', 'width', 'height'].map((k, i) => (parseFloat((el as HTMLElement).style.getPropertyValue(k)) / 100) * (i % 2 ? 270 : 480)),
      );

    // Keys: → steps one frame at a time, Shift+→ a second, ← back.
    await player.locator('.time').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(frame).toBe(3);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(frame).toBeGreaterThan(12);
    await page.keyboard.press('ArrowLeft');
    const at = await frame();

    // Drag panel 2's crop 30 px right, undo it, drag it 24 px left and 10 px up.
    const before = await shownCrop();
    const drag = async (dx: number, dy: number) => {
      const box = (await crop.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + box.width / 2 + (dx * i) / 5, box.y + box.height / 2 + (dy * i) / 5);
      await page.mouse.up();
    };
    await drag(30, 0);
    await expect.poll(async () => (await shownCrop())[0]! - before[0]!).toBeGreaterThan(5);
    await page.keyboard.press('z');
    await expect.poll(async () => Math.abs((await shownCrop())[0]! - before[0]!)).toBeLessThan(0.5);
    await drag(-24, -10);
    await expect.poll(async () => before[0]! - (await shownCrop())[0]!).toBeGreaterThan(4);
    expect((await shownCrop())[2]).toBeCloseTo(before[2]!, 0);
    // Its corner dragged outwards: a wider view of the same place (zoomed out about the centre).
    const handle = (await crop.locator('.handle').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(handle.x + handle.width / 2 + 2 * i, handle.y + handle.height / 2 + 2 * i);
    await page.mouse.up();
    await expect.poll(async () => (await shownCrop())[2]! - before[2]!).toBeGreaterThan(2);
    const edited = await shownCrop();
    // A second later, an edit from the frame shown to the shot's end only.
    await player.locator('.time').click();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(frame).toBeGreaterThan(at + 5);
    const later = await frame();
    await page.getByRole('combobox', { name: 'where a crop edit applies' }).selectOption('from-here');
    const laterBefore = await shownCrop();
    await drag(20, 0);
    await expect.poll(async () => (await shownCrop())[0]! - laterBefore[0]!).toBeGreaterThan(4);
    const laterEdited = await shownCrop();
    await player.locator('.time').click();
    await page.screenshot({ path: join(shots, 'app-review-player.png'), fullPage: true });
    await page.keyboard.press('?');
    expect(await page.getByRole('dialog', { name: 'keyboard shortcuts' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'app-keys.png'), fullPage: true });
    await page.keyboard.press('?');

    // Space plays, and the preview keeps up; Space again pauses.
    const quality = () => player.evaluate((p) => (p as unknown as { playbackQuality(): { presented: number; dropped: number } }).playbackQuality());
    const presentedBefore = (await quality()).presented;
    await page.keyboard.press('Space');
    await expect.poll(() => player.evaluate((p) => (p.shadowRoot!.querySelector('video.master') as HTMLVideoElement).paused)).toBe(false);
    await page.waitForTimeout(1500);
    await page.keyboard.press('Space');
    const played = await quality();
    console.log(`preview of ${name}: ${played.presented - presentedBefore} frames presented in 1.5 s of play, ${played.dropped} dropped`);
    expect(played.presented - presentedBefore).toBeGreaterThan(5);

    // Render: the tracks file has the preview's crop at the edited frame, and the output shows the face where that crop put it.
    await page.getByRole('button', { name: `Render ${name}` }).click();
    await expect.poll(() => status(page, name), { timeout: 180_000, interval: 500 }).toBe('Done');
    const card = page.locator('df-job-card', { hasText: name });
    const tracks = JSON.parse(readFileSync(await download(page, 'Download framing', scratch, card), 'utf8')) as TracksFile;
    const rendered = tracks.frames[at]!.panels[1]!;
    for (const [i, v] of [rendered.x, rendered.y, rendered.w, rendered.h].entries()) expect(Math.abs(v - edited[i]!)).toBeLessThan(1);
    const renderedLater = tracks.frames[later]!.panels[1]!;
    for (const [i, v] of [renderedLater.x, renderedLater.y, renderedLater.w, renderedLater.h].entries()) expect(Math.abs(v - laterEdited[i]!)).toBeLessThan(1);
    // The frame before it kept the whole-shot edits only.
    expect(renderedLater.x - tracks.frames[later - 1]!.panels[1]!.x).toBeGreaterThan(3);
    const output = await download(page, `Download ${name.replace('.mp4', '.dualface.mp4')}`, scratch);
    const sourcePng = join(scratch, 'edited-source.png');
    const outputPng = join(scratch, 'edited-output.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', fixture(name), '-vf', `select=eq(n\\,${at})`, '-frames:v', '1', sourcePng]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', output, '-vf', `select=eq(n\\,${at})`, '-frames:v', '1', outputPng]);
    const detector = await DetectorPage.open();
    try {
      const inSource = (await detector.detect(sourcePng)).map((f) => rectCentre(f.box)).find((c) => c.x > rendered.x && c.x < rendered.x + rendered.w)!;
      const inPanel = (await detector.detect(outputPng)).map((f) => rectCentre(f.box)).find((c) => c.x >= 240)!;
      // Where the edited crop puts the source's face in panel 2 (x 240-480 of the output).
      const k = 240 / rendered.w;
      const expected = { x: 240 + (inSource.x - rendered.x) * k, y: (inSource.y - rendered.y) * k };
      expect(Math.hypot(inPanel.x - expected.x, inPanel.y - expected.y)).toBeLessThan(12);
    } finally {
      await detector.close();
    }
    await context.close();
  });

  it('a list of twenty videos stays readable: counted in one line, each a short row', async () => {
    const { context, page } = await newPage();
    await page.goto(url);
    const files = Array.from({ length: 20 }, (_, i) => {
      const copy = join(scratch, `episode-${String(i + 1).padStart(2, '0')}.mp4`);
      copyFileSync(fixture('two-people-headpose-480x270.mp4'), copy);
      return copy;
    });
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles(files);
    await expect.poll(() => page.getByRole('status', { name: 'videos in the list' }).textContent(), { timeout: 60_000 }).toBe('20 videos: 20 ready');
    // Each card a short row: twenty fit in a few screens.
    const heights = await page.locator('df-job-card').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().height));
    expect(heights).toHaveLength(20);
    for (const h of heights) expect(h).toBeLessThan(110);
    await page.screenshot({ path: join(shots, 'app-twenty.png'), fullPage: true });
    await context.close();
  });

  it('labels every control and shows where the keyboard is', async () => {
    const { context, page } = await newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Make split-screen videos' }).waitFor();
    const unlabelled = await page.evaluate(() => {
      const found: string[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const el of Array.from(root.querySelectorAll('*'))) {
          if (el.shadowRoot) visit(el.shadowRoot);
          if (!(el instanceof HTMLButtonElement || el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) continue;
          const named =
            el.getAttribute('aria-label') ||
            (el instanceof HTMLButtonElement ? el.textContent?.trim() : '') ||
            (el.labels && el.labels.length > 0 && el.labels[0]!.textContent?.trim());
          if (!named) found.push(el.outerHTML.slice(0, 80));
        }
      };
      visit(document);
      return found;
    });
    expect(unlabelled).toEqual([]);
    expect(await page.locator('dualface-app select, dualface-app input, dualface-app button').count()).toBeGreaterThan(10);
    await openSettings(page);
    // Tab through the first controls: each shows a focus ring (on itself, or on the label that wraps it).
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el) return 'nothing focused';
        const shows = (e: Element) => {
          const style = getComputedStyle(e);
          return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        };
        const label = el.closest('label');
        return shows(el) || (label !== null && shows(label)) ? 'ring' : `no ring on ${el.outerHTML.slice(0, 60)}`;
      });
      expect(ring).toBe('ring');
    }
    await page.screenshot({ path: join(shots, 'app-keyboard-focus.png') });
    await context.close();
  });
});
