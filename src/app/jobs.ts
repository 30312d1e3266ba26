// The page's jobs: each file is probed when added, analysed, optionally reviewed, rendered, then kept
// for preview, download or saving. A few run at a time (settings.jobs), sharing the hardware encoder
// slots; each run is its own worker, killed on cancel.
import type { Fallback } from '../media/encoder-fallback';
import { JobWorker } from '../job/client';
import type { JobProgress, JobResult, JobSettings } from '../job/protocol';
import { EncoderSlots } from '../media/encoder-slots';
import type { Nudge } from '../framing/edits';
import { reframe, type Framing } from './reframe';
import type { TracksFile } from '../framing/tracks-file';
import { toRttm } from '../framing/speakers';
import { probeFile, type FileFacts } from './probe';
import type { AppSettings } from './settings';
import { jobSettings } from '../job/settings';
import { messageOf } from '../core/errors';
import { applyEncoderSetting } from './hardware-encoders';
import { DualFaceError } from '../core/errors';
import type { Checkpoint } from '../media/packet-log';
import { discardRender, forgetRender, isInputOf, rememberRender, renderLock, tracksOf, type InterruptedRender } from './interrupted';

export type { Framing };

export type JobStatus = 'probing' | 'unsupported' | 'ready' | 'queued' | 'analysing' | 'review' | 'rendering' | 'done' | 'failed' | 'cancelled';

/** "20 videos: 12 done, 2 rendering, 6 waiting". */
export function listSummary(jobs: readonly { status: JobStatus }[]): string {
  const words: Record<JobStatus, string> = {
    probing: 'being checked',
    unsupported: 'cannot be used',
    ready: 'ready',
    queued: 'waiting',
    analysing: 'analysing',
    review: 'ready for review',
    rendering: 'rendering',
    done: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
  };
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(words[job.status], (counts.get(words[job.status]) ?? 0) + 1);
  return `${jobs.length} videos: ${[...counts].map(([word, n]) => `${n} ${word}`).join(', ')}`;
}

export interface PageJob {
  id: number;
  file: File;
  outputName: string;
  status: JobStatus;
  facts: FileFacts | null;
  thumbnail: string | null;
  /** Why the file cannot be processed, or why the job failed. */
  error: string | null;
  progress: JobProgress | null;
  /** Set after analysis; edited by the review. */
  framing: Framing | null;
  /** Rendering waits for a slot after review; analysis first when false. */
  analysed: boolean;
  result: JobResult | null;
  /** The output in the origin-private file system, and an object URL of it for preview/download. */
  opfsName: string | null;
  url: string | null;
  tracksUrl: string | null;
  /** Who speaks when, as RTTM, when the speech was found. */
  rttmUrl: string | null;
  savedTo: string | null;
  settings: JobSettings | null;
  /** The render's packet log in OPFS (kept across a closed tab, to resume). */
  renderBase: string | null;
  /** A resumed render: where the interrupted one stopped, and the tracks it followed. */
  resume: { checkpoint: Checkpoint | null; tracks: TracksFile } | null;
  controller: AbortController;
  startedAt: number;
  wallSeconds: number;
}

export interface RunEvent {
  at: number;
  job: string;
  kind: 'fallback' | 'error' | 'done';
  text: string;
}

export class JobList {
  jobs: PageJob[] = [];
  events: RunEvent[] = [];
  slots: EncoderSlots;
  /** Settled once the encoder limit is known; null until a job needs it (`auto` opens encoders to count them, not at page load). */
  private limitKnown: Promise<void> | null = null;
  private nextId = 1;

  constructor(
    private settings: AppSettings,
    private readonly onChange: () => void,
    /** Called when a job's output is ready (e.g. to save it into a chosen folder). */
    private readonly onDone: (job: PageJob) => Promise<void>,
  ) {
    this.slots = new EncoderSlots(0);
  }

  /** Jobs start once the encoder limit is set. */
  private pumpWhenReady(): void {
    this.limitKnown ??= applyEncoderSetting(this.slots, this.settings.encoders).then(
      () => this.onChange(),
      () => this.slots.setLimit(0, 'the hardware encoders could not be counted'),
    );
    void this.limitKnown.then(() => this.pump());
  }

  configure(settings: AppSettings): void {
    // The same scheduler takes the new limit: running and waiting jobs share it (a new one would not
    // know which slots are taken).
    if (settings.encoders !== this.settings.encoders) this.limitKnown = null;
    this.settings = settings;
    // Only jobs that run or wait need the limit now; others set it when they start.
    if (this.running + this.waiting > 0) this.pumpWhenReady();
  }

  private changed(job?: PageJob, changes?: Partial<PageJob>): void {
    if (job && changes) Object.assign(job, changes);
    this.onChange();
  }

  private event(job: PageJob, kind: RunEvent['kind'], text: string): void {
    this.events = [...this.events, { at: Date.now(), job: job.file.name, kind, text }].slice(-50);
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      const job: PageJob = {
        id: this.nextId++,
        file,
        outputName: `${file.name.replace(/\.[^.]+$/, '') || file.name}.dualface.mp4`,
        status: 'probing',
        facts: null,
        thumbnail: null,
        error: null,
        progress: null,
        framing: null,
        analysed: false,
        result: null,
        opfsName: null,
        url: null,
        tracksUrl: null,
        rttmUrl: null,
        savedTo: null,
        settings: null,
        renderBase: null,
        resume: null,
        controller: new AbortController(),
        startedAt: 0,
        wallSeconds: 0,
      };
      this.jobs = [...this.jobs, job];
      this.changed();
      void probeFile(file).then((probe) => {
        if (probe.ok) this.changed(job, { status: job.status === 'probing' ? 'ready' : job.status, facts: probe.facts, thumbnail: probe.thumbnail });
        else this.changed(job, { status: 'unsupported', error: probe.reason });
      });
    }
  }

  /**
   * Takes up an interrupted render with its input picked again: the same settings and tracks, from
   * its last checkpoint. Refuses another file, naming the one it needs.
   */
  async resume(interrupted: InterruptedRender, file: File): Promise<void> {
    const { record, checkpoint } = interrupted;
    if (!isInputOf(record, file)) {
      throw new DualFaceError(
        'InputError',
        `${file.name} is not the video this render was made from: choose ${record.fileName} (${record.fileSize} bytes), unchanged since`,
      );
    }
    const tracks = await tracksOf(record);
    this.add([file]);
    const job = this.jobs[this.jobs.length - 1]!;
    this.changed(job, {
      status: 'queued',
      analysed: true,
      outputName: record.outputName,
      settings: record.settings,
      renderBase: record.base,
      resume: { checkpoint, tracks },
      startedAt: performance.now(),
    });
    this.pumpWhenReady();
  }

  /** Queues every job that is ready (analysis first; rendering follows, after review if asked for). */
  startAll(): void {
    for (const job of this.jobs)
      if (job.status === 'ready') this.changed(job, { status: 'queued', settings: jobSettings(this.settings), startedAt: performance.now() });
    this.pumpWhenReady();
  }

  /** The user is done reviewing: render with the framing as it is now. */
  render(job: PageJob): void {
    if (job.status !== 'review') return;
    this.changed(job, { status: 'queued' });
    this.pumpWhenReady();
  }

  updateFraming(job: PageJob, chosen: [number | null, number | null], nudges: Nudge[]): void {
    if (!job.framing) return;
    this.changed(job, { framing: reframe(job.framing.review, chosen, nudges, job.settings?.speakerFocus ?? false, job.framing) });
  }

  cancel(job: PageJob): void {
    if (job.status === 'queued' || job.status === 'ready' || job.status === 'review' || job.status === 'probing') {
      this.changed(job, { status: 'cancelled', error: 'cancelled' });
    } else if (job.status === 'analysing' || job.status === 'rendering') {
      job.controller.abort();
    }
  }

  cancelAll(): void {
    for (const job of this.jobs) this.cancel(job);
  }

  remove(job: PageJob): void {
    this.cancel(job);
    for (const url of [job.url, job.tracksUrl, job.rttmUrl, job.thumbnail]) if (url) URL.revokeObjectURL(url);
    if (job.opfsName)
      void navigator.storage
        .getDirectory()
        .then((d) => d.removeEntry(job.opfsName!))
        .catch(() => undefined);
    this.jobs = this.jobs.filter((j) => j !== job);
    this.changed();
  }

  get running(): number {
    return this.jobs.filter((j) => j.status === 'analysing' || j.status === 'rendering').length;
  }

  get waiting(): number {
    return this.jobs.filter((j) => j.status === 'queued').length;
  }

  private pump(): void {
    for (const job of this.jobs) {
      if (this.running >= this.settings.jobs) break;
      if (job.status !== 'queued') continue;
      void (job.analysed ? this.renderJob(job) : this.analyseJob(job)).finally(() => this.pump());
    }
  }

  private async analyseJob(job: PageJob): Promise<void> {
    this.changed(job, { status: 'analysing', progress: null });
    const worker = new JobWorker(this.slots);
    try {
      const result = await worker.run(
        { input: { kind: 'file', file: job.file }, output: null, outputName: job.outputName, settings: job.settings!, tracksIn: null, analyseOnly: true },
        (progress) => this.changed(job, { progress }),
        job.controller.signal,
      );
      const review = result.review!;
      const framing: Framing = { review, chosen: review.chosen, nudges: [], tracks: result.tracks, base: result.tracks };
      this.changed(job, { framing, analysed: true, status: this.settings.review ? 'review' : 'queued', progress: null });
    } catch (error) {
      this.fail(job, error);
    } finally {
      worker.terminate();
    }
  }

  private async renderJob(job: PageJob): Promise<void> {
    this.changed(job, { status: 'rendering', progress: null });
    const worker = new JobWorker(this.slots);
    const base = job.renderBase ?? crypto.randomUUID();
    const opfsName = `${base}.mp4`;
    let fallbacksSeen = 0;
    // While it renders, the lock keeps the tab from being frozen or discarded in the background, and
    // tells another tab of this page that the render is not interrupted.
    let unlock = () => {};
    const locked = new Promise<void>((resolve) => (unlock = resolve));
    void navigator.locks?.request(renderLock(base), () => locked);
    try {
      const tracks = job.resume?.tracks ?? job.framing!.tracks;
      if (!job.resume) {
        await rememberRender(
          {
            base,
            fileName: job.file.name,
            fileSize: job.file.size,
            fileLastModified: job.file.lastModified,
            outputName: job.outputName,
            settings: job.settings!,
            frames: tracks.source.frames,
          },
          tracks,
        );
        this.changed(job, { renderBase: base });
      }
      const result = await worker.run(
        {
          input: { kind: 'file', file: job.file },
          output: { kind: 'opfs-log', base },
          outputName: job.outputName,
          settings: job.settings!,
          tracksIn: tracks,
          resume: job.resume?.checkpoint ?? null,
        },
        (progress) => {
          for (const fallback of (progress.fallbacks ?? []).slice(fallbacksSeen)) this.fallback(job, fallback);
          fallbacksSeen = Math.max(fallbacksSeen, progress.fallbacks?.length ?? 0);
          this.changed(job, { progress });
        },
        job.controller.signal,
      );
      for (const fallback of result.fallbacks.slice(fallbacksSeen)) this.fallback(job, fallback);
      await forgetRender(base);
      const directory = await navigator.storage.getDirectory();
      const file = await (await directory.getFileHandle(opfsName)).getFile();
      const tracksBlob = new Blob([JSON.stringify(tracks)], { type: 'application/json' });
      this.event(
        job,
        'done',
        `done in ${((performance.now() - job.startedAt) / 1000).toFixed(1)} s (${result.encoder} encoder, compositor ${result.compositor})`,
      );
      this.changed(job, {
        status: 'done',
        result: { ...result, tracks },
        opfsName,
        url: URL.createObjectURL(file),
        tracksUrl: URL.createObjectURL(tracksBlob),
        rttmUrl: tracks.speech ? URL.createObjectURL(new Blob([toRttm(job.file.name.replace(/\.[^.]+$/, ''), tracks.speech)], { type: 'text/plain' })) : null,
        wallSeconds: (performance.now() - job.startedAt) / 1000,
      });
      await this.onDone(job);
    } catch (error) {
      // A lost worker (a crash) leaves its checkpoints to resume; anything else has nothing to resume.
      if (!(error instanceof DualFaceError && error.name === 'WorkerLostError')) await discardRender(base).catch(() => undefined);
      this.fail(job, error);
    } finally {
      unlock();
      worker.terminate();
    }
  }

  private fallback(job: PageJob, fallback: Fallback): void {
    this.event(job, 'fallback', fallback.reason);
  }

  private fail(job: PageJob, error: unknown): void {
    const cancelled = job.controller.signal.aborted;
    const message = cancelled ? 'cancelled' : messageOf(error);
    if (!cancelled) this.event(job, 'error', message);
    this.changed(job, {
      status: cancelled ? 'cancelled' : 'failed',
      error: message,
      wallSeconds: job.startedAt ? (performance.now() - job.startedAt) / 1000 : 0,
    });
  }
}
