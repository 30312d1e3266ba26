// Jobs that survive: the command line killed with SIGKILL (the whole process group, browser included,
// as a power cut or the OOM killer would) during the analysis, the render and the making of the MP4,
// then the same command again; a hardware encoder reclaimed after 70 % of the render; Ctrl-C; and
// --restart. Every resumed output is judged against an uninterrupted run by ffprobe and ffmpeg:
// the same frames at the same times, a clean decode, the same audio, PSNR ≥ 35 dB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, expectFaithfulOutput, fixture, probe, psnr, runCli, startCli, until, videoTimes, type Running } from './helpers';
import { scratchDir } from '../scratch';

const dir = scratchDir('resume');
// The runs' scratch folders in a temporary folder of this file's own: a run of another test file,
// which removes the scratch folders of killed runs, cannot take a killed run's from under a check here.
process.env['TMPDIR'] = mkdtempSync(join(dir, 'tmp-'));
const clip = join(dir, 'talk.mp4');
// Small enough to render quickly; the resume does not depend on the size (bench:resume times 1080p).
const size = { width: 540, height: 960 };
const args = (out: string) => [clip, '--out', out, '--layout', 'stacked', '--size', `${size.width}x${size.height}`];
const output = (out: string) => join(out, 'talk.dualface.mp4');
const journalPath = (out: string) => join(out, '.talk.dualface.mp4.resume.json');
const FRAMES = 900;

interface JournalView {
  checkpoint: { frames: number; complete: boolean } | null;
}

function journal(out: string): JournalView | null {
  try {
    return JSON.parse(readFileSync(journalPath(out), 'utf8')) as JournalView;
  } catch {
    return null;
  }
}

/** SIGKILL to the CLI's whole process group (Chromium included) once `when` holds. */
async function killWhen(run: Running, when: () => boolean, what: string): Promise<void> {
  await until(() => when() || run.child.exitCode !== null, what, 240);
  expect(run.child.exitCode, `the CLI ended before the kill: ${run.stderr()}`).toBeNull();
  process.kill(-run.child.pid!, 'SIGKILL');
  await run.exited;
}

const uninterrupted = join(dir, 'uninterrupted');

/** The resumed output is the uninterrupted one, re-encoded from its checkpoint on. */
async function expectSameAsUninterrupted(out: string): Promise<void> {
  await expectFaithfulOutput(clip, output(out), size);
  expect(await videoTimes(output(out))).toEqual(await videoTimes(output(uninterrupted)));
  expect(await psnr(output(out), output(uninterrupted))).toBeGreaterThanOrEqual(35);
  // Nothing is left beside the video: no log, no journal, no temporary.
  expect(readdirSync(out)).toEqual(['talk.dualface.mp4']);
}

beforeAll(async () => {
  // 30 s of two people (a fixture still, slowly zoomed) with a tone: long enough to be killed midway.
  const still = fixture('stills/two-people-1126x661.jpg');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    still,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '30',
    '-filter_complex',
    "[0:v]scale=1126:662,zoompan=z='1+0.1*on/900':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=960x540:fps=30,format=yuv420p[v]",
    '-map',
    '[v]',
    '-map',
    '1:a',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '60',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
  const run = await runCli(args(uninterrupted));
  expect(run.code, run.stderr).toBe(0);
  expect(Number((await probe(output(uninterrupted))).streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(FRAMES);
}, 300_000);

describe('kill -9, then the same command again', () => {
  it('during the analysis, before any frame is rendered: starts from the beginning', async () => {
    const out = join(dir, 'killed-analysing');
    const run = startCli(args(out));
    await killWhen(run, () => /analysing|rendering/.test(run.stderr()) && journal(out)?.checkpoint === null, 'the job to start');
    expect(journal(out)?.checkpoint ?? null).toBeNull();
    const again = await runCli(args(out));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/talk\.mp4: an interrupted run had rendered nothing yet: starting from the beginning/);
    await expectSameAsUninterrupted(out);
  });

  it('during the render: resumes at the last checkpoint', async () => {
    const out = join(dir, 'killed-rendering');
    const run = startCli(args(out));
    await killWhen(run, () => (journal(out)?.checkpoint?.frames ?? 0) >= 300, 'a checkpoint past 300 frames');
    const kept = journal(out)!.checkpoint!.frames;
    expect(kept).toBeLessThan(FRAMES);
    expect(existsSync(output(out)), 'no video under the final name').toBe(false);
    // The killed run's browser profile is in its scratch folder, which the next run removes.
    const scratch = join(tmpdir(), `dualface-run-${run.child.pid}`);
    expect(existsSync(scratch)).toBe(true);
    const again = await runCli(args(out));
    expect(existsSync(scratch)).toBe(false);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      `talk.mp4: resuming an interrupted run at ${(kept / 30).toFixed(1)} s (${kept} frames rendered before; --restart starts over)`,
    );
    // The job line counts the speed over this run's frames, and calls the resume no fallback.
    expect(again.stderr).toContain(`x realtime over the ${FRAMES - kept} frames of this run, resumed after ${kept}`);
    expect(again.stderr).not.toMatch(/continued in software after/);
    await expectSameAsUninterrupted(out);
  });

  it('while the MP4 is being made: makes it again from the complete log, without rendering', async () => {
    const out = join(dir, 'killed-muxing');
    const run = startCli(args(out), { DUALFACE_TEST_KILL_WHILE_MUXING: '1' });
    await run.exited;
    expect(journal(out)?.checkpoint?.complete).toBe(true);
    // A half-made MP4 exists only under its hidden temporary name.
    expect(readdirSync(out).filter((name) => !name.startsWith('.'))).toEqual([]);
    const again = await runCli(args(out));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/talk\.mp4: resuming an interrupted run: every frame was rendered, making the MP4/);
    expect(again.stderr).not.toMatch(/rendering \[/);
    expect(again.stderr).toMatch(
      new RegExp(`talk\\.dualface\\.mp4 \\(made from the ${FRAMES} frames an interrupted run rendered, in [\\d.]+ s; audio copied\\)`),
    );
    expect(again.stderr).not.toMatch(/realtime/);
    await expectSameAsUninterrupted(out);
  });

  it('--restart starts over; other settings start over too, saying why', async () => {
    const out = join(dir, 'restarted');
    const first = startCli(args(out));
    await killWhen(first, () => (journal(out)?.checkpoint?.frames ?? 0) >= 300, 'a checkpoint past 300 frames');
    const restarted = await runCli([...args(out), '--restart']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stderr).not.toMatch(/resuming|interrupted/);
    await expectSameAsUninterrupted(out);

    const other = join(dir, 'other-settings');
    const second = startCli(args(other));
    await killWhen(second, () => (journal(other)?.checkpoint?.frames ?? 0) >= 300, 'a checkpoint past 300 frames');
    const smaller = await runCli([clip, '--out', other, '--layout', 'stacked', '--size', '270x480']);
    expect(smaller.code, smaller.stderr).toBe(0);
    expect(smaller.stderr).toMatch(/was made with other settings or another version of the input: starting over/);
    await expectFaithfulOutput(clip, output(other), { width: 270, height: 480 });
  });

  it('of a --review run: the same command, and --restart, run it again', async () => {
    const out = join(dir, 'killed-review');
    const review = [clip, '--out', out, '--review'];
    const run = startCli(review);
    await killWhen(run, () => existsSync(join(out, '.talk.tracks.json.partial')) && /analysing/.test(run.stderr()), 'the analysis');
    expect(readdirSync(out)).toContain('.talk.tracks.json.partial');
    const again = await runCli(review);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['talk.tracks.json']);

    const second = startCli([...review, '--overwrite']);
    await killWhen(second, () => existsSync(join(out, '.talk.tracks.json.partial')) && /analysing/.test(second.stderr()), 'the analysis');
    const restarted = await runCli([...review, '--overwrite', '--restart']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['talk.tracks.json']);
  });

  it('with a damaged journal or a packet log cut short: starts over, saying why', async () => {
    const killed = join(dir, 'killed-then-damaged');
    const run = startCli(args(killed));
    await killWhen(run, () => (journal(killed)?.checkpoint?.frames ?? 0) >= 300, 'a checkpoint past 300 frames');
    const damaged = join(dir, 'damaged-journal');
    const cut = join(dir, 'cut-log');
    execFileSync('cp', ['-a', killed, damaged]);
    execFileSync('cp', ['-a', killed, cut]);
    truncateSync(journalPath(damaged), 300);
    const log = join(cut, '.talk.dualface.mp4.packets');
    truncateSync(log, Math.floor(statSync(log).size / 2));

    const fromDamaged = await runCli(args(damaged));
    expect(fromDamaged.code, fromDamaged.stderr).toBe(0);
    expect(fromDamaged.stderr).toContain(`talk.mp4: an interrupted run's journal ${journalPath(damaged)} is damaged: starting over`);
    await expectSameAsUninterrupted(damaged);

    const fromCut = await runCli(args(cut));
    expect(fromCut.code, fromCut.stderr).toBe(0);
    expect(fromCut.stderr).toMatch(
      /talk\.mp4: an interrupted run's \S+\.packets cannot be continued \(it holds \d+ bytes where its journal counts \d+\): starting over/,
    );
    expect(fromCut.stderr).not.toMatch(/resuming/);
    await expectSameAsUninterrupted(cut);
  });

  it('refuses to take over the log of a run that is still alive', async () => {
    const out = join(dir, 'alive');
    const run = startCli(args(out));
    await until(() => (journal(out)?.checkpoint?.frames ?? 0) > 0 || run.child.exitCode !== null, 'a first checkpoint', 240);
    const second = await runCli(args(out));
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/talk\.mp4: another dualface run \(process \d+ on [^)]+\) is writing \S+talk\.dualface\.mp4/);
    expect(await run.exited).toBe(0);
    await expectSameAsUninterrupted(out);
  });
});

describe('Ctrl-C, then the same command again', () => {
  it('keeps what was rendered and resumes from it', async () => {
    const out = join(dir, 'interrupted');
    const run = startCli(args(out));
    await until(() => (journal(out)?.checkpoint?.frames ?? 0) >= 300 || run.child.exitCode !== null, 'a checkpoint past 300 frames', 240);
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(130);
    expect(readdirSync(out).sort()).toEqual(['.talk.dualface.mp4.packets', '.talk.dualface.mp4.resume.json']);
    const again = await runCli(args(out));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming an interrupted run at/);
    await expectSameAsUninterrupted(out);
  });
});

describe('a hardware encoder reclaimed after 70 % of the render', () => {
  it('goes on in software from the last checkpoint, into the same file', async () => {
    const out = join(dir, 'reclaimed');
    const report = join(dir, 'reclaimed-report.json');
    // One hardware slot, whatever this browser has: the stand-in takes it.
    const run = startCli([...args(out), '--encoders', '1', '--report', report], { DUALFACE_TEST_HARDWARE_ENCODER_FAILS_AFTER: String(0.7 * FRAMES) });
    expect(await run.exited, run.stderr()).toBe(0);
    const job = (JSON.parse(readFileSync(report, 'utf8')) as { jobs: { encoder: string; fallbacks: { reason: string; keptFrames?: number }[] }[] }).jobs[0]!;
    expect(job.encoder).toBe('software');
    expect(job.fallbacks).toHaveLength(1);
    expect(job.fallbacks[0]!.reason).toMatch(
      /hardware encoder failed: talk\.mp4: the video encoder failed \(the browser reclaimed the encoder \(QuotaExceededError/,
    );
    // Key frames every 2 s: the checkpoint before frame 630 is at 600.
    expect(job.fallbacks[0]!.keptFrames).toBe(600);
    expect(run.stderr()).toMatch(/continued in software after the 600 frames written/);
    await expectSameAsUninterrupted(out);
    expect(await decodeErrors(output(out))).toBe('');
  });
});
