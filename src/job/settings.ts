// Every setting of DualFace, defined once: name, default, range, parsing, explanation. The page (its
// controls, URL parameters and storage), the command line (flags and --help), the job worker and the
// benchmarks all read them from here. A setting `fooBar` is `?fooBar=` in a link and `--foo-bar` on
// the command line. Pure.
import type { CompositorChoice } from '../composite/compositor';
import { checkOutputSize, defaultOutputSize, isLayout, LAYOUTS, parseSize, type Layout } from '../geometry/layout';
import type { Size } from '../geometry/rect';
import type { MissingPolicy } from '../framing/plan';
import type { JobSettings, Passes } from './protocol';

export interface Settings {
  layout: Layout;
  /** Follows the layout unless given. */
  size: Size;
  /** Video bitrate in Mbit/s; null picks one from the size and frame rate. */
  bitrateMbps: number | null;
  /** Hardware encoders used at once across all jobs; auto: as many as this browser opens at once (measured, at most 8). */
  encoders: number | 'auto';
  /** Jobs processed at once. */
  jobs: number;
  detectionRate: number;
  missingPolicy: MissingPolicy;
  trimEmpty: boolean;
  debugOverlay: boolean;
  /** Stop after analysis so the framing can be reviewed (the page) or edited in the tracks file (the command line). */
  review: boolean;
  compositor: CompositorChoice;
  passes: Passes;
  /** Find who is speaking (voice and mouths): the tracks file's "speech", and RTTM from the command line. */
  speech: boolean;
  /** Mark the speaking panel with an accent frame (finds who is speaking; takes two passes). */
  speakerHighlight: boolean;
  /** During a long turn of one person, that person fills the output (finds who is speaking; two passes). */
  speakerFocus: boolean;
}

export type SettingName = keyof Settings;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Setting<K extends SettingName = SettingName> {
  readonly name: K;
  /** As the page labels it. */
  readonly label: string;
  /** One sentence for the page and --help. */
  readonly help: string;
  /** What its value looks like, for --help ("N", "WxH", "side-by-side|stacked"); empty for on/off. */
  readonly values: string;
  readonly default: Settings[K];
  /** An on/off setting: a bare flag on the command line, a checkbox in the page. */
  readonly boolean: boolean;
  /** For number inputs. */
  readonly range?: { min: number; max: number; step: number };
  parse(text: string): Parsed<Settings[K]>;
  format(value: Settings[K]): string;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

function numberSetting<K extends 'jobs' | 'detectionRate'>(
  name: K,
  label: string,
  help: string,
  fallback: number,
  range: { min: number; max: number; step: number },
  integer: boolean,
): Setting<K> {
  const words = `${integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`;
  return {
    name,
    label,
    help,
    values: 'N',
    default: fallback,
    boolean: false,
    range,
    parse: (text) => {
      const n = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(n) || n < range.min || n > range.max || (integer && !Number.isInteger(n))) return bad(`must be ${words} (got ${text})`);
      return ok(n as Settings[K]);
    },
    format: (value) => String(value),
  };
}

function choiceSetting<K extends 'layout' | 'missingPolicy' | 'compositor' | 'passes'>(
  name: K,
  label: string,
  help: string,
  choices: readonly Settings[K][],
  fallback: Settings[K],
): Setting<K> {
  return {
    name,
    label,
    help,
    values: choices.join('|'),
    default: fallback,
    boolean: false,
    parse: (text) => (choices.includes(text as Settings[K]) ? ok(text as Settings[K]) : bad(`must be ${choices.join(' or ')} (got ${text})`)),
    format: (value) => value,
  };
}

function booleanSetting<K extends 'trimEmpty' | 'debugOverlay' | 'review' | 'speech' | 'speakerHighlight' | 'speakerFocus'>(
  name: K,
  label: string,
  help: string,
  fallback: boolean,
): Setting<K> {
  return {
    name,
    label,
    help,
    values: '',
    default: fallback,
    boolean: true,
    parse: (text) => {
      if (['1', 'true', 'on', 'yes'].includes(text)) return ok(true);
      if (['0', 'false', 'off', 'no'].includes(text)) return ok(false);
      return bad(`must be on or off (got ${text})`);
    },
    format: (value) => (value ? '1' : '0'),
  };
}

const layout = choiceSetting(
  'layout',
  'Layout',
  'side-by-side: 1920x1080, two 960x1080 panels; stacked: 1080x1920, two 1080x960 panels.',
  LAYOUTS,
  'side-by-side',
);

const size: Setting<'size'> = {
  name: 'size',
  label: 'Output size',
  help: 'Width x height in pixels; even sides, the split side divisible by 4.',
  values: 'WxH',
  default: defaultOutputSize('side-by-side'),
  boolean: false,
  parse: (text) => {
    const parsed = parseSize(text);
    return parsed ? ok(parsed) : bad(`must look like 1920x1080 (got ${text})`);
  },
  format: (value) => `${value.width}x${value.height}`,
};

const bitrateMbps: Setting<'bitrateMbps'> = {
  name: 'bitrateMbps',
  label: 'Quality (video bitrate)',
  help: 'Video bitrate in Mbit/s, or auto (from the size and frame rate). Higher is sharper and larger.',
  values: 'auto|N',
  default: null,
  boolean: false,
  range: { min: 0.5, max: 200, step: 0.5 },
  parse: (text) => {
    if (text === 'auto') return ok(null);
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) && n >= 0.5 && n <= 200 ? ok(n) : bad(`must be auto or a number of Mbit/s from 0.5 to 200 (got ${text})`);
  },
  format: (value) => (value === null ? 'auto' : String(value)),
};

const encoders: Setting<'encoders'> = {
  name: 'encoders',
  label: 'Hardware encoders at once',
  help: 'Hardware video encoders used at once across all jobs: graphics chips allow only a few (shared with other apps); auto measures how many this browser opens at once (at most 8), 0 encodes in software only.',
  values: 'auto|N',
  default: 'auto',
  boolean: false,
  range: { min: 0, max: 16, step: 1 },
  parse: (text) => {
    if (text === 'auto') return ok('auto');
    const n = text.trim() === '' ? NaN : Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 16 ? ok(n) : bad(`must be auto or a whole number from 0 to 16 (got ${text})`);
  },
  format: (value) => String(value),
};
const jobs = numberSetting(
  'jobs',
  'Videos at once',
  'Videos processed at once: one can be analysed while another renders.',
  2,
  { min: 1, max: 16, step: 1 },
  true,
);
const detectionRate = numberSetting(
  'detectionRate',
  'Face detections per second',
  'Face detections per second of video: more follows fast movement better, fewer analyses faster.',
  4,
  { min: 0.5, max: 30, step: 0.5 },
  false,
);
const missingPolicy = choiceSetting(
  'missingPolicy',
  'When one person is away for 2 s or more',
  "keep: keep framing the person's empty place; full-width: show the other person full-width.",
  ['keep', 'full-width'],
  'keep',
);
const trimEmpty = booleanSetting('trimEmpty', 'Cut out empty stretches', 'Cut out spans of 2 s or more where nobody is on screen, audio included.', false);
const debugOverlay = booleanSetting(
  'debugOverlay',
  'Debug overlay',
  "Draw the detected faces: panel 1's person green, panel 2's magenta, anyone else yellow.",
  false,
);
const review = booleanSetting(
  'review',
  'Review framing before rendering',
  'Stop after the analysis to check the framing: the page shows it for review; the command line writes the tracks file only (edit it, then render with --tracks-in).',
  true,
);
const compositor = choiceSetting(
  'compositor',
  'Compositor',
  'auto: WebGPU on a hardware GPU, else the CPU path (much faster than WebGPU in software).',
  ['auto', 'webgpu', 'cpu'],
  'auto',
);

const passes = choiceSetting(
  'passes',
  'Passes',
  'one: analysis and render together, the first frames encoded within seconds; two: the whole video analysed first, then rendered (the review, trim-empty and a tracks file given always take two).',
  ['one', 'two'],
  'one',
);

const speech = booleanSetting(
  'speech',
  'Find who is speaking',
  'Find who speaks when, from the voice in the audio and the moving mouths: written in the tracks file ("speech"), and by the command line as DIR/<name>.rttm (speakers panel0 and panel1).',
  false,
);

const speakerHighlight = booleanSetting(
  'speakerHighlight',
  'Highlight who is speaking',
  'Frame the speaking panel in amber, fading in and out with each turn (finds who is speaking; the whole video is analysed before rendering).',
  false,
);

const speakerFocus = booleanSetting(
  'speakerFocus',
  'Focus on long answers',
  'When one person speaks alone for 5 s or more, they fill the whole picture from half a second in until the turn ends; the split comes back when the other talks (finds who is speaking; the whole video is analysed before rendering).',
  false,
);

/** In the order the page and --help show them. */
export const SETTINGS = [
  layout,
  size,
  bitrateMbps,
  encoders,
  jobs,
  detectionRate,
  missingPolicy,
  trimEmpty,
  debugOverlay,
  review,
  compositor,
  passes,
  speech,
  speakerHighlight,
  speakerFocus,
] as const satisfies readonly Setting[];

export const DEFAULT_SETTINGS: Settings = Object.fromEntries(SETTINGS.map((s) => [s.name, s.default])) as unknown as Settings;

export function settingNamed<K extends SettingName>(name: K): Setting<K> {
  return SETTINGS.find((s) => s.name === name) as unknown as Setting<K>;
}

/** The values a setting takes, in words: "N, 0 to 16", "WxH". */
export function valuesInWords(setting: Setting): string {
  return setting.range ? `${setting.values}, ${setting.range.min} to ${setting.range.max}` : setting.values;
}

/** `bitrateMbps` → `bitrate-mbps`. */
export function flagName(name: SettingName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function settingForFlag(flag: string): Setting | null {
  return SETTINGS.find((s) => flagName(s.name) === flag) ?? null;
}

/** Settings given as text, by name: the rest come from `base`. */
export type GivenSettings = Partial<Record<SettingName, string>>;

export interface ResolvedSettings {
  settings: Settings;
  /** One per value that was refused, naming the setting ("--size must look like 1920x1080 (got big)"). */
  errors: { name: SettingName; error: string }[];
}

/**
 * Applies the given values over `base`. A new layout brings its own size unless a size is given too;
 * a size the layout cannot split is refused. Refused values leave `base`'s.
 */
export function applySettings(base: Settings, given: GivenSettings): ResolvedSettings {
  const out: Settings = { ...base };
  const errors: ResolvedSettings['errors'] = [];
  const assign = <K extends SettingName>(setting: Setting<K>, text: string) => {
    const parsed = setting.parse(text);
    if (parsed.ok) out[setting.name] = parsed.value;
    else errors.push({ name: setting.name, error: parsed.error });
  };
  for (const setting of SETTINGS) {
    const text = given[setting.name];
    if (text !== undefined && setting.name !== 'size') assign(setting as Setting, text);
  }
  // The size last: it depends on the layout, and a layout given brings its own.
  if (given.layout !== undefined && isLayout(given.layout)) out.size = defaultOutputSize(out.layout);
  if (given.size !== undefined) {
    const parsed = size.parse(given.size);
    const problem = parsed.ok ? checkOutputSize(out.layout, parsed.value) : parsed.error;
    if (problem === null && parsed.ok) out.size = parsed.value;
    else errors.push({ name: 'size', error: problem ?? 'is not a size' });
  }
  return { settings: out, errors };
}

/** Every setting as text, by name (what a link, the storage or the command line would say). */
export function formatSettings(settings: Settings): Record<SettingName, string> {
  const out = {} as Record<SettingName, string>;
  for (const setting of SETTINGS) out[setting.name] = (setting as Setting).format(settings[setting.name]);
  return out;
}

/** The command-line arguments that give these settings (only those that differ from `base`). */
export function settingsToArgs(settings: Settings, base: Settings = DEFAULT_SETTINGS): string[] {
  const ours = formatSettings(settings);
  const theirs = formatSettings(base);
  return SETTINGS.flatMap((setting) => {
    const name = setting.name;
    if (ours[name] === theirs[name]) return [];
    if (setting.boolean) return [settings[name] ? `--${flagName(name)}` : `--no-${flagName(name)}`];
    return [`--${flagName(name)}`, ours[name]];
  });
}

/** What the job worker needs of the settings. */
export function jobSettings(settings: Settings): JobSettings {
  return {
    layout: settings.layout,
    size: settings.size,
    detectionRate: settings.detectionRate,
    bitrate: settings.bitrateMbps === null ? null : Math.round(settings.bitrateMbps * 1e6),
    compositor: settings.compositor,
    missingPolicy: settings.missingPolicy,
    trimEmpty: settings.trimEmpty,
    debugOverlay: settings.debugOverlay,
    passes: settings.passes,
    speech: settings.speech || settings.speakerHighlight || settings.speakerFocus,
    speakerHighlight: settings.speakerHighlight,
    speakerFocus: settings.speakerFocus,
  };
}

/** The settings part of `dualface --help`, from the schema. */
export function settingsHelp(defaults: Settings = DEFAULT_SETTINGS): string {
  const rows = SETTINGS.map((setting) => {
    const flag = `--${flagName(setting.name)}${setting.boolean ? '' : ` ${setting.values}`}`;
    const value = formatSettings(defaults)[setting.name];
    const shown = setting.boolean
      ? defaults[setting.name]
        ? 'on; --no-' + flagName(setting.name) + ' turns it off'
        : 'off'
      : setting.name === 'size'
        ? "the layout's"
        : value;
    const range = setting.range ? ` From ${setting.range.min} to ${setting.range.max}.` : '';
    return { flag, text: `${setting.help}${range} Default: ${shown}.` };
  });
  const width = Math.max(...rows.map((r) => r.flag.length)) + 2;
  return rows.map(({ flag, text }) => `  ${flag.padEnd(width)}${wrap(text, 100 - width - 2).join(`\n  ${' '.repeat(width)}`)}`).join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
