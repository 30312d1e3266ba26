// `npm run bench:memory [-- --minutes 1,60] [--size WxH] [--transcode-only | --analyse-only] [--trace FILE-%m.csv]`: peak memory of the whole browser
// (every Chromium process: browser, renderer, GPU, utility) while DualFace processes a 1080p30
// input of each length. Memory must not grow with the length of the video.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomationOutcome } from '../src/app/automation';
import { parseSize } from '../src/geometry/layout';
import { callTool, openAutomationSession, scratchFile } from './session';
import { DEFAULT_SETTINGS, jobSettings } from '../src/job/settings';
import { messageOf } from '../src/core/errors';

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
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      join(fixtures, 'stills', 'two-people-1126x661.jpg'),
      '-f',
      'lavfi',
      '-i',
      'sine=f=220:r=48000',
      '-t',
      '60',
      '-r',
      '30',
      '-vf',
      'scale=1920:1080,setsar=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '60',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      one,
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

/**
 * Memory (bytes) of a process and all its descendants, from /proc; and per kind of process. PSS
 * (proportional set size): each shared page is counted once across processes, split between those
 * sharing it. Summing RSS instead counts Chromium's code once per process — several renderers
 * (Chromium keeps spare ones) then look like hundreds of MiB that are not there.
 */
function treeMemory(rootPid: number, byKind?: Map<string, number>): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const pss = (pid: number) => {
    try {
      return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  let total = 0;
  const stack = [rootPid];
  const kinds = new Map<string, number>();
  while (stack.length) {
    const pid = stack.pop()!;
    const bytes = pss(pid);
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

async function measure(
  path: string,
  size: { width: number; height: number },
  analyseOnly: boolean,
  detectionRate: number,
  transcodeOnly = false,
  trace: string | null = null,
) {
  const { server, tab, close } = await openAutomationSession(join(root, 'dist-tools', 'web'));
  const scratch = mkdtempSync(join(tmpdir(), 'dualface-memory-'));
  try {
    // playwright-core starts the browser as a child of this process: everything below it is Chromium.
    const pid = process.pid;
    let peak = 0;
    let samples = 0;
    const peakByKind = new Map<string, number>();
    const baseline = treeMemory(pid);
    const started = performance.now();
    // --trace FILE: every sample as CSV (seconds, total MiB, renderer MiB), to see where memory grows.
    if (trace) writeFileSync(trace, 'seconds,total_mib,renderer_mib\n');
    const timer = setInterval(() => {
      const kinds = new Map<string, number>();
      const total = treeMemory(pid, kinds);
      for (const [kind, bytes] of kinds) peakByKind.set(kind, Math.max(peakByKind.get(kind) ?? 0, bytes));
      peak = Math.max(peak, total);
      samples++;
      if (trace)
        appendFileSync(
          trace,
          `${((performance.now() - started) / 1000).toFixed(1)},${(total / 2 ** 20).toFixed(1)},${((kinds.get('renderer') ?? 0) / 2 ** 20).toFixed(1)}\n`,
        );
    }, 500);
    if (transcodeOnly) {
      const name = path.split('/').pop()!;
      const url = server.addInput(path);
      const t = await callTool(tab, 'transcode', url, name);
      clearInterval(timer);
      return { peak, baseline, samples, peakByKind, seconds: (performance.now() - started) / 1000, frames: t.frames };
    }
    const outcome: AutomationOutcome = await tab.call(
      'run',
      {
        name: path.split('/').pop()!,
        inputUrl: server.addInput(path),
        outputUrl: server.addOutput(scratchFile(join(scratch, 'out.mp4'))),
        outputName: 'out.mp4',
        settings: jobSettings({ ...DEFAULT_SETTINGS, size, detectionRate }),
        tracksIn: null,
        returnTracks: false,
        analyseOnly,
      },
      'memory',
    );
    clearInterval(timer);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return { peak, baseline, samples, peakByKind, seconds: (performance.now() - started) / 1000, frames: outcome.result.frames };
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
    const traceArg = args[args.indexOf('--trace') + 1];
    const trace = args.includes('--trace') && traceArg ? traceArg.replace('%m', String(m)) : null;
    const r = await measure(path, size, args.includes('--analyse-only'), rate, args.includes('--transcode-only'), trace);
    process.stdout.write(
      `${String(m).padStart(3)} min 1080p30 -> ${size.width}x${size.height}: ${r.frames} frames in ${r.seconds.toFixed(0)} s; ` +
        `peak memory (PSS of all Chromium processes + this process) ${mib(r.peak)} (${mib(r.baseline)} before the job; ${r.samples} samples)\n` +
        `      peak by process: ${[...r.peakByKind]
          .sort((a, b) => b[1] - a[1])
          .map(([k, b]) => `${k} ${mib(b)}`)
          .join(', ')}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:memory: ${messageOf(error)}\n`);
  process.exit(1);
});
