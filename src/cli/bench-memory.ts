// `npm run bench:memory [-- --minutes 1,60] [--size WxH] [--heap] [--transcode-only | --analyse-only]`: peak memory of the whole browser
// (every Chromium process: browser, renderer, GPU, utility) while DualFace processes a 1080p30
// input of each length. Memory must not grow with the length of the video.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomationOutcome } from '../app/automation';
import { parseSize } from '../geometry/layout';
import type { Page } from 'playwright-core';
import { openAutomationSession } from './session';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, 'bench', '.cache');

/** A low-detail 1080p30 clip with audio, `minutes` long: one minute encoded, then copied end to end. */
function input(minutes: number): string {
  mkdirSync(cache, { recursive: true });
  const one = join(cache, 'memory-1min-1080p30.mp4');
  if (!existsSync(one)) {
    const fixtures = resolve(process.env['DUALFACE_FIXTURES'] ?? join(root, '..', 'shared', 'fixtures'));
    process.stderr.write('bench:memory: generating a 1-minute 1080p30 clip (once)...\n');
    execFileSync('ffmpeg', [
      '-v', 'error', '-y', '-loop', '1', '-i', join(fixtures, 'stills', 'two-people-1126x661.jpg'),
      '-f', 'lavfi', '-i', 'sine=f=220:r=48000', '-t', '60', '-r', '30',
      '-vf', 'scale=1920:1080,setsar=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', one,
    ]);
  }
  if (minutes === 1) return one;
  const long = join(cache, `memory-${minutes}min-1080p30.mp4`);
  if (!existsSync(long)) {
    process.stderr.write(`bench:memory: joining ${minutes} copies into ${long} (once)...\n`);
    const list = join(cache, `memory-${minutes}.txt`);
    writeFileSync(list, Array.from({ length: minutes }, () => `file '${one}'`).join('\n') + '\n');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', long]);
  }
  return long;
}

/** Which Chromium process a pid is (browser, renderer, gpu-process, utility, ...) or node. */
function processKind(pid: number): string {
  try {
    // Chromium rewrites its children's titles into one space-separated string.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    if (!cmdline[0]?.includes('chrom')) return 'node';
    const type = cmdline.find((a) => a.startsWith('--type='))?.slice(7);
    const sub = cmdline.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
    return type ? (sub ? `${type}:${sub.split('.').pop()}` : type) : 'browser';
  } catch {
    return 'gone';
  }
}

/** Resident memory (bytes) of a process and all its descendants, from /proc; and per kind of process. */
function treeRss(rootPid: number, byKind?: Map<string, number>): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      rss.set(Number(entry), kb * 1024);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [rootPid];
  const kinds = new Map<string, number>();
  while (stack.length) {
    const pid = stack.pop()!;
    const bytes = rss.get(pid) ?? 0;
    total += bytes;
    if (byKind) {
      const kind = processKind(pid);
      kinds.set(kind, (kinds.get(kind) ?? 0) + bytes);
    }
    stack.push(...(children.get(pid) ?? []));
  }
  if (byKind) for (const [kind, bytes] of kinds) byKind.set(kind, Math.max(byKind.get(kind) ?? 0, bytes));
  return total;
}

/**
 * `--heap`: every few seconds, forces a garbage collection in each dedicated worker (over the
 * DevTools protocol) and reads its JavaScript heap: what is really kept alive, as opposed to what
 * the process holds. Grows with the video → something is kept per frame; flat → the growth is
 * elsewhere (native memory, or heap the engine keeps but does not use).
 */
async function watchWorkerHeaps(page: Page): Promise<{ stop(): Promise<{ first: number; last: number; max: number }> }> {
  const cdp = await page.context().newCDPSession(page);
  const sessions = new Set<string>();
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string } }) => {
    if (event.targetInfo.type === 'worker') sessions.add(event.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => sessions.delete(event.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const send = (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(null));
      setTimeout(() => resolve(null), 5000);
    });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const readings: number[] = [];
  const timer = setInterval(() => {
    void (async () => {
      let total = 0;
      for (const sessionId of sessions) {
        await send(sessionId, 'HeapProfiler.collectGarbage');
        const usage = (await send(sessionId, 'Runtime.getHeapUsage')) as { usedSize?: number } | null;
        total += usage?.usedSize ?? 0;
      }
      if (total > 0) readings.push(total);
    })();
  }, 5000);
  return {
    async stop() {
      clearInterval(timer);
      await cdp.detach().catch(() => undefined);
      return { first: readings[0] ?? 0, last: readings[readings.length - 1] ?? 0, max: Math.max(0, ...readings) };
    },
  };
}

async function measure(path: string, size: { width: number; height: number }, analyseOnly: boolean, detectionRate: number, transcodeOnly = false, heap = false) {
  const { server, page, close } = await openAutomationSession(join(root, 'dist'));
  const scratch = mkdtempSync(join(tmpdir(), 'dualface-memory-'));
  const heaps = heap ? await watchWorkerHeaps(page) : null;
  try {
    // playwright-core starts the browser as a child of this process: everything below it is Chromium.
    const pid = process.pid;
    let peak = 0;
    let samples = 0;
    const peakByKind = new Map<string, number>();
    const baseline = treeRss(pid);
    const timer = setInterval(() => {
      peak = Math.max(peak, treeRss(pid, peakByKind));
      samples++;
    }, 500);
    const started = performance.now();
    if (transcodeOnly) {
      const name = path.split('/').pop()!;
      const url = server.addInput(path);
      const t = await page.evaluate(([u, n]) => window.dualface!.transcode(u, n), [url, name] as const);
      clearInterval(timer);
      return { peak, baseline, samples, peakByKind, seconds: (performance.now() - started) / 1000, frames: t.frames, heap: (await heaps?.stop()) ?? null };
    }
    const outcome: AutomationOutcome = await page.evaluate(
      ([job]) => window.dualface!.run(job, 'memory'),
      [
        {
          name: path.split('/').pop()!,
          inputUrl: server.addInput(path),
          outputUrl: server.addOutput(join(scratch, 'out.mp4'), join(scratch, '.out.partial')),
          outputName: 'out.mp4',
          layout: 'side-by-side' as const,
          size,
          detectionRate,
          compositor: 'auto' as const,
          tracksIn: null,
          returnTracks: false,
          analyseOnly,
        },
      ] as const,
    );
    clearInterval(timer);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return { peak, baseline, samples, peakByKind, seconds: (performance.now() - started) / 1000, frames: outcome.result.frames, heap: (await heaps?.stop()) ?? null };
  } finally {
    await close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const minutesArg = args[args.indexOf('--minutes') + 1];
  const minutes = args.includes('--minutes') && minutesArg ? minutesArg.split(',').map(Number) : [1, 60];
  const sizeArg = args[args.indexOf('--size') + 1];
  const size = (args.includes('--size') && sizeArg ? parseSize(sizeArg) : null) ?? { width: 480, height: 270 };
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  for (const m of minutes) {
    const path = input(m);
    const rateArg = args[args.indexOf('--detection-rate') + 1];
    const rate = args.includes('--detection-rate') && rateArg ? Number(rateArg) : 4;
    // --transcode-only: the bare decode → encode baseline, to tell our memory from the codecs' and the reader's.
    const r = await measure(path, size, args.includes('--analyse-only'), rate, args.includes('--transcode-only'), args.includes('--heap'));
    process.stdout.write(
      `${String(m).padStart(3)} min 1080p30 -> ${size.width}x${size.height}: ${r.frames} frames in ${r.seconds.toFixed(0)} s; ` +
        `peak browser memory (RSS of all Chromium processes + this process) ${mib(r.peak)} (${mib(r.baseline)} before the job; ${r.samples} samples)\n` +
        `      peak by process: ${[...r.peakByKind].sort((a, b) => b[1] - a[1]).map(([k, b]) => `${k} ${mib(b)}`).join(', ')}\n` +
        (r.heap ? `      workers' JavaScript heap after forced GC: first ${mib(r.heap.first)}, last ${mib(r.heap.last)}, max ${mib(r.heap.max)}\n` : ''),
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:memory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
