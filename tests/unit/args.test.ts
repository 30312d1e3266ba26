import { describe, expect, it } from 'vitest';
import { CLI_DEFAULTS, outputBaseNames, parseArgs } from '../../src/cli/args';
import { planOutputs } from '../../src/cli/outputs';
import { resolve } from 'node:path';

describe('command line', () => {
  it('parses the documented arguments', () => {
    const parsed = parseArgs(['a.mp4', 'b.mov', '--out', 'out', '--layout', 'stacked', '--size', '540x960', '--tracks']);
    expect(parsed).toEqual({
      ok: true,
      options: {
        inputs: ['a.mp4', 'b.mov'],
        outDir: 'out',
        settings: { ...CLI_DEFAULTS, layout: 'stacked', size: { width: 540, height: 960 } },
        tracks: true,
        tracksIn: null,
        report: null,
        overwrite: false,
        restart: false,
        rttm: null,
      },
    });
  });

  it('takes encoder, job and report settings', () => {
    const parsed = parseArgs(['a.mp4', '--out', 'o', '--encoders', '1', '--jobs', '3', '--report', 'r.json']);
    expect(parsed.ok && [parsed.options.settings.encoders, parsed.options.settings.jobs, parsed.options.report]).toEqual([1, 3, 'r.json']);
    const auto = parseArgs(['a.mp4', '--out', 'o', '--encoders', 'auto']);
    expect(auto.ok && auto.options.settings.encoders).toBe('auto');
  });

  it('takes the missing-person policy', () => {
    const parsed = parseArgs(['a.mp4', '--out', 'o', '--missing-policy', 'full-width']);
    expect(parsed.ok && parsed.options.settings.missingPolicy).toBe('full-width');
    // The earlier name still works.
    const old = parseArgs(['a.mp4', '--out', 'o', '--missing', 'full-width']);
    expect(old.ok && old.options.settings.missingPolicy).toBe('full-width');
    const bad = parseArgs(['a.mp4', '--out', 'o', '--missing', 'blank']);
    expect(!bad.ok && !bad.help && bad.error).toMatch(/keep or full-width/);
  });

  it('defaults to side-by-side 1920x1080', () => {
    const parsed = parseArgs(['a.mp4', '--out', 'o']);
    expect(parsed.ok && parsed.options.settings.layout).toBe('side-by-side');
    expect(parsed.ok && parsed.options.settings.size).toEqual({ width: 1920, height: 1080 });
  });

  it.each([
    [['--out', 'o'], /no input/],
    [['a.mp4'], /--out DIR is required/],
    [['a.mp4', '--out'], /--out needs a folder/],
    [['a.mp4', '--out', 'o', '--layout', 'diagonal'], /side-by-side or stacked/],
    [['a.mp4', '--out', 'o', '--size', 'big'], /1920x1080/],
    [['a.mp4', '--out', 'o', '--size', '481x270'], /divisible by 4|even/],
    [['a.mp4', '--out', 'o', '--frobnicate'], /unknown option/],
    [['a.mp4', '--out', 'o', '--encoders', 'many'], /--encoders must be/],
    [['a.mp4', '--out', 'o', '--jobs', '0'], /--jobs must be/],
    [['a.mp4', 'b.mp4', '--out', 'o', '--tracks-in', 't.json'], /exactly one input/],
  ])('rejects %j', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok && !parsed.help) expect(parsed.error).toMatch(message);
  });

  it('gives same-named inputs distinct output names', () => {
    expect(outputBaseNames(['x/talk.mp4', 'y/talk.mp4', 'z/other.mkv', 'noext'])).toEqual(['talk', 'talk-2', 'other', 'noext']);
  });

  it('never gives two inputs one output name, not even where a name already ends in a number', () => {
    // The batch that wrote two jobs into one .partial: x-2 was both an input's own name and a repeat's.
    expect(outputBaseNames(['x-2.mp4', 'a/x.mp4', 'b/x.mp4'])).toEqual(['x-2', 'x', 'x-3']);
    expect(outputBaseNames(['a/x.mp4', 'b/x.mp4', 'x-2.mp4'])).toEqual(['x', 'x-3', 'x-2']);
    // A file system that ignores case would make Talk and talk one file.
    const names = outputBaseNames(['Talk.mp4', 'talk.mov', 'TALK.mkv']);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
  });

  it('plans distinct temporary and final files for every input', () => {
    const inputs = ['x-2.mp4', 'a/x.mp4', 'b/x.mp4', 'x.mp4'];
    const files = planOutputs(inputs, 'out', true).flatMap((o) => [
      o.video!.final,
      o.video!.temp,
      o.tracks!.final,
      o.tracks!.temp,
      o.resume!.log,
      o.resume!.journal,
    ]);
    expect(new Set(files).size).toBe(files.length);
  });

  it('takes --restart', () => {
    const parsed = parseArgs(['a.mp4', '--out', 'o', '--restart']);
    expect(parsed.ok && parsed.options.restart).toBe(true);
  });

  it('takes --overwrite, and inputs after -- even when they look like options', () => {
    const parsed = parseArgs(['--out', 'o', '--overwrite', '--', '-odd.mp4', '--tracks']);
    expect(parsed.ok && [parsed.options.inputs, parsed.options.overwrite, parsed.options.tracks]).toEqual([['-odd.mp4', '--tracks'], true, false]);
  });
});

describe('--speech FILE.rttm', () => {
  it('names where one input’s speaker turns go; a plain --speech gives each input DIR/<name>.rttm', () => {
    const one = parseArgs(['talk.mp4', '--speech', 'turns/talk.rttm', '--out', 'out']);
    expect(one.ok && [one.options.settings.speech, one.options.rttm, one.options.inputs]).toEqual([true, 'turns/talk.rttm', ['talk.mp4']]);
    const rttm = planOutputs(['talk.mp4'], 'out', false, true, 'turns/talk.rttm')[0]!.rttm!;
    expect(rttm.final).toBe(resolve('turns/talk.rttm'));
    expect(rttm.temp).toBe(resolve('turns/.talk.rttm.partial'));
    const plain = parseArgs(['--speech', 'a.mp4', 'b.mp4', '--out', 'out']);
    expect(plain.ok && [plain.options.rttm, plain.options.inputs]).toEqual([null, ['a.mp4', 'b.mp4']]);
    expect(planOutputs(['a.mp4'], 'out', false, true, true)[0]!.rttm!.final).toBe(resolve('out/a.rttm'));
    const two = parseArgs(['a.mp4', 'b.mp4', '--speech=turns.rttm', '--out', 'out']);
    expect(two.ok ? null : two.help ? 'help' : two.error).toMatch(/exactly one input/);
  });
});
