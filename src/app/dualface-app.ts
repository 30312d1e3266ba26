// The page: drop or pick videos (or a folder), adjust settings, start; each video is checked, analysed,
// reviewed (unless switched off), rendered, and can be previewed, downloaded or saved into a folder.
// The run's live view shows speed, encoders, the queue, fallbacks and errors.
import { LitElement, css, html } from 'lit';
import { reportJson, type JobRecord } from '../job/report';
import { JobList, listSummary, type PageJob } from './jobs';
import type { FramingEdit } from './review-panel';
import { resolveSettings, settingsSummary, STORAGE_KEY, storedSettings, type AppSettings } from './settings';
import './job-card';
import './run-dashboard';
import './settings-panel';
import { messageOf } from '../core/errors';
import { buttonStyles } from './styles';
import { describeInterrupted, discardRender, interruptedRenders, type InterruptedRender } from './interrupted';

const VIDEO_NAME = /\.(mp4|m4v|mov|webm|mkv)$/i;

type DirectoryPicker = (options?: { mode?: 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

function loadSettings(): AppSettings {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be off (private mode): defaults and the link still work.
  }
  return resolveSettings(stored, new URLSearchParams(location.search));
}

/** Files from a drop, folders included (walked recursively; only video files taken from folders). */
async function droppedFiles(items: DataTransferItemList): Promise<File[]> {
  const files: File[] = [];
  const walk = async (entry: FileSystemEntry, fromFolder: boolean): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      if (!fromFolder || VIDEO_NAME.test(file.name)) files.push(file);
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, true);
      }
    }
  };
  const entries = Array.from(items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  for (const entry of entries) await walk(entry, false);
  return files;
}

export class DualFaceApp extends LitElement {
  static override properties = {
    settings: { state: true },
    applyUpdate: { state: true },
    dragging: { state: true },
    folderName: { state: true },
    settingsOpen: { state: true },
    interrupted: { state: true },
    resumeError: { state: true },
  };

  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        max-width: 64rem;
        margin: 1.5rem auto;
        padding: 0 1rem;
      }
      h1 {
        font-size: 1.6rem;
        margin: 0 0 0.2rem;
      }
      p.lead {
        color: #aab;
        margin-top: 0;
      }
      .drop {
        border: 2px dashed #444a58;
        border-radius: 10px;
        padding: 1.2rem;
        text-align: center;
        display: grid;
        gap: 0.6rem;
        justify-items: center;
      }
      .drop.dragging {
        border-color: #4c7dff;
        background: #1b2030;
      }
      .row {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        flex-wrap: wrap;
      }
      main {
        display: grid;
        gap: 1rem;
      }
      button,
      label.button {
        padding: 0.45rem 0.95rem;
      }
      button.primary {
        background: #4c7dff;
      }
      button:disabled {
        background: #2a2d35;
        color: #778;
        cursor: default;
      }
      label.button:focus-within,
      :focus-visible {
        outline: 3px solid #ffcf4a;
        outline-offset: 2px;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.4rem;
      }
      details summary {
        cursor: pointer;
        padding: 0.3rem 0;
      }
      details summary .summary {
        color: #aab;
      }
      .hint {
        color: #aab;
        font-size: 0.9em;
      }
      .count {
        color: #ccd;
        margin: 0;
      }
    `,
  ];

  declare settings: AppSettings;
  /** Set when a new version is waiting: makes it take over and reloads. */
  declare applyUpdate: (() => void) | null;
  declare dragging: boolean;
  declare folderName: string | null;
  /** The settings stay open or closed as the user leaves them. */
  declare settingsOpen: boolean;
  /** Renders a closed tab, a crash or a reload interrupted: offered to resume. */
  declare interrupted: InterruptedRender[];
  declare resumeError: string | null;
  private folder: FileSystemDirectoryHandle | null = null;
  private readonly list: JobList;
  private history: number[] = [];
  private timer: number | undefined;

  constructor() {
    super();
    this.settings = loadSettings();
    this.applyUpdate = null;
    this.dragging = false;
    this.folderName = null;
    // Collapsed behind a one-line summary: the videos and the main action come first.
    this.settingsOpen = false;
    this.interrupted = [];
    this.resumeError = null;
    this.list = new JobList(
      this.settings,
      () => this.requestUpdate(),
      (job) => this.saveIfFolder(job),
    );
  }

  /** A new version is waiting (from the service worker): every app on the page offers it. */
  static updateReady(apply: () => void): void {
    for (const app of document.querySelectorAll('dualface-app')) if (app instanceof DualFaceApp) app.applyUpdate = apply;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.findInterrupted();
    // One sample of the total speed a second, for the chart.
    this.timer = window.setInterval(() => {
      if (this.list.running === 0 && this.history.length === 0) return;
      const fps = this.list.jobs.reduce((sum, j) => sum + ((j.status === 'analysing' || j.status === 'rendering') && j.progress ? j.progress.fps : 0), 0);
      this.history = [...this.history, fps].slice(-120);
      this.requestUpdate();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
    this.list.cancelAll();
  }

  private changeSettings(settings: AppSettings): void {
    this.settings = settings;
    this.list.configure(settings);
    try {
      localStorage.setItem(STORAGE_KEY, storedSettings(settings));
    } catch {
      // Not remembered, still used.
    }
  }

  private async drop(event: DragEvent): Promise<void> {
    event.preventDefault();
    this.dragging = false;
    if (!event.dataTransfer) return;
    const files = event.dataTransfer.items.length ? await droppedFiles(event.dataTransfer.items) : Array.from(event.dataTransfer.files);
    this.list.add(files);
  }

  private pick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // From a folder, only what looks like video.
    this.list.add(input.webkitdirectory ? files.filter((f) => VIDEO_NAME.test(f.name)) : files);
    input.value = '';
  }

  private get picker(): DirectoryPicker | undefined {
    return (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  }

  private async chooseFolder(): Promise<void> {
    const picker = this.picker;
    if (!picker) return;
    try {
      this.folder = await picker({ mode: 'readwrite' });
      this.folderName = this.folder.name;
      for (const job of this.list.jobs) if (job.status === 'done' && !job.savedTo) await this.saveIfFolder(job);
    } catch {
      // The user closed the picker.
    }
  }

  /** Streams a finished output from the origin-private file system into the chosen folder. */
  private async saveIfFolder(job: PageJob): Promise<void> {
    if (!this.folder || !job.opfsName) return;
    try {
      const source = await (await (await navigator.storage.getDirectory()).getFileHandle(job.opfsName)).getFile();
      const target = await this.folder.getFileHandle(job.outputName, { create: true });
      const writable = await target.createWritable();
      await source.stream().pipeTo(writable);
      job.savedTo = this.folder.name;
    } catch (error) {
      job.error = `could not save into the folder (${messageOf(error)})`;
    }
    this.requestUpdate();
  }

  private async findInterrupted(): Promise<void> {
    try {
      this.interrupted = await interruptedRenders();
    } catch {
      // No storage here (a private window): nothing to resume.
    }
  }

  /** Resume asks for the input again (a page keeps no access to a file it was given). */
  private pickForResume(interrupted: InterruptedRender): void {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'video/*,.mp4,.m4v,.mov,.webm,.mkv';
    const resume = async (file: File) => {
      try {
        await this.list.resume(interrupted, file);
        this.resumeError = null;
        this.interrupted = this.interrupted.filter((i) => i !== interrupted);
      } catch (error) {
        this.resumeError = messageOf(error);
      }
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void resume(file);
    });
    input.click();
  }

  private async discardInterrupted(interrupted: InterruptedRender): Promise<void> {
    await discardRender(interrupted.record.base);
    this.interrupted = this.interrupted.filter((i) => i !== interrupted);
  }

  private renderInterrupted() {
    if (this.interrupted.length === 0) return '';
    return html`<section aria-label="interrupted renders">
      <h2>Interrupted renders</h2>
      <p class="hint">Pick the same video again to go on from where the render stopped.</p>
      <ul>
        ${this.interrupted.map(
          (i) =>
            html`<li class="row">
              <span><b>${i.record.fileName}</b> → ${i.record.outputName}: ${describeInterrupted(i)}</span>
              <button @click=${() => this.pickForResume(i)}>Resume ${i.record.fileName}…</button>
              <button @click=${() => this.discardInterrupted(i)} aria-label="Discard the interrupted render of ${i.record.fileName}">Discard</button>
            </li>`,
        )}
      </ul>
      ${this.resumeError ? html`<p role="alert">${this.resumeError}</p>` : ''}
    </section>`;
  }

  private downloadReport(): void {
    const records: JobRecord[] = this.list.jobs
      .filter((j) => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled' || j.status === 'unsupported')
      .map((j) => ({ input: j.file.name, output: j.result ? j.outputName : null, result: j.result, error: j.error, wallSeconds: j.wallSeconds }));
    const blob = new Blob([JSON.stringify(reportJson(records, this.list.slots.peak, this.list.slots.limit), null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'dualface-report.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  override render() {
    const jobs = this.list.jobs;
    const ready = jobs.some((j) => j.status === 'ready');
    const active = jobs.some((j) => ['queued', 'analysing', 'rendering', 'review', 'ready', 'probing'].includes(j.status));
    const finished = jobs.some((j) => ['done', 'failed', 'cancelled', 'unsupported'].includes(j.status));
    return html`
      <header>
        <h1>DualFace</h1>
        <p class="lead">
          Turn videos of two people talking into split-screen videos, one face per panel. Everything happens on this computer; nothing is uploaded.
        </p>
      </header>
      <main>
        ${
          this.applyUpdate && !active
            ? html`<div class="row update" role="status" aria-label="update">
                <span>A new version of DualFace is ready.${jobs.length > 0 ? ' Reloading clears this list: save what you need first.' : ''}</span>
                <button @click=${() => this.applyUpdate?.()}>Reload</button>
              </div>`
            : ''
        }
        ${this.renderInterrupted()}
        <section
          class="drop ${this.dragging ? 'dragging' : ''}"
          aria-label="add videos"
          @dragover=${(e: DragEvent) => {
            e.preventDefault();
            this.dragging = true;
          }}
          @dragleave=${() => (this.dragging = false)}
          @drop=${this.drop}
        >
          <span>Drop videos or a folder here (MP4, MOV, WebM, MKV), or</span>
          <div class="row">
            <label class="button"
              >Choose videos<input class="visually-hidden" type="file" multiple accept="video/*,.mp4,.mov,.webm,.mkv" @change=${this.pick}
            /></label>
            <label class="button">Choose a folder<input class="visually-hidden" type="file" webkitdirectory @change=${this.pick} /></label>
          </div>
        </section>
        <div class="row">
          <button class="primary" ?disabled=${!ready} @click=${() => this.list.startAll()}>Make split-screen videos</button>
          <button ?disabled=${!active} @click=${() => this.list.cancelAll()}>Cancel all</button>
          ${this.picker ? html`<button @click=${this.chooseFolder}>${this.folderName ? `Saving into ${this.folderName}` : 'Save results into a folder…'}</button>` : ''}
          <button ?disabled=${!finished} @click=${this.downloadReport}>Download report</button>
        </div>
        <details ?open=${this.settingsOpen} @toggle=${(e: Event) => (this.settingsOpen = (e.target as HTMLDetailsElement).open)}>
          <summary aria-label=${`Settings: ${settingsSummary(this.settings)}`}>
            Settings · <span class="summary">${settingsSummary(this.settings)}</span>
          </summary>
          <df-settings .settings=${this.settings} @settings-change=${(e: CustomEvent<AppSettings>) => this.changeSettings(e.detail)}></df-settings>
        </details>
        ${
          jobs.length > 0
            ? html`<df-dashboard .jobs=${jobs} .events=${this.list.events} .history=${this.history} hardwareLimit=${this.list.slots.limit}></df-dashboard>`
            : html`<p class="hint">Nothing added yet.</p>`
        }
        ${jobs.length > 1 ? html`<p class="count" role="status" aria-label="videos in the list">${listSummary(jobs)}</p>` : ''}
        <ul aria-label="videos">
          ${jobs.map(
            (job) =>
              html`<li data-job=${job.file.name}>
                <df-job-card
                  .job=${job}
                  @cancel-job=${() => this.list.cancel(job)}
                  @remove-job=${() => this.list.remove(job)}
                  @framing-edit=${(e: CustomEvent<FramingEdit>) => this.list.updateFraming(job, e.detail.chosen, e.detail.nudges)}
                  @render-job=${() => this.list.render(job)}
                ></df-job-card>
              </li>`,
          )}
        </ul>
      </main>
    `;
  }
}

customElements.define('dualface-app', DualFaceApp);
