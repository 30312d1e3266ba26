// The review's player: the source with both panels' crops drawn on it (drag one to move it, the
// wheel over it to zoom), the split screen as it will be rendered, and a timeline of shots, stretches
// where a person was not seen and speaker turns (click or drag to seek).
//
// One <video> decodes the source and plays its audio; the two panels show the same frames through
// its captureStream(), each moved and scaled by a CSS transform set from requestVideoFrameCallback,
// so no frame is ever drawn by script. Measured with a 1080p30 source (2 cores, no GPU, SwiftShader):
// this way 175-179 of 180 frames were presented in 6 s; three <video> elements of the same file
// presented 134-139; drawing the panels into 2D canvases 69. Emits `crop-edit` and `preview-time`.
import { LitElement, css, html, nothing } from 'lit';
import type { Rect } from '../../geometry/rect';
import { shotOfFrame, shotRanges } from '../../framing/edits';
import { highlightLevels } from '../../framing/speakers';
import { speakerBoxes } from '../../composite/overlay';
import type { TracksFile } from '../../framing/tracks-file';
import { cornerZoom, draggedCrop, frameIndexAt, previewPanels, zoomedCrop } from './geometry';

export interface CropEdit {
  panel: 0 | 1;
  /** Move, as a share of the crop's width and height. */
  dx: number;
  dy: number;
  zoom: number;
  /** The frame shown when the edit was made. */
  frame: number;
}

export interface PreviewTime {
  t: number;
  frame: number;
  shot: number;
}

/** A stretch drawn on the timeline. */
export interface TimelineSpan {
  panel: 0 | 1;
  start: number;
  end: number;
}

interface Drag {
  /** move: the crop follows the pointer; zoom: its corner does (the aspect kept, the centre fixed). */
  mode: 'move' | 'zoom';
  panel: 0 | 1;
  pointer: number;
  x: number;
  y: number;
  dx: number;
  dy: number;
}

type CapturingVideo = HTMLVideoElement & { captureStream(): MediaStream };

const WHEEL_ZOOM = 1.1;

export class ReviewPlayer extends LitElement {
  static override properties = {
    file: { attribute: false },
    tracks: { attribute: false },
    unseen: { attribute: false },
    highlight: { type: Boolean },
    playing: { state: true },
    now: { state: true },
  };

  static override styles = css`
    :host {
      display: grid;
      gap: 0.5rem;
    }
    .stage {
      display: grid;
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
      gap: 0.6rem;
      align-items: start;
    }
    .view {
      position: relative;
      overflow: hidden;
      background: #000;
      border-radius: 6px;
    }
    .source video {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: fill;
    }
    .crop {
      position: absolute;
      box-sizing: border-box;
      border: 2px solid;
      cursor: grab;
      touch-action: none;
    }
    .crop:active {
      cursor: grabbing;
    }
    .crop.p0 {
      border-color: #3ddc84;
    }
    .crop.p1 {
      border-color: #ff5cf0;
    }
    .handle {
      position: absolute;
      right: -6px;
      bottom: -6px;
      width: 12px;
      height: 12px;
      border-radius: 3px;
      background: currentColor;
      cursor: nwse-resize;
      touch-action: none;
    }
    .crop.p0 .handle {
      color: #3ddc84;
    }
    .crop.p1 .handle {
      color: #ff5cf0;
    }
    .crop span {
      position: absolute;
      left: 2px;
      top: 0;
      font-size: 0.75em;
      color: #000;
      padding: 0 0.25em;
    }
    .crop.p0 span {
      background: #3ddc84;
    }
    .crop.p1 span {
      background: #ff5cf0;
    }
    .panel {
      position: absolute;
      overflow: hidden;
      background: #000;
    }
    .panel video {
      position: absolute;
      left: 0;
      top: 0;
      transform-origin: 0 0;
      object-fit: fill;
    }
    .mark {
      position: absolute;
      box-sizing: border-box;
      border: 0 solid #ffb020;
      pointer-events: none;
    }
    .transport {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
    }
    .time {
      font-variant-numeric: tabular-nums;
      color: #ccd;
      min-width: 9em;
    }
    button {
      font: inherit;
      padding: 0.3rem 0.7rem;
      border-radius: 6px;
      border: 0;
      background: #3a3f4b;
      color: white;
      cursor: pointer;
    }
    button:focus-visible,
    .scrub:focus-visible,
    .crop:focus-visible {
      outline: 2px solid #9ab8ff;
      outline-offset: 2px;
    }
    .scrub {
      position: relative;
      height: 2.6rem;
      background: #23262e;
      border-radius: 4px;
      cursor: pointer;
      touch-action: none;
      user-select: none;
    }
    .tick {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 2px;
      background: #4c7dff;
    }
    .lane {
      position: absolute;
      left: 0;
      right: 0;
      height: 0.45rem;
    }
    .lane.unseen {
      top: 0.2rem;
    }
    .lane.speech {
      bottom: 0.2rem;
    }
    .lane div {
      position: absolute;
      top: 0;
      bottom: 0;
      border-radius: 2px;
    }
    .lane.unseen div {
      background: #ff6b6b;
    }
    .lane.speech div {
      background: #ffb020;
    }
    .lane div.p1 {
      top: 50%;
    }
    .lane div.p0 {
      bottom: 50%;
    }
    .head {
      position: absolute;
      top: -2px;
      bottom: -2px;
      width: 2px;
      background: white;
      pointer-events: none;
    }
  `;

  declare file: File;
  declare tracks: TracksFile;
  declare unseen: readonly TimelineSpan[];
  declare highlight: boolean;
  declare playing: boolean;
  declare now: number;

  private url: string | null = null;
  private urlFor: File | null = null;
  private drag: Drag | null = null;
  private shuttle: { direction: -1 | 1; rate: number; timer: number | null } | null = null;
  private lastShot = -1;
  private frameCallback: number | null = null;

  constructor() {
    super();
    this.unseen = [];
    this.highlight = false;
    this.playing = false;
    this.now = 0;
  }

  private get master(): CapturingVideo | null {
    return this.renderRoot.querySelector<CapturingVideo>('video.master');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the source is loaded already, the panels' stream is taken again.
    if ((this.master?.readyState ?? 0) >= 2) this.onLoaded();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopShuttle();
    // This element owns the stream, the frame callback and the file's URL: all let go here.
    const master = this.master;
    master?.pause();
    if (master && this.frameCallback !== null) master.cancelVideoFrameCallback(this.frameCallback);
    this.frameCallback = null;
    for (const track of this.captured?.getTracks() ?? []) track.stop();
    this.captured = null;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.urlFor = null;
  }

  private sourceUrl(): string {
    if (this.urlFor !== this.file) {
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = URL.createObjectURL(this.file);
      this.urlFor = this.file;
    }
    return this.url!;
  }

  override updated(): void {
    const master = this.master;
    if (!master) return;
    // Panels rendered afresh (a layout change) take the same stream.
    if (this.captured)
      for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('.panel video'))
        if (video.srcObject !== this.captured) video.srcObject = this.captured;
    this.draw(master.currentTime);
  }

  private captured: MediaStream | null = null;

  private stream(master: CapturingVideo): MediaStream {
    this.captured ??= master.captureStream();
    return this.captured;
  }

  private onLoaded = () => {
    const master = this.master!;
    const stream = this.stream(master);
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('.panel video')) {
      video.srcObject = stream;
      void video.play().catch(() => undefined);
    }
    this.watchFrames();
    this.draw(master.currentTime);
  };

  /** Every presented frame: the panels and crops for its time. */
  private watchFrames(): void {
    const master = this.master;
    if (!master || this.frameCallback !== null) return;
    const next = () => {
      this.frameCallback = master.requestVideoFrameCallback((_now, metadata) => {
        this.frameCallback = null;
        if (!this.isConnected) return;
        this.draw(metadata.mediaTime);
        next();
      });
    };
    next();
  }

  private frameAt(t: number): number {
    const frames = this.tracks.frames;
    return frameIndexAt((i) => frames[i]!.t, frames.length, t);
  }

  /** The crops of frame i, with a drag under way applied. */
  private cropsOf(i: number): [Rect | null, Rect | null] {
    const panels = this.tracks.frames[i]?.panels ?? [null, null];
    const crops: [Rect | null, Rect | null] = [panels[0], panels[1]];
    const drag = this.drag;
    const source = this.renderRoot.querySelector<HTMLElement>('.source');
    if (drag && crops[drag.panel] && source) {
      const crop = crops[drag.panel]!;
      const scale = source.clientWidth / this.tracks.source.width;
      crops[drag.panel] = drag.mode === 'move' ? draggedCrop(crop, drag.dx, drag.dy, scale) : zoomedCrop(crop, cornerZoom(crop, drag.dx, drag.dy, scale));
    }
    return crops;
  }

  /** Panels, crops and highlight for the frame at time t, written straight to the elements (no re-render per frame). */
  private draw(t: number): void {
    if (!this.tracks) return;
    const i = this.frameAt(t);
    const crops = this.cropsOf(i);
    const { width, height } = this.tracks.source;
    const output = { width: this.tracks.output.width, height: this.tracks.output.height };
    const out = this.renderRoot.querySelector<HTMLElement>('.output');
    if (!out) return;
    const scale = out.clientWidth / output.width;
    const views = previewPanels(this.tracks.output.layout, output, crops, scale);
    // The speaker highlight as the compositors draw it (overlay.ts), at display size.
    const marks = this.highlight && this.tracks.speech ? speakerBoxes(this.tracks.output.layout, output, crops, highlightLevels(this.tracks.speech, t)) : [];
    views.forEach((view, p) => {
      const panel = this.renderRoot.querySelector<HTMLElement>(`.panel.p${p}`)!;
      const video = panel.querySelector('video')!;
      placeBox(panel, view.box);
      video.style.visibility = view.transform ? 'visible' : 'hidden';
      if (view.transform) video.style.transform = view.transform;
      const mark = this.renderRoot.querySelector<HTMLElement>(`.mark.p${p}`)!;
      placeBox(mark, view.box);
      mark.style.borderWidth = `${(marks.find((m) => m.person === p)?.thickness ?? 0) * scale}px`;
      const overlay = this.renderRoot.querySelector<HTMLElement>(`.crop.p${p}`)!;
      const crop = crops[p];
      overlay.style.display = crop ? 'block' : 'none';
      if (crop)
        Object.assign(overlay.style, {
          left: `${(100 * crop.x) / width}%`,
          top: `${(100 * crop.y) / height}%`,
          width: `${(100 * crop.w) / width}%`,
          height: `${(100 * crop.h) / height}%`,
        });
    });
    const head = this.renderRoot.querySelector<HTMLElement>('.head');
    if (head) head.style.left = `${(100 * t) / this.duration}%`;
    const shot = shotOfFrame(this.tracks, i);
    if (Math.abs(t - this.now) > 0.2 || shot !== this.lastShot) {
      this.now = t;
      this.lastShot = shot;
      this.dispatchEvent(new CustomEvent<PreviewTime>('preview-time', { detail: { t, frame: i, shot }, bubbles: true, composed: true }));
    }
  }

  private get duration(): number {
    const frames = this.tracks.frames;
    const last = frames[frames.length - 1]?.t ?? 0;
    return Math.max(1e-3, last + 1 / Math.max(1, this.tracks.source.fps));
  }

  // --- Transport -------------------------------------------------------------------------------

  togglePlay(): void {
    const master = this.master;
    if (!master) return;
    this.stopShuttle();
    if (master.paused) void master.play();
    else master.pause();
  }

  /** J / K / L: backwards, stop, forwards; pressed again, twice as fast (to 8x). */
  shuttleBy(direction: -1 | 0 | 1): void {
    const master = this.master;
    if (!master) return;
    if (direction === 0) {
      this.stopShuttle();
      master.pause();
      return;
    }
    const rate = this.shuttle?.direction === direction ? Math.min(8, this.shuttle.rate * 2) : 1;
    this.stopShuttle();
    if (direction === 1) {
      master.playbackRate = rate;
      void master.play();
      this.shuttle = { direction, rate, timer: null };
      return;
    }
    // No browser plays backwards: step back at the rate instead, silent.
    master.pause();
    const tick = 0.1;
    const timer = window.setInterval(() => {
      master.currentTime = Math.max(0, master.currentTime - tick * rate);
      if (master.currentTime <= 0) this.stopShuttle();
    }, tick * 1000);
    this.shuttle = { direction, rate, timer };
  }

  private stopShuttle(): void {
    if (this.shuttle?.timer) window.clearInterval(this.shuttle.timer);
    this.shuttle = null;
    const master = this.master;
    if (master) master.playbackRate = 1;
  }

  /** The frame `frames` away from the one shown, paused there. */
  stepFrames(frames: number): void {
    const master = this.master;
    if (!master) return;
    this.stopShuttle();
    master.pause();
    const i = Math.min(this.tracks.frames.length - 1, Math.max(0, this.frameAt(master.currentTime) + frames));
    this.seekToFrame(i);
  }

  stepSeconds(seconds: number): void {
    const master = this.master;
    if (master) this.seekTo(master.currentTime + seconds);
  }

  /** The start of the previous or next shot (the previous: this shot's start when past it by more than a second). */
  stepShot(direction: -1 | 1): void {
    const master = this.master;
    if (!master) return;
    const ranges = shotRanges(this.tracks);
    const i = this.frameAt(master.currentTime);
    const shot = shotOfFrame(this.tracks, i);
    const startOf = (s: number) => this.tracks.frames[ranges[s]![0]]?.t ?? 0;
    let target = shot + direction;
    if (direction === -1 && master.currentTime - startOf(shot) > 1) target = shot;
    if (target < 0 || target >= ranges.length) return;
    this.seekToFrame(ranges[target]![0]);
  }

  seekTo(t: number): void {
    const master = this.master;
    if (!master) return;
    master.currentTime = Math.min(Math.max(0, t), this.duration - 1e-3);
    this.draw(master.currentTime);
  }

  /** Between frame i and the next, so rounding never shows its neighbour. */
  seekToFrame(i: number): void {
    const frames = this.tracks.frames;
    const t = frames[i]!.t;
    const next = frames[i + 1]?.t ?? t + 1 / Math.max(1, this.tracks.source.fps);
    this.seekTo((t + next) / 2);
  }

  /** The index of the frame shown. */
  shownFrame(): number {
    return this.frameAt(this.master?.currentTime ?? 0);
  }

  /** Frames presented and dropped by the source video so far (the panels show the same frames). */
  playbackQuality(): { presented: number; dropped: number } {
    const q = this.master?.getVideoPlaybackQuality();
    return { presented: q ? q.totalVideoFrames - q.droppedVideoFrames : 0, dropped: q?.droppedVideoFrames ?? 0 };
  }

  // --- Editing the crops -----------------------------------------------------------------------

  private onCropDown(e: PointerEvent, panel: 0 | 1): void {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const mode = (e.target as HTMLElement).classList.contains('handle') ? 'zoom' : 'move';
    this.drag = { mode, panel, pointer: e.pointerId, x: e.clientX, y: e.clientY, dx: 0, dy: 0 };
    e.preventDefault();
  }

  private onCropMove(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointer !== e.pointerId) return;
    drag.dx = e.clientX - drag.x;
    drag.dy = e.clientY - drag.y;
    this.draw(this.master?.currentTime ?? 0);
  }

  private onCropUp(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointer !== e.pointerId) return;
    this.drag = null;
    const master = this.master;
    const i = this.frameAt(master?.currentTime ?? 0);
    const crop = this.tracks.frames[i]?.panels[drag.panel];
    const source = this.renderRoot.querySelector<HTMLElement>('.source')!;
    const scale = source.clientWidth / this.tracks.source.width;
    if (crop && (drag.dx !== 0 || drag.dy !== 0)) {
      if (drag.mode === 'move') this.edit({ panel: drag.panel, dx: drag.dx / scale / crop.w, dy: drag.dy / scale / crop.h, zoom: 1, frame: i });
      else this.edit({ panel: drag.panel, dx: 0, dy: 0, zoom: cornerZoom(crop, drag.dx, drag.dy, scale), frame: i });
    }
    this.draw(master?.currentTime ?? 0);
  }

  private onCropWheel(e: WheelEvent, panel: 0 | 1): void {
    e.preventDefault();
    const i = this.frameAt(this.master?.currentTime ?? 0);
    this.edit({ panel, dx: 0, dy: 0, zoom: e.deltaY < 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM, frame: i });
  }

  private edit(edit: CropEdit): void {
    this.dispatchEvent(new CustomEvent<CropEdit>('crop-edit', { detail: edit, bubbles: true, composed: true }));
  }

  // --- The timeline ----------------------------------------------------------------------------

  private scrubbing: number | null = null;

  private onScrubDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    this.scrubbing = e.pointerId;
    this.scrubTo(e);
  }

  private onScrubMove(e: PointerEvent): void {
    if (this.scrubbing === e.pointerId) this.scrubTo(e);
  }

  private scrubTo(e: PointerEvent): void {
    const bar = e.currentTarget as HTMLElement;
    const box = bar.getBoundingClientRect();
    this.seekTo(((e.clientX - box.left) / box.width) * this.duration);
  }

  override render() {
    if (!this.tracks || !this.file) return nothing;
    const { width, height } = this.tracks.source;
    const output = this.tracks.output;
    const duration = this.duration;
    const at = (t: number) => `${(100 * t) / duration}%`;
    const span = (what: string) => (s: TimelineSpan) =>
      html`<div
        class="bar p${s.panel}"
        title=${`panel ${s.panel + 1} ${what} ${s.start.toFixed(1)}–${s.end.toFixed(1)} s`}
        style=${`left:${at(s.start)};width:${Math.max(0.3, (100 * (s.end - s.start)) / duration)}%`}
      ></div>`;
    const shotStarts = shotRanges(this.tracks).map(([a]) => this.tracks.frames[a]?.t ?? 0);
    return html`
      <div class="stage">
        <div class="view source" style=${`aspect-ratio:${width}/${height}`}>
          <video
            class="master"
            src=${this.sourceUrl()}
            preload="auto"
            playsinline
            @loadeddata=${this.onLoaded}
            @play=${() => (this.playing = true)}
            @pause=${() => (this.playing = false)}
            @seeked=${() => this.draw(this.master!.currentTime)}
          ></video>
          ${([0, 1] as const).map(
            (p) =>
              html`<div
                class="crop p${p}"
                role="button"
                tabindex="-1"
                aria-label=${`crop of panel ${p + 1}: drag to move, wheel to zoom`}
                @pointerdown=${(e: PointerEvent) => this.onCropDown(e, p)}
                @pointermove=${this.onCropMove}
                @pointerup=${this.onCropUp}
                @pointercancel=${this.onCropUp}
                @wheel=${(e: WheelEvent) => this.onCropWheel(e, p)}
              >
                <span>${p + 1}</span>
                <div class="handle" aria-hidden="true" title="drag to zoom"></div>
              </div>`,
          )}
        </div>
        <div
          class="view output"
          role="img"
          aria-label="the split screen as it will be rendered"
          style=${`aspect-ratio:${output.width}/${output.height};width:min(100%, ${((24 * output.width) / output.height).toFixed(2)}rem);justify-self:center`}
        >
          ${([0, 1] as const).map((p) => html`<div class="panel p${p}"><video muted playsinline style=${`width:${width}px;height:${height}px`}></video></div>`)}
          ${([0, 1] as const).map((p) => html`<div class="mark p${p}"></div>`)}
        </div>
      </div>
      <div class="transport">
        <button @click=${() => this.togglePlay()} aria-label=${this.playing ? 'pause (Space)' : 'play (Space)'}>${this.playing ? '❚❚ Pause' : '▶ Play'}</button>
        <button @click=${() => this.stepFrames(-1)} aria-label="one frame back (←)">◀︎|</button>
        <button @click=${() => this.stepFrames(1)} aria-label="one frame on (→)">|▶︎</button>
        <span class="time" aria-live="off">${formatTime(this.now)} / ${formatTime(duration)}</span>
        <slot name="actions"></slot>
      </div>
      <div
        class="scrub"
        role="slider"
        tabindex="0"
        aria-label="position in the video: shots, stretches where a person was not seen, speaker turns"
        aria-valuemin="0"
        aria-valuemax=${duration.toFixed(1)}
        aria-valuenow=${this.now.toFixed(1)}
        aria-valuetext=${formatTime(this.now)}
        @pointerdown=${this.onScrubDown}
        @pointermove=${this.onScrubMove}
        @pointerup=${() => (this.scrubbing = null)}
      >
        ${shotStarts.slice(1).map((t) => html`<div class="tick" style=${`left:${at(t)}`}></div>`)}
        <div class="lane unseen" role="img" aria-label=${`stretches where a person was not seen in ${this.file.name}`}>
          ${this.unseen.map(span('not seen'))}
        </div>
        ${
          this.tracks.speech
            ? html`<div class="lane speech" role="img" aria-label=${`who speaks when in ${this.file.name}: panel 1 on top, panel 2 below`}>
                ${this.tracks.speech.map(span('speaks'))}
              </div>`
            : nothing
        }
        <div class="head"></div>
      </div>
    `;
  }
}

function placeBox(el: HTMLElement, box: Rect): void {
  Object.assign(el.style, { left: `${box.x}px`, top: `${box.y}px`, width: `${box.w}px`, height: `${box.h}px`, display: box.w > 0 ? 'block' : 'none' });
}

function formatTime(t: number): string {
  const m = Math.floor(t / 60);
  const s = t - 60 * m;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

customElements.define('df-review-player', ReviewPlayer);
