// `npm run bench:resume [-- INPUT] [--runs N] [--at FRACTION] [--layout L] [--size WxH]`
// What resuming saves, with the command line as a user runs it: (A) a whole run, timed; (B) a run
// killed with SIGKILL (its whole process group) once its checkpoint holds FRACTION of the frames
// (0.6), then the same command again, timed. A and B alternate; prints the medians and B / A.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defaultInput, median, projectRoot } from './bench-input';

const cli = join(projectRoot(), 'bin', 'dualface.mjs');

interface Options {
  input: string;
  runs: number;
  at: number;
  extra: string[];
}

function parse(argv: string[]): Options {
  let input: string | null = null;
  let runs = 3;
  let at = 0.6;
  const extra: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') runs = Math.max(1, Number(argv[++i]) || 3);
    else if (arg === '--at') at = Math.min(0.95, Math.max(0.05, Number(argv[++i]) || 0.6));
    else if (arg === '--layout' || arg === '--size') extra.push(arg, argv[++i] ?? '');
    else input = arg;
  }
  return { input: input ?? defaultInput(), runs, at, extra };
}

/** Runs the CLI; `killAt`: SIGKILL its group once the journal's checkpoint holds that many frames. Returns seconds. */
function runCli(args: string[], out: string, killAt: number | null): Promise<{ seconds: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args, '--out', out], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const journal = join(out, `.${basename(args[0]!).replace(/\.[^.]+$/, '')}.dualface.mp4.resume.json`);
    const poll =
      killAt === null
        ? null
        : setInterval(() => {
            try {
              const frames = (JSON.parse(readFileSync(journal, 'utf8')) as { checkpoint: { frames: number } | null }).checkpoint?.frames ?? 0;
              if (frames >= killAt) process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // Not written yet, or being replaced.
            }
          }, 20);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      if (killAt === null && code !== 0) reject(new Error(`dualface exited ${code ?? signal}: ${stderr.trim().split('\n').pop()}`));
      else resolve({ seconds: (performance.now() - started) / 1000, stderr });
    });
  });
}

function frameCount(input: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=nb_frames', '-of', 'csv=p=0', input]).toString().trim(),
  );
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const frames = frameCount(options.input);
  const killAt = Math.round(frames * options.at);
  const args = [options.input, ...options.extra];
  const whole: number[] = [];
  const resumed: number[] = [];
  const kept: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    const scratch = mkdtempSync(join(tmpdir(), 'dualface-bench-resume-'));
    try {
      whole.push((await runCli(args, join(scratch, 'a'), null)).seconds);
      await runCli(args, join(scratch, 'b'), killAt);
      const again = await runCli(args, join(scratch, 'b'), null);
      resumed.push(again.seconds);
      kept.push(Number(/\((\d+) frames rendered before/.exec(again.stderr)?.[1] ?? 0));
      process.stderr.write(
        `run ${r + 1}/${options.runs}: whole ${whole.at(-1)!.toFixed(1)} s, resumed after ${kept.at(-1)} frames ${resumed.at(-1)!.toFixed(1)} s\n`,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const a = median(whole);
  const b = median(resumed);
  process.stdout.write(
    [
      `input: ${options.input} (${frames} frames); dualface ${args.slice(1).join(' ') || '(defaults)'}; medians of ${options.runs} runs`,
      `(A) whole run                          ${a.toFixed(1).padStart(6)} s`,
      `(B) resumed after ${median(kept)} of ${frames} frames   ${b.toFixed(1).padStart(6)} s   ${(b / a).toFixed(2)} x (A)`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:resume: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
