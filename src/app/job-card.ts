// One video in the list: what it is (thumbnail, duration, size, codec) or why it cannot be used,
// its progress (phase, fps, ETA), the review when it waits for one, and the result.
import { LitElement, css, html, nothing } from 'lit';
import type { PageJob } from './jobs';
import { formatDuration } from './probe';
import './review-panel';
import { buttonStyles } from './styles';

export class JobCard extends LitElement {
  // Jobs change in place (their owner mutates them): always re-render with the parent.
  static override properties = { job: { attribute: false, hasChanged: () => true } };

  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        background: #1e2128;
        border-radius: 8px;
        padding: 0.5rem 0.8rem;
      }
      .head {
        display: grid;
        grid-template-columns: 7rem 1fr auto;
        gap: 0.8rem;
        align-items: center;
      }
      .thumb {
        width: 7rem;
        aspect-ratio: 16 / 9;
        object-fit: contain;
        background: #000;
        border-radius: 4px;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .facts,
      .detail {
        color: #aab;
        font-size: 0.9em;
      }
      .error {
        color: #ff8a8a;
      }
      .actions {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
        justify-content: flex-end;
      }
      .body {
        display: grid;
        gap: 0.6rem;
        margin-top: 0.6rem;
      }
      progress {
        width: 100%;
      }
      a.button.primary {
        background: #4c7dff;
      }
      video {
        width: 100%;
        max-height: 50vh;
        background: black;
        border-radius: 6px;
      }
      /* Twenty finished videos stay a readable list: each one's player opens on demand. */
      .watch summary {
        cursor: pointer;
        color: #ccd;
      }
      .head {
        grid-template-columns: 4.5rem 1fr auto;
      }
      .thumb {
        width: 4.5rem;
      }
      @media (max-width: 40rem) {
        .head {
          grid-template-columns: 5rem 1fr;
        }
        .actions {
          grid-column: 1 / -1;
          justify-content: flex-start;
        }
        .thumb {
          width: 5rem;
        }
      }
    `,
  ];

  declare job: PageJob;

  private emit(name: string): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  private status(): string {
    const job = this.job;
    const p = job.progress;
    switch (job.status) {
      case 'probing':
        return 'Checking…';
      case 'unsupported':
        return 'Cannot be used';
      case 'ready':
        return 'Ready';
      case 'queued':
        return job.analysed ? 'Waiting to render' : 'Waiting to analyse';
      case 'analysing':
      case 'rendering': {
        const phase = job.status === 'analysing' ? 'Analysing' : 'Rendering';
        if (!p) return `${phase}…`;
        const eta = p.fps > 0 ? (p.framesTotal - p.framesDone) / p.fps : null;
        return `${phase}: ${Math.round((100 * p.framesDone) / Math.max(1, p.framesTotal))} %, ${p.fps.toFixed(0)} fps${eta !== null ? `, ${formatDuration(Math.max(0, eta))} left` : ''}`;
      }
      case 'review':
        return 'Ready for review';
      case 'done':
        return 'Done';
      case 'failed':
        return 'Failed';
      case 'cancelled':
        return 'Cancelled';
    }
  }

  override render() {
    const job = this.job;
    const f = job.facts;
    const active = ['probing', 'ready', 'queued', 'analysing', 'review', 'rendering'].includes(job.status);
    const p = job.progress;
    return html`
      <div class="head">
        ${job.thumbnail ? html`<img class="thumb" src=${job.thumbnail} alt="" />` : html`<div class="thumb"></div>`}
        <div>
          <div class="name">${job.file.name}</div>
          ${
            f
              ? html`<div class="facts">
                  ${formatDuration(f.durationSeconds)} · ${f.width}x${f.height} · ${f.codec}${f.hasAudio ? ' · audio' : ' · no audio'}
                </div>`
              : nothing
          }
          <div role="status" aria-label=${`status of ${job.file.name}`}>${this.status()}</div>
        </div>
        <div class="actions">
          ${active ? html`<button @click=${() => this.emit('cancel-job')} aria-label=${`Cancel ${job.file.name}`}>Cancel</button>` : nothing}
          ${!active ? html`<button @click=${() => this.emit('remove-job')} aria-label=${`Remove ${job.file.name}`}>Remove</button>` : nothing}
        </div>
      </div>
      <div class="body">
        ${job.status === 'unsupported' || job.status === 'failed' ? html`<div class="error" role="alert">${job.error}</div>` : nothing}
        ${
          (job.status === 'analysing' || job.status === 'rendering') && p
            ? html`<progress max=${p.framesTotal} value=${p.framesDone} aria-label=${`progress of ${job.file.name}`}></progress>`
            : nothing
        }
        ${job.status === 'review' ? html`<df-review .job=${job}></df-review>` : nothing}
        ${
          job.status === 'done' && job.result
            ? html`<details class="watch">
                  <summary>Watch ${job.outputName}</summary>
                  <video src=${job.url ?? ''} controls preload="metadata" aria-label=${`preview of ${job.outputName}`}></video>
                </details>
                <div class="actions" style="justify-content:flex-start">
                  <a class="button primary" href=${job.url ?? ''} download=${job.outputName}>Download ${job.outputName}</a>
                  <a class="button" href=${job.tracksUrl ?? ''} download=${job.outputName.replace(/\.mp4$/, '.tracks.json')}>Download framing</a>
                  ${job.rttmUrl ? html`<a class="button" href=${job.rttmUrl} download=${job.outputName.replace(/\.dualface\.mp4$/, '.rttm')}>Download speaker turns</a>` : nothing}
                  ${job.savedTo ? html`<span class="detail">Saved to ${job.savedTo}</span>` : nothing}
                </div>
                <span class="detail"
                  >${job.result.frames} frames in ${job.wallSeconds.toFixed(1)} s; compositor ${job.result.compositor} (${job.result.compositorReason});
                  ${job.result.encoder} encoder${job.result.fallbacks.length ? ` after ${job.result.fallbacks.map((x) => x.reason).join('; ')}` : ''}; audio
                  ${job.result.audio}</span
                >`
            : nothing
        }
      </div>
    `;
  }
}

customElements.define('df-job-card', JobCard);
