// Runs a batch of inputs through the browser pipeline: one headless Chromium, a few jobs at a time,
// every input attempted whatever happened to the others. Outputs are named and claimed for the whole
// batch first (./outputs); a job's files get their final names only when all of them are complete.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { makeFolder } from './files';
import { basename, dirname, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AutomationJob } from '../app/automation';
import type { JobFaults, JobProgress, JobResult } from '../job/protocol';
import { reportJson, type JobRecord, type JobStatus } from '../job/report';
import { tracksFileProblem, tracksMismatch, tracksSizeProblem, tracksTextProblem, type TracksFile } from '../framing/tracks-file';
import { videoFacts } from './video-facts';
import type { CliOptions } from './args';
import { jobSettings } from '../job/settings';
import { findChrome, launchChrome } from './browser';
import { memoryFile, rememberedEncoders, rememberEncoders } from './encoder-memory';
import { claimOutputs, existingOutputs, planOutputs, publishOutputs, removeTemporaries, type Claim, type JobOutputs } from './outputs';
import { ABANDONED_DAYS, jobIdentity, muxLogFile, removeAbandonedLogs, removeResumeFiles, writeJournal } from './resume';
import type { Checkpoint } from '../media/packet-log';
import { AppServer, describeFsError } from './server';
import { AutomationTab } from './automation-tab';
import { messageOf } from '../core/errors';
import { toRttm } from '../framing/speakers';

/** The report's record of a job, with what the command line always knows. */
export interface JobReport extends JobRecord {
  status: JobStatus;
  tracks: string | null;
  /** Frames an interrupted run had rendered, which this run took up (0: rendered from the start). */
  resumedFrames?: number;
}

export interface BatchHooks {
  onProgress?: (index: number, input: string, progress: JobProgress) => void;
  onJobEnd?: (index: number, report: JobReport) => void;
  onLog?: (line: string) => void;
}

export interface BatchResult {
  jobs: JobReport[];
  peakConcurrentEncoders: number;
  hardwareEncoderLimit: number;
}

/** The report file's shape (`--report`). */
export function batchReport(batch: BatchResult): object {
  return reportJson(batch.jobs, batch.peakConcurrentEncoders, batch.hardwareEncoderLimit);
}

/** A message that names the input, whatever stage it came from. */
function aboutInput(input: string, error: unknown): string {
  const message = messageOf(error)
    .split('\n')[0]!
    .replace(/^Error: /, '');
  return message.includes(basename(input)) ? message : `${input}: ${message}`;
}

async function readTracksIn(path: string): Promise<TracksFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: the tracks file could not be read: ${describeFsError(error)}`, { cause: error });
  }
  const unusable = (problem: string) => new Error(`${path}: not a usable tracks file (${problem})`);
  const textProblem = tracksTextProblem(text);
  if (textProblem) throw unusable(textProblem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unusable('not valid JSON');
  }
  const problem = tracksFileProblem(parsed) ?? tracksSizeProblem(Buffer.byteLength(text), (parsed as TracksFile).frames.length);
  if (problem) throw unusable(problem);
  return parsed as TracksFile;
}

/** A tracks file made for another video is refused before anything runs, naming both files. */
async function checkTracksAgainst(tracksPath: string, tracks: TracksFile, input: string): Promise<void> {
  const facts = await videoFacts(input).catch(() => null);
  // A file that cannot be read here fails in the job, with the reason in its own words.
  if (!facts) return;
  const problem = tracksMismatch(tracks, facts);
  if (problem) throw new Error(`${input}: the tracks file ${tracksPath} does not belong to this video (${problem})`);
}

async function checkInput(input: string): Promise<void> {
  const info = await stat(input).catch((error: unknown) => {
    throw new Error(`${input}: ${(error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : describeFsError(error)}`);
  });
  if (!info.isFile()) throw new Error(`${input}: not a file`);
}

const newReport = (input: string, status: JobStatus, error: string | null): JobReport => ({
  input,
  status,
  output: null,
  tracks: null,
  result: null,
  error,
  wallSeconds: 0,
});

/** Names and claims every job's outputs before any job runs; jobs that cannot run get their report now. */
async function prepareJobs(
  options: CliOptions,
  tracksIn: TracksFile | null,
  hooks: BatchHooks,
): Promise<{ outputs: JobOutputs[]; reports: (JobReport | null)[]; claims: Claim[] }> {
  const outputs = planOutputs(options.inputs, options.outDir, options.tracks, !options.settings.review, options.rttm ?? options.settings.speech);
  const reports: (JobReport | null)[] = [];
  const claims: Claim[] = [];
  for (const [index, input] of options.inputs.entries()) {
    const planned = outputs[index]!;
    try {
      await checkInput(input);
      const existing = options.overwrite ? [] : await existingOutputs(planned);
      if (existing.length > 0) {
        reports.push(
          newReport(
            input,
            'skipped',
            `${input}: skipped, ${existing.join(' and ')} ${existing.length > 1 ? 'exist already (--overwrite replaces them)' : 'exists already (--overwrite replaces it)'}`,
          ),
        );
        continue;
      }
      if (tracksIn && options.tracksIn) await checkTracksAgainst(options.tracksIn, tracksIn, input);
      const identity = await jobIdentity(resolve(input), jobSettings(options.settings), tracksIn ? JSON.stringify(tracksIn) : null);
      const claim = await claimOutputs(input, planned, identity, options.restart);
      if (claim.note) hooks.onLog?.(claim.note);
      claims[index] = claim;
      reports.push(null);
    } catch (error) {
      reports.push(newReport(input, 'failed', aboutInput(input, error)));
    }
  }
  return { outputs, reports, claims };
}

/** Faults that tests of the recovery paths inject (DUALFACE_TEST_*), never set by users. */
function testFaults(): JobFaults | null {
  const after = Number(process.env['DUALFACE_TEST_HARDWARE_ENCODER_FAILS_AFTER'] ?? NaN);
  return Number.isFinite(after) ? { hardwareEncoderFailsAfter: after } : null;
}

/** The MP4 from the job's complete packet log, the input's audio beside it, at `outPath`. */
async function makeMp4(
  input: string,
  log: string,
  outPath: string,
  checkpoint: Checkpoint,
  result: JobResult,
  signal: AbortSignal | undefined,
): Promise<JobResult['audio']> {
  const killHalfway = process.env['DUALFACE_TEST_KILL_WHILE_MUXING'] === '1';
  return muxLogFile({
    log,
    checkpoint,
    input: resolve(input),
    trimmed: result.tracks.trimmed ?? [],
    outPath,
    signal: signal ?? new AbortController().signal,
    // Tests of the recovery paths: a kill -9 halfway through making the MP4.
    onProgress: (frames) => {
      if (killHalfway && frames * 2 >= checkpoint.frames) process.kill(process.pid, 'SIGKILL');
    },
  }).catch((error: unknown) => {
    throw new Error(`${input}: the MP4 could not be made from the rendered frames: ${describeFsError(error)}`);
  });
}

/** Whether the job's packet log holds frames worth resuming from. */
const hasFrames = (claim: Claim) => (claim.journal?.checkpoint?.frames ?? 0) > 0;

/** How far an interrupted run got, in words. */
function resumeNote(input: string, checkpoint: Checkpoint): string {
  if (checkpoint.complete) return `${input}: resuming an interrupted run: every frame was rendered, making the MP4 (--restart starts over)`;
  return `${input}: resuming an interrupted run at ${(checkpoint.outputMicros / 1e6).toFixed(1)} s (${checkpoint.frames} frames rendered before; --restart starts over)`;
}

class TabHolder {
  tab!: AutomationTab;
  /** Hardware encoders the jobs may use at once (`auto`: measured). */
  encoderLimit = 0;

  constructor(
    private readonly browser: Browser,
    private readonly server: AppServer,
    private readonly options: CliOptions,
    private readonly hooks: BatchHooks,
    private readonly onProgress: (key: string, progress: JobProgress) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async open(): Promise<void> {
    this.tab = await AutomationTab.open(this.browser, `${this.server.url}?automation`, {
      onProgress: this.onProgress,
      onConsole: (type, text) => {
        // Once cancelled, what the page says about the cancel is noise. MediaPipe logs its start-up
        // notes ("INFO: ...") as console errors.
        if (this.signal?.aborted) return;
        if ((type === 'error' && !text.startsWith('INFO:')) || process.env['DUALFACE_DEBUG']) this.hooks.onLog?.(`browser ${type}: ${text}`);
      },
    });
    const encoders = this.options.settings.encoders;
    const browserName = `${findChrome() ?? 'chromium'} ${this.browser.version()}`;
    const known = encoders === 'auto' ? await rememberedEncoders(browserName) : null;
    this.encoderLimit = await this.tab.call('configure', { encoders, known });
    if (encoders === 'auto' && known === null) {
      await rememberEncoders(browserName, this.encoderLimit);
      this.hooks.onLog?.(
        `--encoders auto: this browser opens ${this.encoderLimit} hardware H.264 encoder${this.encoderLimit === 1 ? '' : 's'} at once (measured once, remembered in ${memoryFile()}; --encoders N sets it)`,
      );
    }
  }

  /** A crashed tab is replaced for the jobs still to come. */
  async replaceIfClosed(): Promise<void> {
    if (!this.tab.closed || this.signal?.aborted) return;
    const crashed = this.tab;
    await this.open();
    await crashed.close();
  }
}

export async function runBatch(distDir: string, options: CliOptions, hooks: BatchHooks = {}, signal?: AbortSignal): Promise<BatchResult> {
  const tracksIn = options.tracksIn ? await readTracksIn(options.tracksIn) : null;
  await makeFolder(options.outDir).catch((error: unknown) => {
    throw new Error(`${options.outDir}: the output folder could not be created: ${describeFsError(error)}`);
  });
  // `--speech FILE.rttm` may name a folder of its own.
  const rttmDir = options.rttm ? dirname(resolve(options.rttm)) : null;
  if (rttmDir) {
    await makeFolder(rttmDir).catch((error: unknown) => {
      throw new Error(`${options.rttm}: the folder for the speaker turns could not be created: ${describeFsError(error)}`);
    });
  }
  for (const log of await removeAbandonedLogs(options.outDir)) hooks.onLog?.(`${log}: removed, an interrupted run not resumed for ${ABANDONED_DAYS} days`);
  const { outputs, reports: early, claims } = await prepareJobs(options, tracksIn, hooks);
  const reports = new Array<JobReport>(options.inputs.length);
  early.forEach((report, index) => {
    if (!report) return;
    reports[index] = report;
    hooks.onJobEnd?.(index, report);
  });
  const todo = early.flatMap((report, index) => (report ? [] : [index]));
  let peakConcurrentEncoders = 0;
  let hardwareEncoderLimit = 0;
  if (todo.length === 0) return { jobs: reports, peakConcurrentEncoders, hardwareEncoderLimit };

  const server = new AppServer(resolve(distDir));
  let browser: Browser | null = null;
  try {
    await server.listen();
    if (process.env['DUALFACE_DEBUG']) hooks.onLog?.(`local server on ${server.address}`);
    browser = await launchChrome();
    const progressKeys = new Map<string, number>();
    const holder = new TabHolder(
      browser,
      server,
      options,
      hooks,
      (key, progress) => {
        const index = progressKeys.get(key);
        if (index !== undefined && !signal?.aborted) hooks.onProgress?.(index, options.inputs[index]!, progress);
      },
      signal,
    );
    await holder.open();
    const onAbort = () => {
      for (const key of progressKeys.keys()) holder.tab.call('cancel', key).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort);

    /** The job in the browser; with a video, into the packet log, checkpoints recorded in the journal. */
    const runInBrowser = async (index: number, claim: Claim): Promise<JobResult> => {
      const input = options.inputs[index]!;
      const planned = outputs[index]!;
      const { journal } = claim;
      const outputUrl =
        planned.resume && journal
          ? server.addLog(planned.resume.log, async (checkpoint) => {
              journal.checkpoint = checkpoint;
              await writeJournal(planned.resume!.journal, journal);
            })
          : null;
      try {
        if (claim.checkpoint) hooks.onLog?.(resumeNote(input, claim.checkpoint));
        const faults = testFaults();
        const job: AutomationJob = {
          name: basename(input),
          inputUrl: server.addInput(resolve(input)),
          outputUrl,
          outputLog: true,
          resume: claim.checkpoint,
          ...(faults ? { faults } : {}),
          // The name the video has (or, after --review, will have when rendered from the tracks file).
          outputName: basename(planned.video?.final ?? planned.tracks!.final.replace(/\.tracks\.json$/, '.dualface.mp4')),
          settings: jobSettings(options.settings),
          tracksIn,
          analyseOnly: options.settings.review,
          returnTracks: options.tracks,
        };
        const key = `job-${index}`;
        progressKeys.set(key, index);
        const outcome = await holder.tab.call('run', job, key);
        progressKeys.delete(key);
        signal?.throwIfAborted();
        if (!outcome.ok) throw new Error(outcome.error.message);
        if (outputUrl && !server.outputComplete(outputUrl)) throw new Error(`${input}: the output was not completed`);
        if (planned.tracks) {
          await writeFile(planned.tracks.temp, JSON.stringify(outcome.result.tracks) + '\n').catch((error: unknown) => {
            throw new Error(`${input}: the tracks file ${planned.tracks!.final} could not be written: ${describeFsError(error)}`);
          });
        }
        if (journal && planned.resume) {
          // A kill from here on resumes with the MP4 alone to make.
          journal.result = { ...outcome.result, tracks: { ...outcome.result.tracks, frames: [] } };
          journal.tracksSaved = planned.tracks !== null;
          await writeJournal(planned.resume.journal, journal);
        }
        return outcome.result;
      } finally {
        if (outputUrl) await server.releaseOutput(outputUrl);
      }
    };

    const runOne = async (index: number): Promise<JobReport> => {
      const input = options.inputs[index]!;
      const planned = outputs[index]!;
      const claim = claims[index]!;
      const report = newReport(input, 'done', null);
      const started = performance.now();
      try {
        signal?.throwIfAborted();
        const done = claim.checkpoint?.complete && claim.journal?.result ? claim.journal.result : null;
        if (done) hooks.onLog?.(resumeNote(input, claim.checkpoint!));
        const result = done ?? (await runInBrowser(index, claim));
        if (planned.rttm) {
          const rttm = toRttm(basename(input).replace(/\.[^.]+$/, ''), result.tracks.speech ?? []);
          await writeFile(planned.rttm.temp, rttm).catch((error: unknown) => {
            throw new Error(`${input}: the speaker turns ${planned.rttm!.final} could not be written: ${describeFsError(error)}`);
          });
        }
        if (planned.video && planned.resume && claim.journal?.checkpoint) {
          result.audio = await makeMp4(input, planned.resume.log, planned.video.temp, claim.journal.checkpoint, result, signal);
        }
        await publishOutputs(input, planned, options.overwrite);
        if (planned.resume) await removeResumeFiles(planned.resume);
        report.result = result;
        // What the interrupted run had rendered when this one took it up (claim.journal moves on with the render).
        if ((claim.checkpoint?.frames ?? 0) > 0) report.resumedFrames = claim.checkpoint!.frames;
        report.output = planned.video?.final ?? null;
        report.tracks = planned.tracks?.final ?? null;
      } catch (error) {
        report.status = signal?.aborted ? 'cancelled' : 'failed';
        report.error = signal?.aborted ? `${input}: cancelled` : aboutInput(input, error);
        await removeTemporaries(planned);
        // A cancelled job, or one whose browser tab crashed, keeps its packet log to resume, if it
        // holds frames; one that failed on its own (bad input) has nothing worth keeping.
        const resumable = (signal?.aborted || holder.tab.closed) && hasFrames(claim);
        if (resumable && !signal?.aborted) report.error += ' (what was rendered is kept: run the same command again to resume)';
        if (!resumable && planned.resume) await removeResumeFiles(planned.resume);
        await holder.replaceIfClosed();
      }
      report.wallSeconds = (performance.now() - started) / 1000;
      hooks.onJobEnd?.(index, report);
      return report;
    };

    // A small pool: with two jobs in flight one analyses while the other renders.
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.settings.jobs, todo.length) }, async () => {
      while (next < todo.length) {
        const index = todo[next++]!;
        reports[index] = await runOne(index);
      }
    });
    await Promise.all(lanes);
    signal?.removeEventListener('abort', onAbort);
    peakConcurrentEncoders = await holder.tab.call('peakEncoders').catch(() => 0);
    hardwareEncoderLimit = holder.encoderLimit;
    await holder.tab.close();
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
    // Whatever did not finish leaves no file behind (published outputs have no temporaries left), but
    // for the packet logs that hold frames, to resume.
    await Promise.all(
      todo.map(async (index) => {
        const planned = outputs[index]!;
        await removeTemporaries(planned);
        if (planned.resume && !hasFrames(claims[index]!)) await removeResumeFiles(planned.resume);
      }),
    );
  }
  for (const index of todo) reports[index] ??= newReport(options.inputs[index]!, 'cancelled', `${options.inputs[index]!}: cancelled`);
  return { jobs: reports, peakConcurrentEncoders, hardwareEncoderLimit };
}
