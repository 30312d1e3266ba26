// Runs a batch of inputs through the browser pipeline: one headless Chromium, one job at a time,
// every input attempted whatever happened to the others.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AutomationJob, AutomationOutcome } from '../app/automation';
import type { JobProgress, JobResult } from '../pipeline/protocol';
import { tracksFileProblem, type TracksFile } from '../tracking/tracks-file';
import { outputBaseNames, type CliOptions } from './args';
import { launchChrome } from './browser';
import { AppServer } from './server';

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

async function openPage(browser: Browser, server: AppServer, hooks: BatchHooks): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => {
    const text = message.text();
    // MediaPipe logs its start-up notes ("INFO: ...") as console errors.
    if ((message.type() === 'error' && !text.startsWith('INFO:')) || process.env['DUALFACE_DEBUG']) hooks.onLog?.(`browser ${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => hooks.onLog?.(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => window.dualface !== undefined);
  return page;
}

export async function runBatch(distDir: string, options: CliOptions, hooks: BatchHooks = {}): Promise<JobReport[]> {
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
  const reports: JobReport[] = [];
  try {
    let page: Page | null = null;
    const pageFor = async () => {
      if (!page || page.isClosed()) page = await openPage(browser, server, hooks);
      return page;
    };
    const bases = outputBaseNames(options.inputs);
    const progressKeys = new Map<string, number>();
    const active = await pageFor();
    await active.exposeFunction('dualfaceProgress', (key: string, progress: JobProgress) => {
      const index = progressKeys.get(key);
      if (index !== undefined) hooks.onProgress?.(index, options.inputs[index]!, progress);
    });
    for (let index = 0; index < options.inputs.length; index++) {
      const input = options.inputs[index]!;
      const base = bases[index]!;
      const outputPath = resolve(join(options.outDir, `${base}.dualface.mp4`));
      const tempPath = resolve(join(options.outDir, `.${base}.dualface.mp4.partial`));
      const tracksPath = resolve(join(options.outDir, `${base}.tracks.json`));
      const report: JobReport = { input, output: null, tracks: null, result: null, error: null, wallSeconds: 0 };
      const started = performance.now();
      let outputUrl: string | null = null;
      try {
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
          tracksIn,
        };
        const key = `job-${index}`;
        progressKeys.set(key, index);
        const current = await pageFor();
        const outcome: AutomationOutcome = await current.evaluate(
          ([j, k]) => window.dualface!.run(j, k),
          [job, key] as const,
        );
        if (!outcome.ok) throw new Error(outcome.error.message);
        if (!server.outputFinished(outputUrl)) throw new Error(`${input}: the output was not completed`);
        report.result = outcome.result;
        report.output = outputPath;
        if (options.tracks) {
          await writeFile(tracksPath, JSON.stringify(outcome.result.tracks) + '\n');
          report.tracks = tracksPath;
        }
      } catch (error) {
        report.error = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        if (outputUrl) await server.discardOutput(outputUrl);
        // A crashed page is replaced for the next job.
        if (page && (page as Page).isClosed()) page = null;
      }
      report.wallSeconds = (performance.now() - started) / 1000;
      reports.push(report);
      hooks.onJobEnd?.(index, report);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  return reports;
}
