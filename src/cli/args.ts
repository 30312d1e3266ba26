// Command-line arguments: pure parsing, so it is unit-tested without a browser. The settings come
// from the one schema (src/job/settings.ts); the options here are the command line's own: files.
import { applySettings, DEFAULT_SETTINGS, flagName, settingForFlag, settingsHelp, valuesInWords, type GivenSettings, type Settings } from '../job/settings';

export interface CliOptions {
  inputs: string[];
  outDir: string;
  settings: Settings;
  /** Also write the tracks file. */
  tracks: boolean;
  tracksIn: string | null;
  report: string | null;
  /** Replace outputs that exist already (otherwise such an input is skipped). */
  overwrite: boolean;
  /** Start over instead of resuming an interrupted run. */
  restart: boolean;
  /** `--speech FILE.rttm`: the speaker turns go there (one input) instead of DIR/<name>.rttm. */
  rttm: string | null;
}

/** The command line's defaults: the schema's, except that it renders without stopping for review. */
export const CLI_DEFAULTS: Settings = { ...DEFAULT_SETTINGS, review: false };

export const USAGE = `Usage: dualface IN.mp4 [IN2.mp4 ...] --out DIR [options]

Turns videos of two people talking into split-screen videos, one face per panel.
Writes DIR/<name>.dualface.mp4 for each input. An output that exists already is kept and its input
skipped, unless --overwrite. A run that was interrupted (Ctrl-C, kill, crash, power cut) resumes where
it stopped when the same command runs again.

Files:
  --out DIR              folder for the results (created if missing)
  --tracks               also write DIR/<name>.tracks.json (what each panel shows, per frame)
  --tracks-in FILE       render from this tracks file instead of analysing (one input only)
  --report FILE          write a JSON report of every job (encoder, fallbacks, speed, errors)
  --speech FILE.rttm     find who speaks when (the --speech setting) and write the turns there
                         (one input) instead of DIR/<name>.rttm
  --overwrite            replace outputs that exist already
  --restart              start over instead of resuming where an interrupted run stopped
  -h, --help             show this help
  --                     what follows is an input, even if it starts with -

Settings (the page has the same ones; --name=value works too):
${settingsHelp(CLI_DEFAULTS)}

Exit status: 0 when every input succeeded or was skipped, 1 when any failed, 2 on bad usage,
130 when cancelled with Ctrl-C.`;

export type ParseResult = { ok: true; options: CliOptions } | { ok: false; help: true } | { ok: false; help: false; error: string };

export function parseArgs(argv: readonly string[]): ParseResult {
  const inputs: string[] = [];
  const given: GivenSettings = {};
  let outDir: string | null = null;
  let tracks = false;
  let tracksIn: string | null = null;
  let report: string | null = null;
  let overwrite = false;
  let restart = false;
  let rttm: string | null = null;
  let optionsEnded = false;
  const fail = (error: string): ParseResult => ({ ok: false, help: false, error });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      inputs.push(arg);
      continue;
    }
    let [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    const value = (): string | null => {
      if (inline !== null) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return null;
      i++;
      return v;
    };
    switch (flag) {
      case '--':
        optionsEnded = true;
        continue;
      case '-h':
      case '--help':
        return { ok: false, help: true };
      case '--overwrite':
        overwrite = true;
        continue;
      case '--restart':
        restart = true;
        continue;
      case '--tracks':
        tracks = true;
        continue;
      case '--out':
      case '--tracks-in':
      case '--report': {
        const v = value();
        if (v === null) return fail(`${flag} needs ${flag === '--out' ? 'a folder' : 'a file'}`);
        if (flag === '--out') outDir = v;
        else if (flag === '--tracks-in') tracksIn = v;
        else report = v;
        continue;
      }
    }
    // `--speech` is a setting; followed by an .rttm file it also names where the turns go.
    const next = inline ?? argv[i + 1];
    if (flag === '--speech' && next !== undefined && /\.rttm$/i.test(next)) {
      if (inline === null) i++;
      rttm = next;
      given.speech = '1';
      continue;
    }
    // Earlier names, still understood.
    if (flag === '--missing') flag = '--missing-policy';
    const negated = flag.startsWith('--no-') ? settingForFlag(flag.slice(5)) : null;
    if (negated?.boolean) {
      given[negated.name] = '0';
      continue;
    }
    const setting = settingForFlag(flag.slice(2));
    if (!setting) return fail(`unknown option ${flag}`);
    if (setting.boolean) {
      given[setting.name] = inline ?? '1';
      continue;
    }
    const v = value();
    if (v === null) return fail(`--${flagName(setting.name)} needs a value: ${valuesInWords(setting)}`);
    given[setting.name] = v;
  }
  // A bad value is the first thing to say: it is what was just typed.
  const { settings, errors } = applySettings(CLI_DEFAULTS, given);
  const first = errors[0];
  if (first) return fail(`--${flagName(first.name)} ${first.error}`);
  if (inputs.length === 0) return fail('no input video given');
  if (outDir === null) return fail('--out DIR is required');
  if (tracksIn !== null && inputs.length !== 1) return fail('--tracks-in takes exactly one input video');
  if (rttm !== null && inputs.length !== 1) return fail('--speech FILE.rttm takes exactly one input video (without a file, each input gets DIR/<name>.rttm)');
  if (settings.review && tracksIn !== null) return fail('--review stops after the analysis, which --tracks-in skips: give one of them');
  return { ok: true, options: { inputs, outDir, settings, tracks: tracks || settings.review, tracksIn, report, overwrite, restart, rttm } };
}

/**
 * `talk.mp4` → `talk`; every input gets a base name of its own, distinct from all the others' also
 * where the file system ignores case (`x-2.mp4`, `a/x.mp4` and `b/x.mp4` give `x-2`, `x` and `x-3`).
 */
export function outputBaseNames(inputs: readonly string[]): string[] {
  const stems = inputs.map((path) => {
    const file = path.split(/[\\/]/).pop() ?? path;
    return file.replace(/\.[^.]+$/, '') || file;
  });
  // An input's own name is kept wherever it can be; only repeats get a number.
  const taken = new Set<string>();
  const firsts = new Set<number>();
  stems.forEach((stem, index) => {
    if (taken.has(stem.toLowerCase())) return;
    taken.add(stem.toLowerCase());
    firsts.add(index);
  });
  return stems.map((stem, index) => {
    if (firsts.has(index)) return stem;
    let n = 2;
    while (taken.has(`${stem}-${n}`.toLowerCase())) n++;
    taken.add(`${stem}-${n}`.toLowerCase());
    return `${stem}-${n}`;
  });
}
