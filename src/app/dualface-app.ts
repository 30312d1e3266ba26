// The page: choose one or many videos, pick a layout, watch each job's progress, cancel one or all,
// download each result and the run report. Jobs run in their own workers, a few at a time, sharing
// the hardware encoder slots.
import { LitElement, css, html, nothing } from 'lit';
import type { CompositorChoice } from '../composite/compositor';
import { defaultOutputSize, LAYOUTS, type Layout } from '../geometry/layout';
import { JobWorker } from '../pipeline/client';
import type { JobProgress, JobResult } from '../pipeline/protocol';
import { reportJson, type JobRecord } from '../pipeline/report';
import { EncoderSlots } from '../schedule/encoder-slots';

const params = new URLSearchParams(location.search);

/** `?compositor=cpu|webgpu|auto` forces a compositor (auto by default). */
function compositorFromUrl(): CompositorChoice {
  const value = params.get('compositor');
  return value === 'cpu' || value === 'webgpu' ? value : 'auto';
}

/** `?encoders=N` hardware encoders at once (default 2); `?jobs=N` jobs at once (default 2). */
function countFromUrl(name: string, fallback: number, min: number): number {
  const value = Number(params.get(name) ?? fallback);
  return Number.isInteger(value) && value >= min ? value : fallback;
}

type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

interface PageJob {
  id: number;
  file: File;
  status: JobStatus;
  progress: JobProgress | null;
  result: JobResult | null;
  error: string | null;
  url: string | null;
  outputName: string;
  controller: AbortController;
  wallSeconds: number;
}

export class DualFaceApp extends LitElement {
  static override properties = {
    jobs: { state: true },
    layout: { state: true },
  };

  static override styles = css`
    :host { display: block; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
    h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
    p.lead { color: #aab; margin-top: 0; }
    form { display: grid; gap: 1rem; background: #1e2128; padding: 1rem; border-radius: 8px; }
    label { display: grid; gap: 0.3rem; }
    button, select, input { font: inherit; }
    button { padding: 0.4rem 0.9rem; border-radius: 6px; border: 0; background: #4c7dff; color: white; cursor: pointer; }
    button.secondary { background: #3a3f4b; }
    button:disabled { background: #445; cursor: default; }
    :focus-visible { outline: 3px solid #ffcf4a; outline-offset: 2px; }
    ul { list-style: none; padding: 0; display: grid; gap: 0.8rem; }
    li { background: #1e2128; border-radius: 8px; padding: 0.8rem 1rem; display: grid; gap: 0.4rem; }
    .row { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; }
    .name { font-weight: 600; flex: 1; }
    progress { width: 100%; }
    .error { color: #ff8a8a; }
    .detail { color: #aab; font-size: 0.9em; }
    video { width: 100%; max-height: 60vh; background: black; }
  `;

  declare jobs: PageJob[];
  declare layout: Layout;
  private nextId = 1;
  private readonly slots = new EncoderSlots(countFromUrl('encoders', 2, 0));
  private readonly concurrency = countFromUrl('jobs', 2, 1);

  constructor() {
    super();
    this.jobs = [];
    this.layout = 'side-by-side';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelAll();
  }

  private update_(job: PageJob, changes: Partial<PageJob>): void {
    Object.assign(job, changes);
    this.jobs = [...this.jobs];
  }

  private addFiles(files: FileList | null): void {
    if (!files) return;
    for (const file of Array.from(files)) {
      this.jobs = [
        ...this.jobs,
        {
          id: this.nextId++,
          file,
          status: 'queued',
          progress: null,
          result: null,
          error: null,
          url: null,
          outputName: `${file.name.replace(/\.[^.]+$/, '')}.dualface.mp4`,
          controller: new AbortController(),
          wallSeconds: 0,
        },
      ];
    }
  }

  private start(event: Event): void {
    event.preventDefault();
    this.pump();
  }

  /** Starts queued jobs while fewer than `concurrency` run. */
  private pump(): void {
    let running = this.jobs.filter((j) => j.status === 'running').length;
    for (const job of this.jobs) {
      if (running >= this.concurrency) break;
      if (job.status !== 'queued') continue;
      running++;
      void this.run(job).finally(() => this.pump());
    }
  }

  private async run(job: PageJob): Promise<void> {
    this.update_(job, { status: 'running' });
    const worker = new JobWorker(this.slots);
    const opfsName = `${crypto.randomUUID()}.mp4`;
    const started = performance.now();
    try {
      const result = await worker.run(
        {
          input: { kind: 'file', file: job.file },
          output: { kind: 'opfs', name: opfsName },
          outputName: job.outputName,
          settings: { layout: this.layout, size: defaultOutputSize(this.layout), detectionRate: 4, bitrate: null, compositor: compositorFromUrl(), missingPolicy: 'keep', trimEmpty: false, debugOverlay: false },
          tracksIn: null,
        },
        (progress) => this.update_(job, { progress }),
        job.controller.signal,
      );
      const directory = await navigator.storage.getDirectory();
      const file = await (await directory.getFileHandle(opfsName)).getFile();
      this.update_(job, { status: 'done', result, url: URL.createObjectURL(file), wallSeconds: (performance.now() - started) / 1000 });
    } catch (error) {
      const cancelled = job.controller.signal.aborted;
      this.update_(job, {
        status: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? 'cancelled' : error instanceof Error ? error.message : String(error),
        wallSeconds: (performance.now() - started) / 1000,
      });
    } finally {
      worker.terminate();
    }
  }

  private cancel(job: PageJob): void {
    if (job.status === 'queued') this.update_(job, { status: 'cancelled', error: 'cancelled' });
    else job.controller.abort();
  }

  private cancelAll(): void {
    for (const job of this.jobs) if (job.status === 'queued' || job.status === 'running') this.cancel(job);
  }

  private downloadReport(): void {
    const records: JobRecord[] = this.jobs
      .filter((j) => j.status !== 'queued' && j.status !== 'running')
      .map((j) => ({ input: j.file.name, output: j.result ? j.outputName : null, result: j.result, error: j.error, wallSeconds: j.wallSeconds }));
    const blob = new Blob([JSON.stringify(reportJson(records, this.slots.peak), null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'dualface-report.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  override render() {
    const active = this.jobs.some((j) => j.status === 'running' || j.status === 'queued');
    const running = this.jobs.some((j) => j.status === 'running');
    const queued = this.jobs.some((j) => j.status === 'queued');
    const finished = this.jobs.some((j) => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled');
    return html`
      <h1>DualFace</h1>
      <p class="lead">Turn videos of two people talking into split-screen videos, one face per panel. Nothing leaves your computer.</p>
      <form @submit=${this.start}>
        <label>
          Videos (MP4, MOV, WebM, MKV)
          <input type="file" multiple accept="video/*,.mp4,.mov,.webm,.mkv" @change=${(e: Event) => this.addFiles((e.target as HTMLInputElement).files)} />
        </label>
        <label>
          Layout
          <select ?disabled=${running} @change=${(e: Event) => (this.layout = (e.target as HTMLSelectElement).value as Layout)}>
            ${LAYOUTS.map((l) => html`<option value=${l} ?selected=${l === this.layout}>${l} (${defaultOutputSize(l).width}x${defaultOutputSize(l).height})</option>`)}
          </select>
        </label>
        <div class="row">
          <button type="submit" ?disabled=${!queued}>Make split-screen videos</button>
          <button type="button" class="secondary" ?disabled=${!active} @click=${this.cancelAll}>Cancel all</button>
          <button type="button" class="secondary" ?disabled=${!finished} @click=${this.downloadReport}>Download report</button>
        </div>
      </form>
      <ul aria-label="jobs">
        ${this.jobs.map((job) => this.renderJob(job))}
      </ul>
    `;
  }

  private renderJob(job: PageJob) {
    const p = job.progress;
    const percent = p ? Math.min(100, Math.round((100 * p.framesDone) / Math.max(1, p.framesTotal))) : 0;
    return html`<li data-job=${job.file.name}>
      <div class="row">
        <span class="name">${job.file.name}</span>
        <span role="status" aria-label=${`status of ${job.file.name}`}>${this.statusText(job)}</span>
        ${job.status === 'queued' || job.status === 'running'
          ? html`<button type="button" class="secondary" @click=${() => this.cancel(job)} aria-label=${`Cancel ${job.file.name}`}>Cancel</button>`
          : nothing}
        ${job.url ? html`<a href=${job.url} download=${job.outputName}><button type="button">Download ${job.outputName}</button></a>` : nothing}
      </div>
      ${job.status === 'running' ? html`<progress max="100" value=${percent} aria-label=${`progress of ${job.file.name}`}></progress>` : nothing}
      ${job.result
        ? html`<span class="detail">${job.result.frames} frames; compositor ${job.result.compositor} (${job.result.compositorReason}); ${job.result.encoder} encoder${job.result.fallbacks.length ? ` after ${job.result.fallbacks.map((f) => f.reason).join('; ')}` : ''}; audio ${job.result.audio}</span>
            <video src=${job.url ?? ''} controls preload="metadata"></video>`
        : nothing}
      ${job.status === 'failed' ? html`<span class="error" role="alert">${job.error}</span>` : nothing}
    </li>`;
  }

  private statusText(job: PageJob): string {
    switch (job.status) {
      case 'queued':
        return 'Waiting';
      case 'running':
        return job.progress ? `${job.progress.phase === 'analysing' ? 'Analysing' : 'Rendering'}: ${job.progress.framesDone} frames, ${job.progress.fps.toFixed(1)} fps` : 'Starting…';
      case 'done':
        return 'Done';
      case 'failed':
        return 'Failed';
      case 'cancelled':
        return 'Cancelled';
    }
  }
}

customElements.define('dualface-app', DualFaceApp);
