// `npm run bench:preview [-- INPUT] [--seconds N]`
// The review's preview in the production page, in headless Chromium as the tests run it: the input
// (default: the benchmarks' 60 s 1080p30 clip) analysed for review (and the time the review takes to
// open on its first frame), then
//   - played for N seconds (5): frames the source video presented and dropped meanwhile (the panels
//     show the same frames through its captureStream);
//   - 10 seeks to spread-out times: from the seek to the new frame presented, median and worst;
//   - 10 crop edits by the panel's buttons, and 4 swaps of the panels (a re-plan): from the click to
//     the crop drawn in its new place.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChrome } from '../src/cli/browser';
import { defaultInput, median, projectRoot } from './bench-input';

function parse(argv: string[]): { input: string; seconds: number } {
  let input: string | null = null;
  let seconds = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds') seconds = Math.max(1, Number(argv[++i]) || 5);
    else input = argv[i]!;
  }
  return { input: input ?? defaultInput(), seconds };
}

interface PlayerHandle {
  playbackQuality(): { presented: number; dropped: number };
  seekTo(t: number): void;
  togglePlay(): void;
}

/** Analyses for review; returns the seconds from "Ready for review" to the preview showing its first frame. */
async function review(page: Page, input: string): Promise<number> {
  await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([input]);
  const name = input.split('/').pop()!;
  const status = page.getByRole('status', { name: `status of ${name}` });
  await page.waitForFunction(() => true);
  for (let i = 0; i < 600 && (await status.textContent()) !== 'Ready'; i++) await page.waitForTimeout(200);
  await page.getByRole('button', { name: 'Make split-screen videos' }).click();
  for (let i = 0; i < 30000 && (await status.textContent()) !== 'Ready for review'; i++) await page.waitForTimeout(100);
  const opened = performance.now();
  const shown = page.locator('df-review-player');
  await shown.waitFor();
  for (let i = 0; i < 3000 && (await shown.evaluate((p) => p.shadowRoot!.querySelector('video')!.readyState)) < 2; i++) await page.waitForTimeout(20);
  const openSeconds = (performance.now() - opened) / 1000;
  // The shot and face thumbnails are made after the review opens: let them finish first (they decode too).
  const card = page.locator('df-job-card', { hasText: name });
  for (let i = 0; i < 300 && (await card.locator('.shot img').count()) < (await card.locator('.shot').count()); i++) await page.waitForTimeout(200);
  await page.waitForTimeout(1000);
  const player = page.locator('df-review-player');
  for (let i = 0; i < 300 && (await player.evaluate((p) => p.shadowRoot!.querySelector('video')!.readyState)) < 2; i++) await page.waitForTimeout(200);
  return openSeconds;
}

/** Clicks a review button `count` times; for each, the milliseconds until panel 1's crop is drawn elsewhere. */
function timeClicks(page: Page, name: string, count: number): Promise<number[]> {
  return page.locator('df-review').evaluate(
    async (review, [label, n]) => {
      const crop = review.shadowRoot!.querySelector('df-review-player')!.shadowRoot!.querySelector<HTMLElement>('.crop.p0')!;
      const button = Array.from(review.shadowRoot!.querySelectorAll('button')).find((b) => b.getAttribute('aria-label') === label || b.textContent === label)!;
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const was = crop.style.left;
        const start = performance.now();
        button.click();
        while (crop.style.left === was && performance.now() - start < 10_000) await new Promise((ok) => requestAnimationFrame(ok));
        times.push(performance.now() - start);
      }
      return times;
    },
    [name, count] as const,
  );
}

async function main(): Promise<void> {
  const { input, seconds } = parse(process.argv.slice(2));
  const server = spawn(process.execPath, [resolve(projectRoot(), 'dist-node', 'cli', 'serve.js')], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok) => server.stdout.once('data', (d: Buffer) => ok(d.toString().trim())));
  const browser = await launchChrome();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}?review=1&size=1920x1080`);
    const analysed = performance.now();
    const open = await review(page, input);
    console.log(
      `${input}: analysed for review in ${((performance.now() - analysed) / 1000).toFixed(1)} s; the review opened on its first frame ${(1000 * open).toFixed(0)} ms after`,
    );

    // Playing, started as a user would (a click).
    const player = page.locator('df-review-player');
    const quality = () => player.evaluate((p) => (p as unknown as PlayerHandle).playbackQuality());
    await player.evaluate((p) => (p as unknown as PlayerHandle).seekTo(0));
    const before = await quality();
    await player.getByRole('button', { name: /^play/ }).click();
    await page.waitForTimeout(seconds * 1000);
    await player.evaluate((p) => (p as unknown as PlayerHandle).togglePlay());
    const after = await quality();
    const presented = after.presented - before.presented;
    const dropped = after.dropped - before.dropped;
    console.log(
      `  played ${seconds} s: ${presented} frames presented, ${dropped} dropped (${((100 * dropped) / Math.max(1, presented + dropped)).toFixed(1)} %)`,
    );

    const seeks = await player.evaluate(async (p) => {
      const handle = p as unknown as PlayerHandle;
      const video = p.shadowRoot!.querySelector('video')!;
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = ((i * 0.37) % 1) * video.duration * 0.95;
        const start = performance.now();
        await new Promise<void>((ok) => {
          video.requestVideoFrameCallback(() => ok());
          handle.seekTo(t);
        });
        times.push(performance.now() - start);
      }
      return times;
    });
    console.log(`  seek to a new frame: median ${median(seeks).toFixed(0)} ms, worst ${Math.max(...seeks).toFixed(0)} ms (10 seeks)`);

    const edits = await timeClicks(page, 'move panel 1 right', 10);
    // What the panels show, read back once: a black panel would be a broken preview, not a fast one.
    const means = await player.evaluate((p) =>
      Array.from(p.shadowRoot!.querySelectorAll<HTMLVideoElement>('.panel video')).map((video) => {
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 36;
        const context = canvas.getContext('2d', { willReadFrequently: true })!;
        context.drawImage(video, 0, 0, 64, 36);
        const { data } = context.getImageData(0, 0, 64, 36);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
        return sum / (data.length / 4);
      }),
    );
    console.log(`  panels' mean brightness (0-255): ${means.map((m) => m.toFixed(0)).join(', ')}`);
    console.log(`  crop edit shown: median ${median(edits).toFixed(0)} ms, worst ${Math.max(...edits).toFixed(0)} ms (10 edits)`);

    const swaps = await timeClicks(page, 'Swap panels', 4);
    console.log(`  swap panels (a re-plan) shown: median ${median(swaps).toFixed(0)} ms, worst ${Math.max(...swaps).toFixed(0)} ms (4 swaps)`);
  } finally {
    await browser.close();
    server.kill();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
