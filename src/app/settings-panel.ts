// Settings with short explanations. Emits `settings-change` with the whole new settings object.
import { LitElement, css, html } from 'lit';
import { checkOutputSize, defaultOutputSize, LAYOUTS, parseSize, type Layout } from '../geometry/layout';
import { settingsLink, type AppSettings } from './settings';
import { settingNamed, type SettingName } from '../job/settings';
import { buttonStyles } from './styles';

/** Label and explanation from the settings schema, so the page and --help say the same. */
const label = (name: SettingName) => settingNamed(name).label;
const help = (name: SettingName) => settingNamed(name).help;
const range = (name: SettingName) => settingNamed(name).range!;
/** A number typed in, kept within the setting's range. */
const within = (name: SettingName, text: string, integer: boolean): number => {
  const { min, max } = range(name);
  const n = Number(text);
  const value = Number.isFinite(n) ? n : (settingNamed(name).default as number);
  return Math.max(min, Math.min(max, integer ? Math.round(value) : value));
};

export class SettingsPanel extends LitElement {
  static override properties = { settings: { attribute: false }, locked: { type: Boolean }, copied: { state: true } };

  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }
      fieldset {
        border: 1px solid #333845;
        border-radius: 8px;
        display: grid;
        gap: 0.9rem;
        grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
        padding: 1rem;
        margin: 0;
      }
      legend {
        padding: 0 0.4rem;
        font-weight: 600;
      }
      label {
        display: grid;
        gap: 0.25rem;
        align-content: start;
      }
      label.check {
        grid-template-columns: auto 1fr;
        align-items: start;
        column-gap: 0.5rem;
      }
      label.check small {
        grid-column: 2;
      }
      small {
        color: #aab;
        line-height: 1.3;
      }
      select,
      input {
        font: inherit;
        max-width: 100%;
        box-sizing: border-box;
        padding: 0.3rem;
        border-radius: 6px;
        border: 1px solid #444a58;
        background: #14161a;
        color: inherit;
      }
      .row {
        grid-column: 1 / -1;
        display: flex;
        gap: 0.6rem;
        align-items: center;
        flex-wrap: wrap;
      }
    `,
  ];

  declare settings: AppSettings;
  declare locked: boolean;
  declare copied: boolean;

  constructor() {
    super();
    this.locked = false;
    this.copied = false;
  }

  private change(changes: Partial<AppSettings>): void {
    this.dispatchEvent(new CustomEvent<AppSettings>('settings-change', { detail: { ...this.settings, ...changes }, bubbles: true, composed: true }));
  }

  private changeSize(text: string): void {
    const size = parseSize(text);
    if (size && !checkOutputSize(this.settings.layout, size)) this.change({ size });
  }

  private async copyLink(): Promise<void> {
    await navigator.clipboard?.writeText(settingsLink(location.href.split('?')[0]!, this.settings)).catch(() => undefined);
    this.copied = true;
    setTimeout(() => (this.copied = false), 2000);
  }

  /** An on/off setting: its box, its label, and its help (or `note` in its place). */
  private checkbox(name: 'review' | 'trimEmpty' | 'debugOverlay' | 'speech' | 'speakerHighlight' | 'speakerFocus', note?: string) {
    return html`<label class="check">
      <input type="checkbox" .checked=${this.settings[name]} @change=${(e: Event) => this.change({ [name]: (e.target as HTMLInputElement).checked })} />
      ${label(name)}
      <small>${note ?? help(name)}</small>
    </label>`;
  }

  override render() {
    const s = this.settings;
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    return html`<fieldset ?disabled=${this.locked}>
      <legend>Settings</legend>
      <label>
        ${label('layout')}
        <select @change=${(e: Event) => this.change({ layout: value(e) as Layout, size: defaultOutputSize(value(e) as Layout) })}>
          ${LAYOUTS.map((l) => html`<option value=${l} ?selected=${l === s.layout}>${l === 'side-by-side' ? 'Side by side' : 'Stacked'} (${defaultOutputSize(l).width}x${defaultOutputSize(l).height})</option>`)}
        </select>
        <small>Side by side for landscape players; stacked for phones and short-form.</small>
      </label>
      <label>
        ${label('size')}
        <input .value=${`${s.size.width}x${s.size.height}`} pattern="\\d+x\\d+" @change=${(e: Event) => this.changeSize(value(e))} />
        <small>${help('size')}</small>
      </label>
      <label>
        ${label('bitrateMbps')}
        <select @change=${(e: Event) => this.change({ bitrateMbps: value(e) === 'auto' ? null : Number(value(e)) })}>
          ${['auto', '4', '8', '12', '20'].map((b) => html`<option value=${b} ?selected=${(s.bitrateMbps === null ? 'auto' : String(s.bitrateMbps)) === b}>${b === 'auto' ? 'Automatic (from size and frame rate)' : `${b} Mbit/s`}</option>`)}
        </select>
        <small>Higher is sharper and larger.</small>
      </label>
      <label>
        ${label('encoders')}
        <select @change=${(e: Event) => this.change({ encoders: value(e) === 'auto' ? 'auto' : Number(value(e)) })}>
          ${['auto', ...Array.from({ length: range('encoders').max + 1 }, (_, n) => String(n))].map(
            (n) =>
              html`<option value=${n} ?selected=${String(s.encoders) === n}>
                ${n === 'auto' ? 'Automatic (measured)' : n === '0' ? '0 (software only)' : n}
              </option>`,
          )}
        </select>
        <small>${help('encoders')}</small>
      </label>
      <label>
        ${label('jobs')}
        <input
          type="number"
          min=${range('jobs').min}
          max=${range('jobs').max}
          .value=${String(s.jobs)}
          @change=${(e: Event) => this.change({ jobs: within('jobs', value(e), true) })}
        />
        <small>${help('jobs')}</small>
      </label>
      <label>
        ${label('detectionRate')}
        <input
          type="number"
          min=${range('detectionRate').min}
          max=${range('detectionRate').max}
          step=${range('detectionRate').step}
          .value=${String(s.detectionRate)}
          @change=${(e: Event) => this.change({ detectionRate: within('detectionRate', value(e), false) })}
        />
        <small>${help('detectionRate')}</small>
      </label>
      <label>
        ${label('missingPolicy')}
        <select @change=${(e: Event) => this.change({ missingPolicy: value(e) === 'full-width' ? 'full-width' : 'keep' })}>
          <option value="keep" ?selected=${s.missingPolicy === 'keep'}>Keep framing their place</option>
          <option value="full-width" ?selected=${s.missingPolicy === 'full-width'}>Show the other person full-width</option>
        </select>
      </label>
      ${this.checkbox('review', 'Off: render straight after analysis (for batches).')} ${this.checkbox('trimEmpty')} ${this.checkbox('debugOverlay')}
      ${this.checkbox('speech', 'From the voice in the audio and the moving mouths: in the framing file ("speech").')} ${this.checkbox('speakerHighlight')}
      ${this.checkbox('speakerFocus')}
      <div class="row">
        <button type="button" @click=${this.copyLink}>Copy link with these settings</button>
        <span role="status">${this.copied ? 'Link copied' : ''}</span>
      </div>
    </fieldset>`;
  }
}

customElements.define('df-settings', SettingsPanel);
