// Review before render: a preview of the split screen as it will be rendered (preview/), the shots
// with both panels' crops drawn over thumbnails, and the controls to swap the panels, choose who goes
// in each, move and zoom a crop for a shot or from a frame on, undo and redo, by mouse or keyboard.
// Emits `framing-edit` (a whole new state of the edits) and `render-job`.
import { LitElement, css, html, nothing } from 'lit';
import type { Rect } from '../geometry/rect';
import { addNudge, shotOfFrame, shotRanges, type Nudge } from '../framing/edits';
import { sightingGaps } from '../framing/plan';
import type { Framing, PageJob } from './jobs';
import { fileThumbnails } from './probe';
import { buttonStyles } from './styles';
import { History } from './preview/history';
import { KEYS, keyAction, type KeyAction } from './preview/keys';
import './preview/review-player';
import type { CropEdit, PreviewTime, ReviewPlayer } from './preview/review-player';

export interface FramingEdit {
  chosen: [number | null, number | null];
  nudges: Nudge[];
}

/** Where a crop edit applies: the whole shot, or from the frame shown to the shot's end. */
export type EditScope = 'shot' | 'from-here';

/** Spans (seconds) where a panel's person was not detected for more than `minGap` seconds: the camera guessed there. */
export function lowConfidenceSpans(framing: Framing, minGap = 1): { panel: 0 | 1; start: number; end: number }[] {
  const samples = framing.review.input.samples;
  const end = framing.review.input.frameTimes[framing.review.input.frameTimes.length - 1] ?? 0;
  const spans: { panel: 0 | 1; start: number; end: number }[] = [];
  for (const panel of [0, 1] as const) {
    const person = framing.chosen[panel];
    if (person === null) continue;
    const seen = samples.filter((s) => s.faces.some((f) => f.person === person)).map((s) => s.t);
    for (const [a, b] of sightingGaps(samples[0]?.t ?? 0, seen, end)) if (b - a > minGap) spans.push({ panel, start: a, end: b });
  }
  return spans;
}

const STEP = 0.04;
const ZOOM = 1.1;

export class ReviewPanel extends LitElement {
  static override properties = {
    job: { attribute: false, hasChanged: () => true },
    selected: { state: true },
    shotThumbs: { state: true },
    faceThumbs: { state: true },
    scope: { state: true },
    helpShown: { state: true },
  };

  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: 0.8rem;
      }
      .timeline {
        display: flex;
        gap: 2px;
        overflow-x: auto;
        padding-bottom: 0.3rem;
      }
      .shot {
        position: relative;
        flex: 0 0 auto;
        padding: 0;
        border: 2px solid transparent;
        border-radius: 6px;
        background: #0d0e11;
        cursor: pointer;
        color: inherit;
        font: inherit;
        text-align: left;
      }
      .shot[aria-pressed='true'] {
        border-color: #4c7dff;
      }
      .frame {
        position: relative;
        height: 6rem;
        aspect-ratio: var(--aspect);
        overflow: hidden;
        border-radius: 4px;
      }
      .frame img {
        width: 100%;
        height: 100%;
        object-fit: fill;
        display: block;
      }
      .crop {
        position: absolute;
        box-sizing: border-box;
        border: 2px solid;
      }
      .crop.p0 {
        border-color: #3ddc84;
      }
      .crop.p1 {
        border-color: #ff5cf0;
      }
      .shot span {
        display: block;
        font-size: 0.8em;
        color: #aab;
        padding: 0.15rem 0.3rem;
      }
      .controls {
        display: grid;
        gap: 0.8rem;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
      }
      .panel {
        background: #181a20;
        border-radius: 8px;
        padding: 0.6rem;
        display: grid;
        gap: 0.5rem;
      }
      .panel h4 {
        margin: 0;
      }
      .people {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
      }
      .face {
        width: 3rem;
        height: 3rem;
        border-radius: 6px;
        background-color: #000;
        background-repeat: no-repeat;
      }
      .row {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        flex-wrap: wrap;
      }
      button {
        padding: 0.3rem 0.7rem;
      }
      select {
        font: inherit;
        padding: 0.3rem 0.7rem;
        border-radius: 6px;
        border: 0;
        background: #3a3f4b;
        color: white;
        cursor: pointer;
      }
      button.primary {
        background: #4c7dff;
      }
      .legend {
        color: #aab;
        font-size: 0.85em;
      }
      .help {
        background: #181a20;
        border: 1px solid #3a3f4b;
        border-radius: 8px;
        padding: 0.6rem 0.9rem;
      }
      .help table {
        border-collapse: collapse;
      }
      .help td {
        padding: 0.15rem 0.8rem 0.15rem 0;
      }
      kbd {
        font: inherit;
        background: #2a2e38;
        border-radius: 4px;
        padding: 0 0.35em;
      }
      .swatch {
        display: inline-block;
        width: 0.8em;
        height: 0.8em;
        border-radius: 2px;
        vertical-align: middle;
      }
    `,
  ];

  declare job: PageJob;
  declare selected: number;
  declare shotThumbs: (string | null)[];
  declare faceThumbs: Map<number, string | null>;
  declare scope: EditScope;
  declare helpShown: boolean;
  private loadedFor: Framing['review'] | null = null;
  private history: History<FramingEdit> | null = null;
  /** The frame the preview shows. */
  private frame = 0;

  constructor() {
    super();
    this.selected = 0;
    this.shotThumbs = [];
    this.faceThumbs = new Map();
    this.scope = 'shot';
    this.helpShown = false;
    this.addEventListener('keydown', (e) => this.onKey(e));
  }

  private get player(): ReviewPlayer | null {
    return this.renderRoot.querySelector<ReviewPlayer>('df-review-player');
  }

  private onKey(e: KeyboardEvent): void {
    // Keys typed into a control stay there.
    const target = e.composedPath()[0];
    if (target instanceof HTMLSelectElement || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const action = keyAction(e);
    if (!action) return;
    // Space on a button presses it; every other key of the review is the review's.
    if (action.kind === 'play-pause' && target instanceof HTMLButtonElement) return;
    e.preventDefault();
    this.act(action);
  }

  private act(action: KeyAction): void {
    const player = this.player;
    switch (action.kind) {
      case 'play-pause':
        return player?.togglePlay();
      case 'shuttle':
        return player?.shuttleBy(action.direction);
      case 'step-frames':
        return player?.stepFrames(action.frames);
      case 'step-seconds':
        return player?.stepSeconds(action.seconds);
      case 'shot':
        return player?.stepShot(action.direction);
      case 'undo': {
        this.undo();
        return;
      }
      case 'redo': {
        this.redo();
        return;
      }
      case 'help':
        this.helpShown = !this.helpShown;
        return;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const url of [...this.shotThumbs, ...this.faceThumbs.values()]) if (url) URL.revokeObjectURL(url);
  }

  override updated(): void {
    const framing = this.job.framing;
    if (framing && this.loadedFor !== framing.review) {
      this.loadedFor = framing.review;
      this.history = new History<FramingEdit>({ chosen: framing.chosen, nudges: framing.nudges });
      void this.loadThumbnails(framing);
    }
  }

  private async loadThumbnails(framing: Framing): Promise<void> {
    const tracks = framing.tracks;
    const times = shotRanges(tracks).map(([a, b]) => tracks.frames[Math.floor((a + b) / 2)]?.t ?? 0);
    try {
      this.shotThumbs = await fileThumbnails(this.job.file, times.slice(0, 48), 192);
      const people = framing.review.people.slice(0, 8);
      const faces = await fileThumbnails(
        this.job.file,
        people.map((p) => p.look.t),
        320,
      );
      this.faceThumbs = new Map(people.map((p, i) => [p.index, faces[i] ?? null]));
    } catch (error) {
      // Thumbnails help but are not needed to review.
      console.warn('thumbnails could not be made:', error);
    }
  }

  /** A new state of the edits, remembered for undo. */
  private edit(edit: FramingEdit): void {
    this.history?.push(edit);
    this.emitEdit(edit);
  }

  private emitEdit(edit: FramingEdit): void {
    this.dispatchEvent(new CustomEvent<FramingEdit>('framing-edit', { detail: edit, bubbles: true, composed: true }));
    this.requestUpdate();
  }

  private undo(): void {
    const before = this.history?.undo();
    if (before) this.emitEdit(before);
  }

  private redo(): void {
    const after = this.history?.redo();
    if (after) this.emitEdit(after);
  }

  /** A crop moved or zoomed, for the shot shown or from the frame shown on (the scope). */
  private nudge(panel: 0 | 1, dx: number, dy: number, zoom: number, frame = this.frame): void {
    const framing = this.job.framing!;
    const from = this.scope === 'from-here' ? { from: frame } : {};
    this.edit({ chosen: framing.chosen, nudges: addNudge(framing.nudges, { shot: shotOfFrame(framing.tracks, frame), panel, dx, dy, zoom, ...from }) });
  }

  private onCropEdit(e: CustomEvent<CropEdit>): void {
    const { panel, dx, dy, zoom, frame } = e.detail;
    this.nudge(panel, dx, dy, zoom, frame);
  }

  private onPreviewTime(e: CustomEvent<PreviewTime>): void {
    this.frame = e.detail.frame;
    this.selected = e.detail.shot;
  }

  /** A shot's thumbnail clicked: the preview goes to its first frame. */
  private showShot(shot: number): void {
    this.selected = shot;
    const start = shotRanges(this.job.framing!.tracks)[shot]?.[0] ?? 0;
    this.player?.seekToFrame(start);
  }

  private resetShot(panel: 0 | 1): void {
    const framing = this.job.framing!;
    // Every edit of this panel in this shot, whole or from a frame on.
    this.edit({ chosen: framing.chosen, nudges: framing.nudges.filter((n) => !(n.shot === this.selected && n.panel === panel)) });
  }

  private choose(panel: 0 | 1, person: number | null): void {
    const framing = this.job.framing!;
    const chosen: [number | null, number | null] = [...framing.chosen];
    chosen[panel] = person;
    // The same person cannot be in both panels: the other panel takes who this one had.
    const other = panel === 0 ? 1 : 0;
    if (person !== null && chosen[other] === person) chosen[other] = framing.chosen[panel];
    this.edit({ chosen, nudges: framing.nudges });
  }

  private swap(): void {
    const framing = this.job.framing!;
    this.edit({ chosen: [framing.chosen[1], framing.chosen[0]], nudges: framing.nudges });
  }

  private cropBox(crop: Rect | null, panel: 0 | 1, width: number, height: number) {
    if (!crop) return nothing;
    const style = `left:${(100 * crop.x) / width}%;top:${(100 * crop.y) / height}%;width:${(100 * crop.w) / width}%;height:${(100 * crop.h) / height}%`;
    return html`<div class="crop p${panel}" style=${style}></div>`;
  }

  private faceStyle(index: number): string {
    const url = this.faceThumbs.get(index);
    const person = this.job.framing!.review.people.find((p) => p.index === index);
    if (!url || !person) return '';
    // The face's box of the 320 px wide thumbnail, scaled to fill the 48 px square.
    const toThumb = 320 / this.job.framing!.tracks.source.width;
    const box = person.look.box;
    const k = 48 / (Math.max(box.w, box.h) * toThumb);
    return `background-image:url(${url});background-size:${320 * k}px auto;background-position:${-box.x * toThumb * k}px ${-box.y * toThumb * k}px`;
  }

  override render() {
    const framing = this.job.framing;
    if (!framing) return nothing;
    const tracks = framing.tracks;
    const { width, height } = tracks.source;
    const ranges = shotRanges(tracks);
    const people = framing.review.people;
    const low = lowConfidenceSpans(framing);
    const label = (index: number | null) => {
      if (index === null) return 'Nobody';
      const p = people.find((q) => q.index === index);
      return `Person ${index + 1}${p ? ` (seen ${p.seen} times${p.talk !== undefined ? `, talks ${p.talk.toFixed(1)} s` : ''})` : ''}`;
    };
    const history = this.history;
    return html`
      <df-review-player
        tabindex="-1"
        .file=${this.job.file}
        .tracks=${tracks}
        .unseen=${low}
        ?highlight=${this.job.settings?.speakerHighlight ?? false}
        @crop-edit=${this.onCropEdit}
        @preview-time=${this.onPreviewTime}
      >
        <span slot="actions" class="row">
          <button @click=${() => this.undo()} ?disabled=${!history?.canUndo} aria-label="undo the last edit (Z)">Undo</button>
          <button @click=${() => this.redo()} ?disabled=${!history?.canRedo} aria-label="redo (Shift+Z)">Redo</button>
          <label class="row"
            >Edits apply to
            <select aria-label="where a crop edit applies" @change=${(e: Event) => (this.scope = (e.target as HTMLSelectElement).value as EditScope)}>
              <option value="shot" ?selected=${this.scope === 'shot'}>the whole shot</option>
              <option value="from-here" ?selected=${this.scope === 'from-here'}>from here to the shot's end</option>
            </select>
          </label>
          <button @click=${() => (this.helpShown = !this.helpShown)} aria-expanded=${this.helpShown ? 'true' : 'false'} aria-label="keyboard shortcuts (?)">
            ?
          </button>
        </span>
      </df-review-player>
      ${
        this.helpShown
          ? html`<div class="help" role="dialog" aria-label="keyboard shortcuts">
              <table>
                ${KEYS.map(
                  ([key, what]) =>
                    html`<tr>
                      <td><kbd>${key}</kbd></td>
                      <td>${what}</td>
                    </tr>`,
                )}
              </table>
              <button @click=${() => (this.helpShown = false)}>Close</button>
            </div>`
          : nothing
      }
      <div class="legend">
        <span class="swatch" style="background:#3ddc84"></span> panel 1 (${tracks.output.layout === 'stacked' ? 'top' : 'left'})
        <span class="swatch" style="background:#ff5cf0"></span> panel 2 (${tracks.output.layout === 'stacked' ? 'bottom' : 'right'})
        <span class="swatch" style="background:#4c7dff"></span> a cut <span class="swatch" style="background:#ff6b6b"></span> not seen for a while: the camera
        holds or guesses there ${tracks.speech ? html`<span class="swatch" style="background:#ffb020"></span> speaking` : nothing}
      </div>
      <div class="timeline" role="group" aria-label=${`shots of ${this.job.file.name}`} style=${`--aspect:${width}/${height}`}>
        ${ranges.map(([a, b], i) => {
          const mid = tracks.frames[Math.floor((a + b) / 2)];
          const start = tracks.frames[a]?.t ?? 0;
          return html`<button
            class="shot"
            aria-pressed=${i === this.selected ? 'true' : 'false'}
            aria-label=${`shot ${i + 1} from ${start.toFixed(1)} s`}
            @click=${() => this.showShot(i)}
          >
            <div class="frame">
              ${this.shotThumbs[i] ? html`<img src=${this.shotThumbs[i]} alt="" />` : nothing}
              ${mid ? [this.cropBox(mid.panels[0], 0, width, height), this.cropBox(mid.panels[1], 1, width, height)] : nothing}
            </div>
            <span>Shot ${i + 1} · ${start.toFixed(1)} s</span>
          </button>`;
        })}
      </div>
      <div class="controls">
        ${([0, 1] as const).map(
          (panel) =>
            html`<div class="panel">
              <h4>Panel ${panel + 1}</h4>
              <label class="row">
                Shows
                <select
                  aria-label=${`person in panel ${panel + 1}`}
                  @change=${(e: Event) => {
                    const v = (e.target as HTMLSelectElement).value;
                    this.choose(panel, v === '' ? null : Number(v));
                  }}
                >
                  ${people.map((p) => html`<option value=${p.index} ?selected=${framing.chosen[panel] === p.index}>${label(p.index)}</option>`)}
                  <option value="" ?selected=${framing.chosen[panel] === null}>Nobody</option>
                </select>
              </label>
              <div class="people" aria-hidden="true">
                ${people.slice(0, 8).map((p) => html`<div class="face" title=${label(p.index)} style=${this.faceStyle(p.index)}></div>`)}
              </div>
              <div
                class="row"
                role="group"
                aria-label=${`adjust panel ${panel + 1} in shot ${this.selected + 1}${this.scope === 'from-here' ? ' from the frame shown' : ''}`}
              >
                <button @click=${() => this.nudge(panel, -STEP, 0, 1)} aria-label=${`move panel ${panel + 1} left`}>←</button>
                <button @click=${() => this.nudge(panel, STEP, 0, 1)} aria-label=${`move panel ${panel + 1} right`}>→</button>
                <button @click=${() => this.nudge(panel, 0, -STEP, 1)} aria-label=${`move panel ${panel + 1} up`}>↑</button>
                <button @click=${() => this.nudge(panel, 0, STEP, 1)} aria-label=${`move panel ${panel + 1} down`}>↓</button>
                <button @click=${() => this.nudge(panel, 0, 0, ZOOM)} aria-label=${`zoom panel ${panel + 1} in`}>+</button>
                <button @click=${() => this.nudge(panel, 0, 0, 1 / ZOOM)} aria-label=${`zoom panel ${panel + 1} out`}>−</button>
                <button @click=${() => this.resetShot(panel)}>Reset shot</button>
              </div>
            </div>`,
        )}
      </div>
      <div class="row">
        <button @click=${this.swap}>Swap panels</button>
        <button class="primary" @click=${() => this.dispatchEvent(new CustomEvent('render-job', { bubbles: true, composed: true }))}>
          Render ${this.job.file.name}
        </button>
      </div>
    `;
  }
}

customElements.define('df-review', ReviewPanel);
