// Every setting, defined once in the schema, round-trips through the page (link, storage) and the
// command line (flags), and --help lists it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_DEFAULTS, parseArgs, USAGE } from '../../src/cli/args';
import { resolveSettings, settingsLink, storedSettings } from '../../src/app/settings';
import { DEFAULT_SETTINGS, flagName, settingsToArgs, SETTINGS, type Settings } from '../../src/job/settings';

/** One value other than the default for each setting (both defaults, the page's and the command line's). */
const OTHER: { [K in keyof Settings]: (base: Settings) => Partial<Settings> } = {
  layout: () => ({ layout: 'stacked', size: { width: 1080, height: 1920 } }),
  size: () => ({ size: { width: 960, height: 540 } }),
  bitrateMbps: () => ({ bitrateMbps: 8 }),
  encoders: () => ({ encoders: 0 }),
  jobs: () => ({ jobs: 3 }),
  detectionRate: () => ({ detectionRate: 2.5 }),
  missingPolicy: () => ({ missingPolicy: 'full-width' }),
  trimEmpty: (base) => ({ trimEmpty: !base.trimEmpty }),
  debugOverlay: (base) => ({ debugOverlay: !base.debugOverlay }),
  review: (base) => ({ review: !base.review }),
  compositor: () => ({ compositor: 'cpu' }),
  passes: () => ({ passes: 'two' }),
  speech: (base) => ({ speech: !base.speech }),
  speakerHighlight: (base) => ({ speakerHighlight: !base.speakerHighlight }),
  speakerFocus: (base) => ({ speakerFocus: !base.speakerFocus }),
};

const cli = (settings: Settings): Settings | string => {
  const parsed = parseArgs(['in.mp4', '--out', 'o', ...settingsToArgs(settings, CLI_DEFAULTS)]);
  return parsed.ok ? parsed.options.settings : parsed.help ? 'help' : parsed.error;
};
const page = (settings: Settings): Settings => resolveSettings(null, new URL(settingsLink('http://localhost:8080/', settings)).searchParams);

describe('the settings schema', () => {
  it.each(SETTINGS.map((s) => s.name))('%s round-trips through the page link, the storage and the command line', (name) => {
    const forPage = { ...DEFAULT_SETTINGS, ...OTHER[name](DEFAULT_SETTINGS) };
    expect(forPage).not.toEqual(DEFAULT_SETTINGS);
    expect(page(forPage)).toEqual(forPage);
    expect(resolveSettings(storedSettings(forPage), new URLSearchParams())).toEqual(forPage);
    const forCli = { ...CLI_DEFAULTS, ...OTHER[name](CLI_DEFAULTS) };
    expect(forCli).not.toEqual(CLI_DEFAULTS);
    expect(cli(forCli)).toEqual(forCli);
  });

  it('all at once, too', () => {
    let all = { ...CLI_DEFAULTS };
    for (const { name } of SETTINGS) if (name !== 'layout') all = { ...all, ...OTHER[name](all) };
    expect(cli(all)).toEqual(all);
    expect(page(all)).toEqual(all);
  });

  it('names each setting the same way: fooBar in a link, --foo-bar on the command line, listed in --help', () => {
    for (const { name } of SETTINGS) {
      expect(USAGE).toContain(`--${flagName(name)}`);
      expect(settingsLink('http://localhost/', { ...DEFAULT_SETTINGS, ...OTHER[name](DEFAULT_SETTINGS) })).toContain(`${name}=`);
    }
    expect(flagName('bitrateMbps')).toBe('bitrate-mbps');
  });

  it('has one range per setting: what the command line refuses, the page ignores', () => {
    for (const [flag, text, message] of [
      ['--encoders', '17', /--encoders must be auto or a whole number from 0 to 16/],
      ['--jobs', '0', /--jobs must be a whole number from 1 to 16/],
      ['--detection-rate', '60', /--detection-rate must be a number from 0.5 to 30/],
      ['--bitrate-mbps', '0', /--bitrate-mbps must be auto or a number/],
    ] as const) {
      const parsed = parseArgs(['in.mp4', '--out', 'o', flag, text]);
      expect(!parsed.ok && !parsed.help && parsed.error).toMatch(message);
      const name = SETTINGS.find((s) => `--${flagName(s.name)}` === flag)!.name;
      expect(resolveSettings(null, new URLSearchParams({ [name]: text }))).toEqual(DEFAULT_SETTINGS);
    }
  });

  it('are all in the README, under the names the command line takes', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    for (const { name } of SETTINGS) expect(readme).toContain(`| \`--${flagName(name)}`);
  });

  it('takes --name=value and --no-name for on/off settings', () => {
    const parsed = parseArgs(['in.mp4', '--out=o', '--bitrate-mbps=12', '--trim-empty', '--no-trim-empty', '--debug-overlay']);
    expect(
      parsed.ok && [parsed.options.outDir, parsed.options.settings.bitrateMbps, parsed.options.settings.trimEmpty, parsed.options.settings.debugOverlay],
    ).toEqual(['o', 12, false, true]);
  });
});
