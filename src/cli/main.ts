// `dualface IN.mp4 [IN2.mp4 ...] --out DIR [...]`: the browser pipeline, headless, for batches.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './args';
import { rename, rm, writeFile } from 'node:fs/promises';
import { describeFsError } from './server';
import { batchReport, runBatch, type JobReport } from './batch';
import { progressLine } from './progress';
import { describeRenderEffort } from '../job/render-effort';
import { messageOf } from '../core/errors';
import { useRunScratch } from './scratch';

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

const controller = new AbortController();
let signalExit = 0;

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    process.stderr.write(`dualface: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  useRunScratch();
  const total = options.inputs.length;
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  // Ctrl-C (or SIGTERM) cancels every job: partial outputs are removed but for the renders' packet
  // logs, which the same command resumes; the report is written with what finished. The CLI alone handles these signals (the browser driver's handlers are off, and
  // the browser runs in a process group of its own, so it does not die under the cancel). A second
  // Ctrl-C quits at once; the temporaries are removed on exit all the same.
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signalExit);
    signalExit = signal === 'SIGINT' ? 130 : 143;
    process.stderr.write(
      `${tty ? '\r\u001b[K' : '\n'}dualface: cancelled; what was rendered is kept: run the same command again to resume, with --restart to start over (Ctrl-C again to quit at once)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const batch = await runBatch(
    distDir,
    options,
    {
      onLog: (line) => process.stderr.write(`${line}\n`),
      onProgress: (index, input, p) => {
        const now = Date.now();
        if (!tty && now - lastLine < 2000) return;
        lastLine = now;
        const line = progressLine(`[${index + 1}/${total}]`, input, p);
        process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
      },
      onJobEnd: (index, report) => {
        const prefix = `${tty ? '\r\u001b[K' : ''}[${index + 1}/${total}]`;
        if (report.status === 'cancelled') return;
        if (report.status === 'skipped') {
          process.stderr.write(`${prefix} ${report.error}\n`);
        } else if (report.error) {
          process.stderr.write(`${prefix} FAILED ${report.error}\n`);
        } else {
          const r = report.result!;
          for (const note of r.notes ?? []) process.stderr.write(`${prefix} ${report.input}: ${note}\n`);
          const fallbacks = r.fallbacks.length
            ? `, after fallback: ${r.fallbacks.map((f) => (f.keptFrames ? `${f.reason}; continued in software after the ${f.keptFrames} frames written` : f.reason)).join('; ')}`
            : '';
          const wrote = report.output ?? `${report.tracks} (analysis only)`;
          if (report.resumedFrames !== undefined && report.resumedFrames >= r.frames) {
            process.stderr.write(
              `${prefix} ${report.input} -> ${wrote} (made from the ${r.frames} frames an interrupted run rendered, in ${report.wallSeconds.toFixed(1)} s; audio ${r.audio})\n`,
            );
            return;
          }
          process.stderr.write(
            `${prefix} ${report.input} -> ${wrote} (${r.frames} frames in ${report.wallSeconds.toFixed(1)} s: ${r.passes === 'one' ? `one pass: people found in ${r.castSeconds.toFixed(1)} s, then analysis and render together` : `analysis ${r.analyseSeconds.toFixed(1)} s`} (${r.detections} detections, ${r.detectSeconds.toFixed(1)} s: ${r.detectEffort.tiles} regions, drawing ${r.detectEffort.drawSeconds.toFixed(1)} s, network ${r.detectEffort.networkSeconds.toFixed(1)} s, likeness of ${r.detectEffort.described} faces ${r.detectEffort.likenessSeconds.toFixed(1)} s), render ${r.renderSeconds.toFixed(1)} s (${describeRenderEffort(r.renderEffort)}); ${speedOf(report)}; compositor ${r.compositor} (${r.compositorReason}), ${r.encoder} encoder ${r.encoderCodec}${fallbacks}, audio ${r.audio})\n`,
          );
        }
      },
    },
    controller.signal,
  );
  const reports = batch.jobs;
  if (options.report) await writeReport(options.report, JSON.stringify(batchReport(batch), null, 2) + '\n');
  const count = (status: string) => reports.filter((r) => r.status === status).length;
  const skipped = count('skipped') > 0 ? `, ${count('skipped')} skipped` : '';
  if (controller.signal.aborted) return signalExit;
  const failed = count('failed');
  if (total > 1) process.stderr.write(`${count('done')} of ${total} succeeded${skipped}\n`);
  return failed > 0 ? 1 : 0;
}

/** How fast the job went against the video's own time: of the frames this run rendered, when it resumed. */
function speedOf(report: JobReport): string {
  const r = report.result!;
  const resumed = report.resumedFrames ?? 0;
  const seconds = (r.durationSeconds * (r.frames - resumed)) / Math.max(1, r.frames);
  const speed = `${(seconds / report.wallSeconds).toFixed(2)}x realtime`;
  return resumed > 0 ? `${speed} over the ${r.frames - resumed} frames of this run, resumed after ${resumed}` : speed;
}

/** Through a temporary name too: a half-written report never stands under the final name. */
async function writeReport(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.partial`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
    process.stderr.write(`report: ${path}\n`);
  } catch (error) {
    await rm(temp, { force: true });
    process.stderr.write(`dualface: the report ${path} could not be written: ${describeFsError(error)}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (!controller.signal.aborted) process.stderr.write(`dualface: ${messageOf(error)}\n`);
    process.exit(controller.signal.aborted ? signalExit : 1);
  },
);
