// `npm run bench [-- INPUT] [--runs N] [--layout L] [--size WxH] [--compositor C] [--composite [FRAMES]]`
// In one browser session, on the same input: (a) bare WebCodecs transcode (decode → encode, nothing
// else), (b) DualFace's analysis pass, (c) its render pass, (d) the whole job in one pass (analysis
// and render together, the default), (e) the whole job in two passes, (f) (d) finding who is
// speaking too (voice activity and mouths). Prints fps for each,
// the ratio to (a), and the realtime factor; medians over several runs.
// `--composite`: instead, where the CPU compositor's time goes over the first FRAMES frames (900).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomationJob, AutomationOutcome } from '../src/app/automation';
import type { CompositorChoice } from '../src/composite/compositor';
import { defaultOutputSize, isLayout, parseSize, type Layout } from '../src/geometry/layout';
import type { CompositeCost } from './web/composite-cost';
import type { TranscodeResult } from './web/transcode';
import { callTool, openAutomationSession, scratchFile } from './session';
import { defaultInput, median } from './bench-input';
import { DEFAULT_SETTINGS, jobSettings } from '../src/job/settings';
import { describeRenderEffort } from '../src/job/render-effort';
import { messageOf } from '../src/core/errors';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Options {
  input: string;
  runs: number;
  layout: Layout;
  size: { width: number; height: number };
  compositor: CompositorChoice;
  /** Only where the CPU compositor's time goes (`--composite [FRAMES]`). */
  composite: number | null;
}

function parse(argv: string[]): Options {
  let input: string | null = null;
  let runs = 3;
  let layout: Layout = 'stacked';
  let size: { width: number; height: number } | null = null;
  let compositor: CompositorChoice = 'auto';
  let composite: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (arg === '--runs') runs = Math.max(1, Number(next()) || 3);
    else if (arg === '--layout') {
      const v = next();
      if (!isLayout(v)) throw new Error('--layout must be side-by-side or stacked');
      layout = v;
    } else if (arg === '--size') size = parseSize(next());
    else if (arg === '--compositor') compositor = next() as CompositorChoice;
    else if (arg === '--composite') composite = /^\d+$/.test(argv[i + 1] ?? '') ? Number(next()) : 900;
    else input = arg;
  }
  return { input: input ?? defaultInput(), runs, layout, size: size ?? defaultOutputSize(layout), compositor, composite };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const { server, browser, tab, close } = await openAutomationSession(join(root, 'dist-tools', 'web'));
  const scratch = mkdtempSync(join(tmpdir(), 'dualface-bench-'));
  try {
    const inputUrl = server.addInput(resolve(options.input));
    const name = options.input.split('/').pop()!;
    const base: Omit<AutomationJob, 'outputUrl' | 'tracksIn'> = {
      name,
      inputUrl,
      outputName: 'bench.mp4',
      settings: jobSettings({ ...DEFAULT_SETTINGS, layout: options.layout, size: options.size, compositor: options.compositor }),
    };
    if (options.composite !== null) {
      const analysis: AutomationOutcome = await tab.call('run', { ...base, outputUrl: null, tracksIn: null, analyseOnly: true }, 'bench');
      if (!analysis.ok) throw new Error(analysis.error.message);
      const crops = analysis.result.tracks.frames.slice(0, options.composite).map((f) => f.panels);
      for (let r = 0; r < options.runs; r++) {
        const cost = await callTool(tab, 'compositeCost', inputUrl, name, { layout: options.layout, size: options.size, crops });
        process.stdout.write(describeCompositeCost(cost, options) + '\n');
      }
      return;
    }
    const run = async (job: AutomationJob) => {
      const started = performance.now();
      const outcome: AutomationOutcome = await tab.call('run', job, 'bench');
      const wall = (performance.now() - started) / 1000;
      if (!outcome.ok) throw new Error(outcome.error.message);
      return { result: outcome.result, wall };
    };
    const rows = {
      transcode: [] as number[],
      analysis: [] as number[],
      render: [] as number[],
      job: [] as number[],
      twoPass: [] as number[],
      speech: [] as number[],
      cast: [] as number[],
      likeness: [] as { faces: number; seconds: number }[],
    };
    let frames = 0;
    let duration = 0;
    let compositor = '';
    let encoder = '';
    let transcodeInfo: TranscodeResult | null = null;
    for (let r = 0; r < options.runs; r++) {
      const t: TranscodeResult = await callTool(tab, 'transcode', inputUrl, name);
      transcodeInfo = t;
      rows.transcode.push(t.frames / t.seconds);
      const twoPass = { ...base, settings: { ...base.settings, passes: 'two' as const } };
      const analysis = await run({ ...twoPass, outputUrl: server.addOutput(scratchFile(join(scratch, 'a.mp4'))), tracksIn: null, analyseOnly: true });
      rows.analysis.push(analysis.result.frames / analysis.result.analyseSeconds);
      rows.likeness.push({ faces: analysis.result.detectEffort.described, seconds: analysis.result.detectEffort.likenessSeconds });
      const rendered = await run({ ...base, outputUrl: server.addOutput(scratchFile(join(scratch, 'r.mp4'))), tracksIn: analysis.result.tracks });
      rows.render.push(rendered.result.frames / rendered.result.renderSeconds);
      const whole = await run({ ...base, outputUrl: server.addOutput(scratchFile(join(scratch, 'j.mp4'))), tracksIn: null });
      rows.job.push(whole.result.frames / whole.wall);
      rows.cast.push(whole.result.castSeconds);
      const two = await run({ ...twoPass, outputUrl: server.addOutput(scratchFile(join(scratch, 't.mp4'))), tracksIn: null });
      rows.twoPass.push(two.result.frames / two.wall);
      const spoken = await run({
        ...base,
        settings: { ...base.settings, speech: true },
        outputUrl: server.addOutput(scratchFile(join(scratch, 's.mp4'))),
        tracksIn: null,
      });
      rows.speech.push(spoken.result.frames / spoken.wall);
      frames = whole.result.frames;
      duration = whole.result.durationSeconds;
      compositor = `${whole.result.compositor} (${whole.result.compositorReason})`;
      encoder = whole.result.encoder;
      process.stderr.write(
        `run ${r + 1}/${options.runs}: transcode ${rows.transcode.at(-1)!.toFixed(1)} fps, analysis ${rows.analysis.at(-1)!.toFixed(1)}, render ${rows.render.at(-1)!.toFixed(1)} (${describeRenderEffort(rendered.result.renderEffort)}), job ${rows.job.at(-1)!.toFixed(1)} (${describeRenderEffort(whole.result.renderEffort)}), two-pass job ${rows.twoPass.at(-1)!.toFixed(1)}, one pass with --speech ${rows.speech.at(-1)!.toFixed(1)}\n`,
      );
    }
    const bare = median(rows.transcode);
    const line = (label: string, values: number[]) => {
      const fps = median(values);
      return `${label.padEnd(34)} ${fps.toFixed(1).padStart(7)} fps  ${(fps / bare).toFixed(2).padStart(5)} x transcode  ${((fps * duration) / frames).toFixed(2).padStart(6)} x realtime`;
    };
    const chrome = browser.version();
    const out = [
      `input: ${options.input} (${frames} frames, ${duration.toFixed(1)} s, ${transcodeInfo!.width}x${transcodeInfo!.height})`,
      `output: ${options.layout} ${options.size.width}x${options.size.height}; browser: Chromium ${chrome}; medians of ${options.runs} runs`,
      `compositor: ${compositor}`,
      `encoder: ${encoder}`,
      line(`(a) bare transcode ${transcodeInfo!.width}x${transcodeInfo!.height}`, rows.transcode),
      line('(b) analysis pass', rows.analysis),
      line('(c) render pass', rows.render),
      line('(d) whole job, one pass', rows.job),
      line('(e) whole job, two passes', rows.twoPass),
      line('(f) whole job, one pass, --speech', rows.speech),
      `one pass: the people found in ${median(rows.cast).toFixed(2)} s before the first frame`,
      likenessLine(rows.likeness, duration),
    ];
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The likeness network's cost in the analysis pass: per face, and per minute of video. */
function likenessLine(runs: { faces: number; seconds: number }[], duration: number): string {
  const faces = median(runs.map((r) => r.faces));
  const seconds = median(runs.map((r) => r.seconds));
  if (faces === 0) return 'likeness: no face described';
  return `likeness (analysis pass): ${faces} faces described, ${((seconds / faces) * 1000).toFixed(1)} ms a face, ${((seconds * 60) / duration).toFixed(2)} s a minute of video (${((faces * 60) / duration).toFixed(0)} faces)`;
}

function describeCompositeCost(cost: CompositeCost, options: Options): string {
  const c = cost.compositor;
  const ms = (v: number) => `${(v / c.frames).toFixed(2)} ms`;
  return [
    `CPU compositor, ${c.frames} frames to ${options.layout} ${options.size.width}x${options.size.height}: ${ms(cost.total)} a frame`,
    `  reading the decoded frame (copyTo) ${ms(c.copy)}, scaling ${ms(c.scale)}, making the output frame ${ms(c.wrap)}`,
    `  an output-sized VideoFrame from a buffer: copied ${cost.frameCopied.toFixed(2)} ms, handed over ${cost.frameTransferred.toFixed(2)} ms; Uint8Array.set ${cost.bufferSet.toFixed(2)} ms`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${messageOf(error)}\n`);
  process.exit(1);
});
