// `dualface IN.mp4 [IN2.mp4 ...] --out DIR [...]`: the browser pipeline, headless, for batches.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './args';
import { writeFile } from 'node:fs/promises';
import { batchReport, runBatch } from './batch';
import { describeRenderEffort } from '../pipeline/render-effort';

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

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
  const total = options.inputs.length;
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  // Ctrl-C cancels every job (their partial outputs are removed); a second one exits at once.
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ndualface: cancelling (Ctrl-C again to quit at once)...\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const batch = await runBatch(distDir, options, {
    onLog: (line) => process.stderr.write(`${line}\n`),
    onProgress: (index, input, p) => {
      const now = Date.now();
      if (!tty && now - lastLine < 2000) return;
      lastLine = now;
      const line = `[${index + 1}/${total}] ${input}: ${p.phase} ${p.framesDone}/${p.framesTotal} frames, ${p.fps.toFixed(1)} fps`;
      process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    },
    onJobEnd: (index, report) => {
      const prefix = `${tty ? '\r\u001b[K' : ''}[${index + 1}/${total}]`;
      if (report.error) {
        process.stderr.write(`${prefix} FAILED ${report.error}\n`);
      } else {
        const r = report.result!;
        const speed = r.durationSeconds / report.wallSeconds;
        const fallbacks = r.fallbacks.length ? `, after fallback: ${r.fallbacks.map((f) => f.reason).join('; ')}` : '';
        process.stderr.write(
          `${prefix} ${report.input} -> ${report.output} (${r.frames} frames in ${report.wallSeconds.toFixed(1)} s: analysis ${r.analyseSeconds.toFixed(1)} s (${r.detections} detections, ${r.detectSeconds.toFixed(1)} s: ${r.detectEffort.tiles} regions, drawing ${r.detectEffort.drawSeconds.toFixed(1)} s, network ${r.detectEffort.networkSeconds.toFixed(1)} s), render ${r.renderSeconds.toFixed(1)} s (${describeRenderEffort(r.renderEffort)}); ${speed.toFixed(2)}x realtime; compositor ${r.compositor} (${r.compositorReason}), ${r.encoder} encoder ${r.encoderCodec}${fallbacks}, audio ${r.audio})\n`,
        );
      }
    },
  }, controller.signal);
  const reports = batch.jobs;
  if (options.report) {
    await writeFile(options.report, JSON.stringify(batchReport(batch), null, 2) + '\n');
    process.stderr.write(`report: ${options.report}\n`);
  }
  const failed = reports.filter((r) => r.error).length;
  if (total > 1) process.stderr.write(`${total - failed} of ${total} succeeded\n`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dualface: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
