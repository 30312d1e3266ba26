// The page's settings: the schema's defaults (src/job/settings.ts), remembered between visits
// (localStorage), overridable by URL parameters so a setting can be shared as a link. Pure.
import { applySettings, DEFAULT_SETTINGS, formatSettings, SETTINGS, type GivenSettings, type Settings } from '../job/settings';

export type AppSettings = Settings;
export { DEFAULT_SETTINGS };

export const STORAGE_KEY = 'dualface.settings.v1';

/** The values `read` gives, by setting name (a URL parameter or a stored value). */
function given(read: (name: string) => unknown): GivenSettings {
  const out: GivenSettings = {};
  for (const { name } of SETTINGS) {
    const value = read(name);
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

/** Defaults, then what was remembered, then the URL: the link wins, so a shared link shows its settings. Unusable values are ignored. */
export function resolveSettings(stored: string | null, search: URLSearchParams): AppSettings {
  let settings = DEFAULT_SETTINGS;
  if (stored) {
    try {
      const parsed = JSON.parse(stored) as Record<string, unknown>;
      settings = applySettings(
        settings,
        given((name) => parsed[name]),
      ).settings;
    } catch {
      // A damaged stored value is ignored: defaults are a fine start.
    }
  }
  return applySettings(
    settings,
    given((name) => search.get(name)),
  ).settings;
}

export function storedSettings(settings: AppSettings): string {
  return JSON.stringify(formatSettings(settings));
}

/** A link that opens the page with these settings (only those that differ from the defaults). */
export function settingsLink(base: string, settings: AppSettings): string {
  const url = new URL(base);
  const ours = formatSettings(settings);
  const defaults = formatSettings(DEFAULT_SETTINGS);
  for (const { name } of SETTINGS) {
    if (ours[name] !== defaults[name]) url.searchParams.set(name, ours[name]);
    else url.searchParams.delete(name);
  }
  return url.href;
}

/** The settings in one line, for the collapsed settings: "Side by side 1920x1080 · quality auto · review on". */
export function settingsSummary(settings: AppSettings): string {
  const parts = [
    `${settings.layout === 'stacked' ? 'Stacked' : 'Side by side'} ${settings.size.width}x${settings.size.height}`,
    `quality ${settings.bitrateMbps === null ? 'auto' : `${settings.bitrateMbps} Mbit/s`}`,
    `review ${settings.review ? 'on' : 'off'}`,
  ];
  if (settings.speakerFocus) parts.push('focus on long answers');
  else if (settings.speakerHighlight) parts.push('speaker highlighted');
  else if (settings.speech) parts.push('finds who speaks');
  if (settings.trimEmpty) parts.push('empty stretches cut');
  if (settings.missingPolicy === 'full-width') parts.push('one person alone fills the picture');
  return parts.join(' · ');
}
