// Command-line arguments: pure parsing, so it is unit-tested without a browser.
import type { CompositorChoice } from '../composite/compositor';
import { checkOutputSize, defaultOutputSize, isLayout, parseSize, type Layout } from '../geometry/layout';
import type { Size } from '../geometry/rect';
import type { MissingPolicy } from '../framing/plan';

export interface CliOptions {
  inputs: string[];
  outDir: string;
  layout: Layout;
  size: Size;
  tracks: boolean;
  tracksIn: string | null;
  detectionRate: number;
  missingPolicy: MissingPolicy;
  trimEmpty: boolean;
  debugOverlay: boolean;
  compositor: CompositorChoice;
  /** Hardware encoders used at once. */
  encoders: number;
  /** Jobs processed at once (one analyses while another renders). */
  jobs: number;
  report: string | null;
  /** Replace outputs that exist already (otherwise such an input is skipped). */
  overwrite: boolean;
}

export const USAGE = `Usage: dualface IN.mp4 [IN2.mp4 ...] --out DIR [options]

Turns videos of two people talking into split-screen videos, one face per panel.
Writes DIR/<name>.dualface.mp4 for each input. An output that exists already is kept and its input
skipped, unless --overwrite.

Options:
  --out DIR                     folder for the results (created if missing)
  --layout side-by-side|stacked side-by-side: 1920x1080, two 960x1080 panels (default)
                                stacked: 1080x1920, two 1080x960 panels
  --size WxH                    output size (default: the layout's)
  --tracks                      also write DIR/<name>.tracks.json (what each panel shows, per frame)
  --tracks-in FILE              render from this tracks file instead of analysing (one input only)
  --detection-rate N            face detections per second of video (default 4)
  --missing keep|full-width     while one person is away for 2 s or more: keep framing their empty
                                place (default), or show the other person full-width
  --trim-empty                  cut out spans of 2 s or more where neither person is seen (audio too)
  --debug-overlay               draw the detected faces, coloured by identity (panel 0 green,
                                panel 1 magenta, anyone else yellow)
  --compositor auto|webgpu|cpu  auto (default): WebGPU on a hardware GPU, else the CPU path
  --encoders N                  hardware video encoders used at once (default 2; 0 = software only)
  --jobs N                      inputs processed at once (default 2)
  --report FILE                 write a JSON report of every job (encoder, fallbacks, speed, errors)
  --overwrite                   replace outputs that exist already
  -h, --help                    show this help
  --                            what follows is an input, even if it starts with -

Exit status: 0 when every input succeeded or was skipped, 1 when any failed, 2 on bad usage,
130 when cancelled with Ctrl-C.`;

export type ParseResult = { ok: true; options: CliOptions } | { ok: false; help: true } | { ok: false; help: false; error: string };

export function parseArgs(argv: readonly string[]): ParseResult {
  const inputs: string[] = [];
  let outDir: string | null = null;
  let layout: Layout = 'side-by-side';
  let sizeText: string | null = null;
  let tracks = false;
  let tracksIn: string | null = null;
  let detectionRate = 4;
  let compositor: CompositorChoice = 'auto';
  let missingPolicy: MissingPolicy = 'keep';
  let trimEmpty = false;
  let debugOverlay = false;
  let encoders = 2;
  let jobs = 2;
  let report: string | null = null;
  let overwrite = false;
  let optionsEnded = false;
  const count = (v: string | null, min: number): number | null => {
    const n = v === null ? NaN : Number(v);
    return Number.isInteger(n) && n >= min && n <= 64 ? n : null;
  };
  const fail = (error: string): ParseResult => ({ ok: false, help: false, error });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (optionsEnded) {
      inputs.push(arg);
      continue;
    }
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return null;
      i++;
      return v;
    };
    switch (arg) {
      case '--':
        optionsEnded = true;
        break;
      case '--overwrite':
        overwrite = true;
        break;
      case '-h':
      case '--help':
        return { ok: false, help: true };
      case '--out': {
        const v = value();
        if (v === null) return fail('--out needs a folder');
        outDir = v;
        break;
      }
      case '--layout': {
        const v = value();
        if (v === null || !isLayout(v)) return fail(`--layout must be side-by-side or stacked${v ? ` (got ${v})` : ''}`);
        layout = v;
        break;
      }
      case '--size': {
        const v = value();
        if (v === null) return fail('--size needs WxH, e.g. 1920x1080');
        sizeText = v;
        break;
      }
      case '--tracks':
        tracks = true;
        break;
      case '--tracks-in': {
        const v = value();
        if (v === null) return fail('--tracks-in needs a file');
        tracksIn = v;
        break;
      }
      case '--detection-rate': {
        const v = value();
        const rate = v === null ? NaN : Number(v);
        if (!(rate > 0 && rate <= 60)) return fail('--detection-rate must be a number of detections per second between 0 and 60');
        detectionRate = rate;
        break;
      }
      case '--trim-empty':
        trimEmpty = true;
        break;
      case '--debug-overlay':
        debugOverlay = true;
        break;
      case '--missing': {
        const v = value();
        if (v !== 'keep' && v !== 'full-width') return fail(`--missing must be keep or full-width${v ? ` (got ${v})` : ''}`);
        missingPolicy = v;
        break;
      }
      case '--compositor': {
        const v = value();
        if (v !== 'auto' && v !== 'webgpu' && v !== 'cpu') return fail(`--compositor must be auto, webgpu or cpu${v ? ` (got ${v})` : ''}`);
        compositor = v;
        break;
      }
      case '--encoders': {
        const v = value();
        // auto: the default limit; Chrome offers no way to ask how many sessions the GPU allows.
        const n = v === 'auto' ? 2 : count(v, 0);
        if (n === null) return fail('--encoders must be a whole number from 0 to 64, or auto');
        encoders = n;
        break;
      }
      case '--jobs': {
        const n = count(value(), 1);
        if (n === null) return fail('--jobs must be a whole number from 1 to 64');
        jobs = n;
        break;
      }
      case '--report': {
        const v = value();
        if (v === null) return fail('--report needs a file');
        report = v;
        break;
      }
      default:
        if (arg.startsWith('-')) return fail(`unknown option ${arg}`);
        inputs.push(arg);
    }
  }
  if (inputs.length === 0) return fail('no input video given');
  if (outDir === null) return fail('--out DIR is required');
  if (tracksIn !== null && inputs.length !== 1) return fail('--tracks-in takes exactly one input video');
  let size = defaultOutputSize(layout);
  if (sizeText !== null) {
    const parsed = parseSize(sizeText);
    if (!parsed) return fail(`--size must look like 1920x1080 (got ${sizeText})`);
    size = parsed;
  }
  const problem = checkOutputSize(layout, size);
  if (problem) return fail(problem);
  return { ok: true, options: { inputs, outDir, layout, size, tracks, tracksIn, detectionRate, missingPolicy, trimEmpty, debugOverlay, compositor, encoders, jobs, report, overwrite } };
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
