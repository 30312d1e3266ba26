// The page's settings: sensible defaults, remembered between visits (localStorage), overridable by
// URL parameters so a setting can be shared as a link. Parsing is pure and unit-tested.
import type { CompositorChoice } from '../composite/compositor';
import { checkOutputSize, defaultOutputSize, isLayout, parseSize, type Layout } from '../geometry/layout';
import type { Size } from '../geometry/rect';
import type { MissingPolicy } from '../framing/plan';

export interface AppSettings {
  layout: Layout;
  size: Size;
  /** Video bitrate in Mbit/s; null picks one from the size and frame rate. */
  bitrateMbps: number | null;
  /** Hardware encoders used at once across all jobs. */
  encoders: number;
  /** Jobs processed at once. */
  jobs: number;
  detectionRate: number;
  missingPolicy: MissingPolicy;
  trimEmpty: boolean;
  debugOverlay: boolean;
  /** Stop after analysis so the framing can be reviewed and adjusted before rendering. */
  review: boolean;
  compositor: CompositorChoice;
}

export const DEFAULT_SETTINGS: AppSettings = {
  layout: 'side-by-side',
  size: defaultOutputSize('side-by-side'),
  bitrateMbps: null,
  encoders: 2,
  jobs: 2,
  detectionRate: 4,
  missingPolicy: 'keep',
  trimEmpty: false,
  debugOverlay: false,
  review: true,
  compositor: 'auto',
};

export const STORAGE_KEY = 'dualface.settings.v1';

type Source = (name: keyof AppSettings) => string | null;

/** Each setting from `read` (a URL parameter or a stored value) where valid, else from `base`. */
function merge(base: AppSettings, read: Source): AppSettings {
  const out = { ...base };
  const number = (name: keyof AppSettings, min: number, max: number, integer: boolean): number | null => {
    const text = read(name);
    if (text === null || text === '') return null;
    const n = Number(text);
    return Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n)) ? n : null;
  };
  const flag = (name: keyof AppSettings): boolean | null => {
    const text = read(name);
    return text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : null;
  };
  const layout = read('layout');
  if (layout !== null && isLayout(layout)) {
    out.layout = layout;
    // A new layout brings its own size unless a size is given too.
    out.size = defaultOutputSize(layout);
  }
  const sizeText = read('size');
  const size = sizeText ? parseSize(sizeText) : null;
  if (size && !checkOutputSize(out.layout, size)) out.size = size;
  const bitrate = read('bitrateMbps');
  if (bitrate === 'auto') out.bitrateMbps = null;
  else out.bitrateMbps = number('bitrateMbps', 0.5, 200, false) ?? out.bitrateMbps;
  out.encoders = number('encoders', 0, 16, true) ?? out.encoders;
  out.jobs = number('jobs', 1, 16, true) ?? out.jobs;
  out.detectionRate = number('detectionRate', 0.5, 30, false) ?? out.detectionRate;
  const missing = read('missingPolicy');
  if (missing === 'keep' || missing === 'full-width') out.missingPolicy = missing;
  out.trimEmpty = flag('trimEmpty') ?? out.trimEmpty;
  out.debugOverlay = flag('debugOverlay') ?? out.debugOverlay;
  out.review = flag('review') ?? out.review;
  const compositor = read('compositor');
  if (compositor === 'auto' || compositor === 'cpu' || compositor === 'webgpu') out.compositor = compositor;
  return out;
}

function serialise(settings: AppSettings): Record<keyof AppSettings, string> {
  return {
    layout: settings.layout,
    size: `${settings.size.width}x${settings.size.height}`,
    bitrateMbps: settings.bitrateMbps === null ? 'auto' : String(settings.bitrateMbps),
    encoders: String(settings.encoders),
    jobs: String(settings.jobs),
    detectionRate: String(settings.detectionRate),
    missingPolicy: settings.missingPolicy,
    trimEmpty: settings.trimEmpty ? '1' : '0',
    debugOverlay: settings.debugOverlay ? '1' : '0',
    review: settings.review ? '1' : '0',
    compositor: settings.compositor,
  };
}

/** Defaults, then what was remembered, then the URL: the link wins, so a shared link shows its settings. */
export function resolveSettings(stored: string | null, search: URLSearchParams): AppSettings {
  let settings = DEFAULT_SETTINGS;
  if (stored) {
    try {
      const parsed = JSON.parse(stored) as Record<string, unknown>;
      settings = merge(settings, (name) => (typeof parsed[name] === 'string' ? (parsed[name] as string) : null));
    } catch {
      // A damaged stored value is ignored: defaults are a fine start.
    }
  }
  return merge(settings, (name) => search.get(name));
}

export function storedSettings(settings: AppSettings): string {
  return JSON.stringify(serialise(settings));
}

/** A link that opens the page with these settings (only those that differ from the defaults). */
export function settingsLink(base: string, settings: AppSettings): string {
  const url = new URL(base);
  const ours = serialise(settings);
  const defaults = serialise(DEFAULT_SETTINGS);
  for (const key of Object.keys(ours) as (keyof AppSettings)[]) {
    if (ours[key] !== defaults[key]) url.searchParams.set(key, ours[key]);
    else url.searchParams.delete(key);
  }
  return url.href;
}
