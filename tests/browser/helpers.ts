// Shared by the browser tests: fixtures, the CLI, ffprobe/ffmpeg (our independent judges), and a
// page that detects faces afresh with the built app's detector.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Face } from '../../src/framing/types';
import { launchChrome } from '../../src/cli/browser';
import { AppServer } from '../../src/cli/server';
import type {} from '../../tools/web/page';
import { samplesAsArrays, type ScannedSamples, type VoiceFound } from '../../tools/web/protocol';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '..', '..');

export function fixturesDir(): string {
  const dir = resolve(process.env['DUALFACE_FIXTURES'] ?? resolve(ROOT, '..', 'shared', 'fixtures'));
  if (!existsSync(dir)) {
    throw new Error(`Test footage not found at ${dir}. Put the fixtures there (../shared/fixtures beside the project) or set DUALFACE_FIXTURES.`);
  }
  return dir;
}

export function fixture(name: string): string {
  const path = resolve(fixturesDir(), name);
  if (!existsSync(path)) throw new Error(`Fixture ${name} is missing from ${fixturesDir()}`);
  return path;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin', 'dualface.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The CLI in a process group of its own, as a terminal runs it (Ctrl-C goes to the whole group). */
export function startCli(args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin', 'dualface.mjs'), ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.on('close', (code, signal) => resolvePromise(code ?? (signal ? -1 : null))));
  return { child, stderr: () => stderr, exited };
}

export async function until(condition: () => boolean, what: string, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Peak signal-to-noise ratio of `a` against `b` over all frames (luma and chroma), dB: ffmpeg's psnr filter. */
export async function psnr(a: string, b: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-i', a, '-i', b, '-lavfi', 'psnr', '-f', 'null', '-'], { maxBuffer: 64 << 20 });
  const average = /PSNR .*average:(inf|[\d.]+)/.exec(stderr)?.[1];
  if (!average) throw new Error(`ffmpeg gave no PSNR for ${a} against ${b}`);
  return average === 'inf' ? Infinity : Number(average);
}

export interface ProbeStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  nb_read_frames?: string;
  bit_rate?: string;
}

export async function probe(file: string): Promise<{ streams: ProbeStream[]; format: { duration: string } }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as { streams: ProbeStream[]; format: { duration: string } };
}

/** Video presentation times in seconds, sorted. */
export async function videoTimes(file: string): Promise<number[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], {
    maxBuffer: 64 << 20,
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

/** What `ffmpeg -v error -i FILE -f null -` prints: nothing for a clean file. */
export async function decodeErrors(file: string): Promise<string> {
  const { stdout, stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { maxBuffer: 64 << 20 });
  return (stdout + stderr).trim();
}

/** Frame `index` (decode-order independent: `select` counts presented frames) as PNG or 8-bit grey. */
export async function extractFrame(file: string, index: number, out: string, filter = ''): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', '-i', file, '-vf', `select=eq(n\\,${index})${filter ? ',' + filter : ''}`, '-frames:v', '1', out]);
}

export async function extractGrey(file: string, index: number, filter = ''): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${index})${filter ? ',' + filter : ''}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  return stdout;
}

/** Normalised cross-correlation of two face patches, each resampled to 24x24 grey. */
export function faceSimilarity(a: { grey: Buffer; width: number; box: Face['box'] }, b: { grey: Buffer; width: number; box: Face['box'] }): number {
  const n = 24;
  const patch = (p: typeof a) => {
    const out = new Float64Array(n * n);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const sx = Math.round(p.box.x + ((x + 0.5) / n) * p.box.w);
        const sy = Math.round(p.box.y + ((y + 0.5) / n) * p.box.h);
        out[y * n + x] = p.grey[sy * p.width + sx] ?? 0;
      }
    }
    const mean = out.reduce((s, v) => s + v, 0) / out.length;
    const centred = out.map((v) => v - mean);
    const norm = Math.sqrt(centred.reduce((s, v) => s + v * v, 0)) || 1;
    return centred.map((v) => v / norm);
  };
  const pa = patch(a);
  const pb = patch(b);
  return pa.reduce((s, v, i) => s + v * pb[i]!, 0);
}

/** The built app in headless Chromium, used to detect faces in images with the app's own detector. */
export class DetectorPage {
  private constructor(
    private readonly server: AppServer,
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async open(): Promise<DetectorPage> {
    // The tools' page (tools/web) has the app's detector behind `dualfaceTools.detectFacesAt`.
    const dist = resolve(ROOT, 'dist-tools', 'web');
    if (!existsSync(resolve(dist, 'index.html'))) throw new Error('dist-tools/web is missing: run `npm run build:tools` first (npm test does)');
    const server = new AppServer(dist);
    await server.listen();
    const browser = await launchChrome();
    const page = await browser.newPage();
    await page.goto(`${server.url}?automation`);
    await page.waitForFunction(() => window.dualfaceTools !== undefined);
    return new DetectorPage(server, browser, page);
  }

  /** `tiles: false`: the whole image only, as a plain detector would look at it. */
  async detect(imagePath: string, tiles = true): Promise<Face[]> {
    const url = this.server.addInput(imagePath);
    return this.page.evaluate(([u, t]) => window.dualfaceTools!.detectFacesAt(u, t), [url, tiles] as const);
  }

  /**
   * The analysis' detections over a whole video, likeness included, and its cuts (in the tools
   * worker).
   */
  async scanSamples(videoPath: string): Promise<ScannedSamples> {
    const url = this.server.addInput(videoPath);
    return samplesAsArrays(await this.page.evaluate(([u, n]) => window.dualfaceTools!.scanSamples(u, n), [url, videoPath.split('/').pop()!] as const));
  }

  /** Where anyone speaks in the video's audio (Silero VAD, in the tools worker); null: no audio track. */
  async findVoice(videoPath: string): Promise<VoiceFound | null> {
    const url = this.server.addInput(videoPath);
    return this.page.evaluate(([u, n]) => window.dualfaceTools!.findVoice(u, n), [url, videoPath.split('/').pop()!] as const);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}

/** The checks every output must pass against its input, by ffprobe/ffmpeg alone. */
export async function expectFaithfulOutput(input: string, output: string, size: { width: number; height: number }) {
  const [src, dst] = await Promise.all([probe(input), probe(output)]);
  const srcVideo = src.streams.find((s) => s.codec_type === 'video')!;
  const dstVideo = dst.streams.find((s) => s.codec_type === 'video')!;
  expect(dstVideo.codec_name).toBe('h264');
  expect(dstVideo.profile).toBe('High');
  expect({ width: dstVideo.width, height: dstVideo.height }).toEqual(size);
  expect(dstVideo.nb_read_frames).toBe(srcVideo.nb_read_frames);
  const [srcTimes, dstTimes] = await Promise.all([videoTimes(input), videoTimes(output)]);
  expect(dstTimes.length).toBe(srcTimes.length);
  const worst = Math.max(...dstTimes.map((t, i) => Math.abs(t - srcTimes[i]!)));
  expect(worst).toBeLessThan(0.001);
  const frame = srcTimes.length > 1 ? (srcTimes[srcTimes.length - 1]! - srcTimes[0]!) / (srcTimes.length - 1) : 1;
  // WebM stores no per-stream duration: fall back to the container's.
  const srcDuration = Number(srcVideo.duration ?? src.format.duration);
  expect(Math.abs(Number(dstVideo.duration) - (Number.isFinite(srcDuration) ? srcDuration : Number(src.format.duration)))).toBeLessThan(frame / 2 + 0.001);
  expect(Math.abs(Number(dst.format.duration) - Number(src.format.duration))).toBeLessThan(0.05);
  const srcAudio = src.streams.find((s) => s.codec_type === 'audio');
  const dstAudio = dst.streams.find((s) => s.codec_type === 'audio');
  if (srcAudio) {
    expect(dstAudio, 'audio stream copied').toBeDefined();
    expect(dstAudio!.codec_name).toBe(srcAudio.codec_name);
    expect(dstAudio!.sample_rate).toBe(srcAudio.sample_rate);
    expect(dstAudio!.channels).toBe(srcAudio.channels);
    expect(dstAudio!.nb_read_frames).toBe(srcAudio.nb_read_frames);
  } else {
    expect(dstAudio).toBeUndefined();
  }
  expect(await decodeErrors(output)).toBe('');
}

/** What this browser on this machine offers, as the browser itself reports it. */
export interface BrowserCapabilities {
  /** The WebGPU adapter: a hardware one, a software one (SwiftShader, llvmpipe), or none. */
  webgpu: 'hardware' | 'software' | 'none';
  adapter: string;
  /** Whether H.264 High at `size` can be encoded with `prefer-hardware`. */
  hardwareH264: Record<string, boolean>;
}

let capabilities: Promise<BrowserCapabilities> | null = null;

/** Asked once per test file, in the same Chromium the CLI launches, so tests expect what will happen. */
export function browserCapabilities(sizes: readonly string[] = ['480x270', '270x480', '1920x1080', '1080x1920']): Promise<BrowserCapabilities> {
  capabilities ??= onAppPage((page) =>
    page.evaluate(
      async (wanted) => {
        const adapter = 'gpu' in navigator ? await (navigator as Navigator & { gpu: GPU }).gpu.requestAdapter() : null;
        const info = adapter?.info;
        const text = info ? `${info.vendor} ${info.architecture} ${info.description}` : 'none';
        const fallback = info?.isFallbackAdapter === true;
        const webgpu = !adapter ? 'none' : fallback || /swiftshader|llvmpipe|software/i.test(text) ? 'software' : 'hardware';
        const hardwareH264: Record<string, boolean> = {};
        for (const size of wanted) {
          const [width, height] = size.split('x').map(Number) as [number, number];
          const support = await VideoEncoder.isConfigSupported({
            codec: 'avc1.640028',
            width,
            height,
            hardwareAcceleration: 'prefer-hardware',
            avc: { format: 'avc' },
          });
          hardwareH264[size] = support.supported === true;
        }
        return { webgpu, adapter: text, hardwareH264 } as const;
      },
      [...sizes],
    ),
  );
  return capabilities;
}

/** Whether this Chromium encodes H.264 `codec` at each size at all (hardware or software), as it reports it. */
export function browserEncodes(configs: readonly { codec: string; width: number; height: number }[]): Promise<boolean[]> {
  return onAppPage((page) =>
    page.evaluate(
      async (wanted) => {
        const answers: boolean[] = [];
        for (const c of wanted)
          answers.push((await VideoEncoder.isConfigSupported({ ...c, avc: { format: 'avc' } }).catch(() => ({ supported: false }))).supported === true);
        return answers;
      },
      [...configs],
    ),
  );
}

/** Runs `ask` on a page of the built app in the Chromium the CLI launches (our origin: WebGPU and WebCodecs need a secure context). */
async function onAppPage<T>(ask: (page: Page) => Promise<T>): Promise<T> {
  const server = new AppServer(resolve(ROOT, 'dist'));
  await server.listen();
  const browser = await launchChrome();
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '?automation');
    return await ask(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
