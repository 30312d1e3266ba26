// The page (first cut): choose a video, pick a layout, watch progress, download the result.
import { LitElement, css, html, nothing } from 'lit';
import type { CompositorChoice } from '../composite/compositor';
import { defaultOutputSize, LAYOUTS, type Layout } from '../geometry/layout';
import { JobWorker } from '../pipeline/client';
import { EncoderSlots } from '../schedule/encoder-slots';
import type { JobProgress, JobResult } from '../pipeline/protocol';

/** `?compositor=cpu|webgpu|auto` forces a compositor (auto by default). */
function compositorFromUrl(): CompositorChoice {
  const value = new URLSearchParams(location.search).get('compositor');
  return value === 'cpu' || value === 'webgpu' ? value : 'auto';
}

function encodersFromUrl(): number {
  const value = Number(new URLSearchParams(location.search).get('encoders') ?? 2);
  return Number.isInteger(value) && value >= 0 ? value : 2;
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; progress: JobProgress | null }
  | { kind: 'done'; result: JobResult; url: string; fileName: string }
  | { kind: 'failed'; message: string };

export class DualFaceApp extends LitElement {
  static override properties = {
    file: { state: true },
    layout: { state: true },
    state: { state: true },
  };

  static override styles = css`
    :host { display: block; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
    h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
    p.lead { color: #aab; margin-top: 0; }
    form { display: grid; gap: 1rem; background: #1e2128; padding: 1rem; border-radius: 8px; }
    label { display: grid; gap: 0.3rem; }
    button, select, input { font: inherit; }
    button { padding: 0.5rem 1rem; border-radius: 6px; border: 0; background: #4c7dff; color: white; cursor: pointer; }
    button:disabled { background: #445; cursor: default; }
    :focus-visible { outline: 3px solid #ffcf4a; outline-offset: 2px; }
    progress { width: 100%; }
    .error { color: #ff8a8a; }
    video { width: 100%; margin-top: 1rem; background: black; }
  `;

  declare file: File | null;
  declare layout: Layout;
  declare state: State;
  private controller: AbortController | null = null;
  /** `?encoders=N`: hardware encoders used at once (default 2). */
  private readonly worker = new JobWorker(new EncoderSlots(encodersFromUrl()));

  constructor() {
    super();
    this.file = null;
    this.layout = 'side-by-side';
    this.state = { kind: 'idle' };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
    this.worker.terminate();
  }

  private async start(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.file) return;
    if (this.state.kind === 'done') URL.revokeObjectURL(this.state.url);
    this.controller = new AbortController();
    const base = this.file.name.replace(/\.[^.]+$/, '');
    const fileName = `${base}.dualface.mp4`;
    const opfsName = `${crypto.randomUUID()}.mp4`;
    this.state = { kind: 'running', progress: null };
    try {
      const result = await this.worker.run(
        {
          input: { kind: 'file', file: this.file },
          output: { kind: 'opfs', name: opfsName },
          outputName: fileName,
          settings: { layout: this.layout, size: defaultOutputSize(this.layout), detectionRate: 4, bitrate: null, compositor: compositorFromUrl() },
          tracksIn: null,
        },
        (progress) => (this.state = { kind: 'running', progress }),
        this.controller.signal,
      );
      const directory = await navigator.storage.getDirectory();
      const file = await (await directory.getFileHandle(opfsName)).getFile();
      this.state = { kind: 'done', result, url: URL.createObjectURL(file), fileName };
    } catch (error) {
      this.state = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private cancel(): void {
    this.controller?.abort();
  }

  override render() {
    const running = this.state.kind === 'running';
    return html`
      <h1>DualFace</h1>
      <p class="lead">Turn a video of two people talking into a split-screen video, one face per panel. Nothing leaves your computer.</p>
      <form @submit=${this.start}>
        <label>
          Video (MP4, MOV, WebM, MKV)
          <input
            type="file"
            accept="video/*,.mp4,.mov,.webm,.mkv"
            ?disabled=${running}
            @change=${(e: Event) => (this.file = (e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <label>
          Layout
          <select ?disabled=${running} @change=${(e: Event) => (this.layout = (e.target as HTMLSelectElement).value as Layout)}>
            ${LAYOUTS.map((l) => html`<option value=${l} ?selected=${l === this.layout}>${l} (${defaultOutputSize(l).width}x${defaultOutputSize(l).height})</option>`)}
          </select>
        </label>
        <div>
          <button type="submit" ?disabled=${!this.file || running}>Make split-screen video</button>
          ${running ? html`<button type="button" @click=${this.cancel}>Cancel</button>` : nothing}
        </div>
      </form>
      ${this.renderState()}
    `;
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return nothing;
      case 'running': {
        const p = state.progress;
        if (!p) return html`<p role="status">Starting…</p>`;
        const percent = Math.min(100, Math.round((100 * p.framesDone) / Math.max(1, p.framesTotal)));
        return html`<p role="status">${p.phase === 'analysing' ? 'Analysing' : 'Rendering'}: ${p.framesDone} frames, ${p.fps.toFixed(1)} fps</p>
          <progress max="100" value=${percent} aria-label="progress"></progress>`;
      }
      case 'done':
        return html`<p role="status">Done: ${state.result.frames} frames (compositor ${state.result.compositor}: ${state.result.compositorReason}; ${state.result.encoder} encoder${state.result.fallbacks.length ? ` after ${state.result.fallbacks.map((f) => f.reason).join('; ')}` : ''}; audio ${state.result.audio}).</p>
          <a href=${state.url} download=${state.fileName}><button type="button">Download ${state.fileName}</button></a>
          <video src=${state.url} controls></video>`;
      case 'failed':
        return html`<p class="error" role="alert">${state.message}</p>`;
    }
  }
}

customElements.define('dualface-app', DualFaceApp);
