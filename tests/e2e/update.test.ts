// A new version of the installed app arrives while a job runs: the job finishes on the old version,
// then the page offers the new one, and "Reload" brings it. Two real production builds, served as a
// site whose files are replaced mid-job, in real Chromium.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChrome } from '../../src/cli/browser';
import { AppServer } from '../../src/cli/server';
import { fixture, ROOT } from '../browser/helpers';
import { scratchDir } from '../scratch';

const scratch = scratchDir('update');
const site = join(scratch, 'site');
let server: AppServer;
let browser: Browser;
let url: string;

/** A production build into `dir`, marked as its own version. */
function build(dir: string, id: string): string {
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', DUALFACE_BUILD_ID: id },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return /const CACHE = '([^']+)'/.exec(readFileSync(join(dir, 'sw.js'), 'utf8'))![1]!;
}

let oldCache = '';
let newCache = '';

beforeAll(async () => {
  oldCache = build(join(scratch, 'old'), 'old');
  newCache = build(join(scratch, 'new'), 'new');
  cpSync(join(scratch, 'old'), site, { recursive: true });
  server = new AppServer(site, 'app');
  await server.listen(0, 'localhost');
  url = server.url;
  browser = await launchChrome();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const status = (page: Page, name: string) => page.getByRole('status', { name: `status of ${name}` }).textContent();
const cacheNames = (page: Page) => page.evaluate(() => caches.keys());

describe('an update', () => {
  it('never replaces the app under a running job; the page offers it once no job runs', async () => {
    expect(newCache).not.toBe(oldCache);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}?review=0&size=480x270`);
    // The first visit installs the service worker, which then controls the page.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
    expect(await cacheNames(page)).toEqual([oldCache]);

    const name = 'one-person-with-cut-640x360.mp4';
    await page.locator('dualface-app input[type=file]:not([webkitdirectory])').setInputFiles([fixture(name)]);
    await expect.poll(() => status(page, name)).toBe('Ready');
    await page.getByRole('button', { name: 'Make split-screen videos' }).click();
    await expect.poll(() => status(page, name), { timeout: 60_000, interval: 100 }).toMatch(/Analysing/);

    // The new version goes live on the server while the job runs, and the browser finds it.
    rmSync(site, { recursive: true });
    cpSync(join(scratch, 'new'), site, { recursive: true });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting !== null && r?.waiting !== undefined)), {
        timeout: 60_000,
      })
      .toBe(true);
    // Waiting, not in charge: the old version still serves the running job.
    expect(await page.getByRole('button', { name: 'Reload' }).count()).toBe(0);
    expect((await cacheNames(page)).sort()).toEqual([newCache, oldCache].sort());

    await expect.poll(() => status(page, name), { timeout: 240_000, interval: 500 }).toBe('Done');
    await expect.poll(() => page.getByRole('button', { name: 'Reload' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByText('A new version of DualFace is ready').count()).toBe(1);
    await page.getByRole('button', { name: 'Reload' }).click();
    // The page reloads under the new version, whose cache alone is left.
    await expect.poll(() => cacheNames(page).catch(() => []), { timeout: 60_000 }).toEqual([newCache]);
    await context.close();
  });
});
