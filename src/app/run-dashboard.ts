// The run at a glance: frames per second over time (a small chart), encoders in use, the queue,
// and fallbacks and errors as they happen.
import { LitElement, css, html, nothing } from 'lit';
import type { PageJob, RunEvent } from './jobs';

export class RunDashboard extends LitElement {
  static override properties = {
    jobs: { attribute: false, hasChanged: () => true },
    events: { attribute: false },
    history: { attribute: false },
    hardwareLimit: { type: Number },
  };

  static override styles = css`
    :host {
      display: grid;
      gap: 0.6rem;
      background: #1e2128;
      border-radius: 8px;
      padding: 0.8rem 1rem;
    }
    h2 {
      font-size: 1.05rem;
      margin: 0;
    }
    .figures {
      display: flex;
      gap: 1.4rem;
      flex-wrap: wrap;
    }
    .figure b {
      display: block;
      font-size: 1.3rem;
    }
    .figure {
      color: #aab;
      font-size: 0.85em;
    }
    svg {
      width: 100%;
      height: 4rem;
      background: #14161a;
      border-radius: 6px;
    }
    ol {
      margin: 0;
      padding-left: 1.2rem;
      max-height: 8rem;
      overflow: auto;
      font-size: 0.9em;
    }
    li.error {
      color: #ff8a8a;
    }
    li.fallback {
      color: #ffcf4a;
    }
  `;

  declare jobs: PageJob[];
  declare events: RunEvent[];
  /** Total frames per second, one value per second, oldest first. */
  declare history: number[];
  declare hardwareLimit: number;

  override render() {
    const rendering = this.jobs.filter((j) => j.status === 'rendering');
    const hardware = rendering.filter((j) => j.progress?.encoder === 'hardware').length;
    const software = rendering.filter((j) => j.progress?.encoder === 'software').length;
    const queued = this.jobs.filter((j) => j.status === 'queued').length;
    const analysing = this.jobs.filter((j) => j.status === 'analysing').length;
    const fps = this.history[this.history.length - 1] ?? 0;
    const max = Math.max(1, ...this.history);
    const n = Math.max(2, this.history.length);
    const points = this.history.map((v, i) => `${(i / (n - 1)) * 100},${40 - (v / max) * 38}`).join(' ');
    return html`
      <h2>This run</h2>
      <div class="figures">
        <div class="figure" role="status" aria-label="frames per second"><b>${fps.toFixed(0)}</b>frames per second</div>
        <div class="figure"><b>${analysing}</b>analysing</div>
        <div class="figure" aria-label="encoders in use"><b>${hardware} / ${software}</b>encoders: hardware (of ${this.hardwareLimit}) / software</div>
        <div class="figure"><b>${queued}</b>waiting</div>
      </div>
      <svg
        viewBox="0 0 100 40"
        preserveAspectRatio="none"
        role="img"
        aria-label=${`frames per second over the last ${this.history.length} seconds, peak ${max.toFixed(0)}`}
      >
        <polyline points=${points} fill="none" stroke="#4c7dff" stroke-width="1.5" vector-effect="non-scaling-stroke"></polyline>
      </svg>
      ${
        this.events.length
          ? html`<ol aria-label="fallbacks and errors" aria-live="polite">
              ${this.events.map((e) => html`<li class=${e.kind}>${new Date(e.at).toLocaleTimeString()} ${e.job}: ${e.kind === 'fallback' ? 'software encoder: ' : ''}${e.text}</li>`)}
            </ol>`
          : nothing
      }
    `;
  }
}

customElements.define('df-dashboard', RunDashboard);
