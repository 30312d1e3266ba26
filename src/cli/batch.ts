// Runs a batch of inputs through the browser pipeline: one headless Chromium, a few jobs at a time,
// every input attempted whatever happened to the others.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AutomationJob } from '../app/automation';
import type { JobProgress, JobResult } from '../pipeline/protocol';
import { reportJson } from '../pipeline/report';
import { tracksFileProblem, type TracksFile } from '../tracking/tracks-file';
import { outputBaseNames, type CliOptions } from './args';
import { launchChrome } from './browser';
import { AppServer } from './server';
import { AutomationTab } from './automation-tab';

export interface JobReport {
  input: string;
  output: string | null;
  tracks: string | null;
  result: JobResult | null;
  error: string | null;
  wallSeconds: number;
}

export interface BatchHooks {
  onProgress?: (index: number, input: string, progress: JobProgress) => void;
  onJobEnd?: (index: number, report: JobReport) => void;
  onLog?: (line: string) => void;
}

function openTab(browser: Browser, server: AppServer, hooks: BatchHooks, onProgress: (key: string, progress: JobProgress) => void): Promise<AutomationTab> {
  return AutomationTab.open(browser, `${server.url}?automation`, {
    onProgress,
    onConsole: (type, text) => {
      // MediaPipe logs its start-up notes ("INFO: ...") as console errors.
      if ((type === 'error' && !text.startsWith('INFO:')) || process.env['DUALFACE_DEBUG']) hooks.onLog?.(`browser ${type}: ${text}`);
    },
  });
}

export interface BatchResult {
  jobs: JobReport[];
  peakConcurrentEncoders: number;
}

/** The report file's shape (`--report`). */
export function batchReport(batch: BatchResult): object {
  return reportJson(batch.jobs, batch.peakConcurrentEncoders);
}

export async function runBatch(distDir: string, options: CliOptions, hooks: BatchHooks = {}, signal?: AbortSignal): Promise<BatchResult> {
  await mkdir(options.outDir, { recursive: true });
  let tracksIn: TracksFile | null = null;
  if (options.tracksIn) {
    const parsed: unknown = JSON.parse(await readFile(options.tracksIn, 'utf8'));
    const problem = tracksFileProblem(parsed);
    if (problem) throw new Error(`${options.tracksIn}: not a usable tracks file (${problem})`);
    tracksIn = parsed as TracksFile;
  }
  const server = new AppServer(resolve(distDir));
  await server.listen();
  const browser = await launchChrome();
  const reports: JobReport[] = new Array(options.inputs.length);
  let peakConcurrentEncoders = 0;
  try {
    const progressKeys = new Map<string, number>();
    const onProgress = (key: string, progress: JobProgress) => {
      const index = progressKeys.get(key);
      if (index !== undefined) hooks.onProgress?.(index, options.inputs[index]!, progress);
    };
    let tab = await openTab(browser, server, hooks, onProgress);
    await tab.call('configure', { encoders: options.encoders });
    const bases = outputBaseNames(options.inputs);
    const onAbort = () => {
      for (const key of progressKeys.keys()) tab.call('cancel', key).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort);

    const runOne = async (index: number): Promise<JobReport> => {
      const input = options.inputs[index]!;
      const base = bases[index]!;
      const outputPath = resolve(join(options.outDir, `${base}.dualface.mp4`));
      const tempPath = resolve(join(options.outDir, `.${base}.dualface.mp4.partial`));
      const tracksPath = resolve(join(options.outDir, `${base}.tracks.json`));
      const report: JobReport = { input, output: null, tracks: null, result: null, error: null, wallSeconds: 0 };
      const started = performance.now();
      let outputUrl: string | null = null;
      try {
        if (signal?.aborted) throw new Error(`${input}: cancelled`);
        if (!existsSync(input)) throw new Error(`${input}: no such file`);
        if (!statSync(input).isFile()) throw new Error(`${input}: not a file`);
        outputUrl = server.addOutput(outputPath, tempPath);
        const job: AutomationJob = {
          name: basename(input),
          inputUrl: server.addInput(resolve(input)),
          outputUrl,
          outputName: basename(outputPath),
          layout: options.layout,
          size: options.size,
          detectionRate: options.detectionRate,
          compositor: options.compositor,
          missingPolicy: options.missingPolicy,
          trimEmpty: options.trimEmpty,
          debugOverlay: options.debugOverlay,
          tracksIn,
          returnTracks: options.tracks,
        };
        const key = `job-${index}`;
        progressKeys.set(key, index);
        const outcome = await tab.call('run', job, key);
        if (!outcome.ok) throw new Error(outcome.error.message);
        if (!server.outputFinished(outputUrl)) throw new Error(`${input}: the output was not completed`);
        report.result = outcome.result;
        report.output = outputPath;
        if (options.tracks) {
          await writeFile(tracksPath, JSON.stringify(outcome.result.tracks) + '\n');
          report.tracks = tracksPath;
        }
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        report.error = message.replace(/^Error: /, '');
        if (outputUrl) await server.discardOutput(outputUrl);
        // A crashed tab is replaced for the jobs still to come.
        if (tab.closed) {
          const crashed = tab;
          tab = await openTab(browser, server, hooks, onProgress);
          await crashed.close();
          await tab.call('configure', { encoders: options.encoders });
        }
      }
      report.wallSeconds = (performance.now() - started) / 1000;
      hooks.onJobEnd?.(index, report);
      return report;
    };

    // A small pool: with two jobs in flight one analyses while the other renders.
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.jobs, options.inputs.length) }, async () => {
      while (next < options.inputs.length) {
        const index = next++;
        reports[index] = await runOne(index);
      }
    });
    await Promise.all(lanes);
    signal?.removeEventListener('abort', onAbort);
    peakConcurrentEncoders = await tab.call('peakEncoders').catch(() => 0);
    await tab.close();
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  return { jobs: reports, peakConcurrentEncoders };
}
