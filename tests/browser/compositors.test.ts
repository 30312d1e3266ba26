// The two compositors must show the same picture, and the automatic choice must be the right one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCapabilities, extractGrey, fixture, probe, runCli } from './helpers';
import { scratchDir } from '../scratch';

/** Mean absolute difference of one plane (Y, U or V) of two videos, frame by frame, 0..255 (ffmpeg decodes both). */
async function meanPlaneDifference(a: string, b: string, frames: number[], plane: 'y' | 'u' | 'v'): Promise<number> {
  let sum = 0;
  let count = 0;
  const filter = plane === 'y' ? '' : `extractplanes=${plane}`;
  for (const index of frames) {
    const [ga, gb] = await Promise.all([extractGrey(a, index, filter), extractGrey(b, index, filter)]);
    expect(ga.length).toBe(gb.length);
    for (let i = 0; i < ga.length; i++) sum += Math.abs(ga[i]! - gb[i]!);
    count += ga.length;
  }
  return sum / count;
}

const scratch = scratchDir('compositors');

/** The fixture re-encoded with non-square pixels: coded 360x270, shown as 480x270. */
function anamorphic(): string {
  const path = join(scratch, 'two-people-anamorphic.mp4');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    fixture('two-people-headpose-480x270.mp4'),
    '-vf',
    'scale=360:270,setsar=4/3',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

describe('compositors', () => {
  it.each([
    ['square pixels', () => fixture('two-people-headpose-480x270.mp4'), []],
    ['non-square pixels', anamorphic, []],
    ['debug overlay', () => fixture('two-people-headpose-480x270.mp4'), ['--debug-overlay']],
  ])('WebGPU and CPU give the same picture for the same framing (%s)', async (_, make, extra) => {
    const input = make();
    const name = input.split('/').pop()!.replace('.mp4', '');
    const dir = mkdtempSync(join(scratch, 'run-'));
    const gpu = await runCli([input, '--out', join(dir, 'gpu'), '--size', '480x270', '--tracks', '--compositor', 'webgpu', ...extra]);
    expect(gpu.code, gpu.stderr).toBe(0);
    expect(gpu.stderr).toContain('compositor webgpu');
    const tracks = join(dir, 'gpu', `${name}.tracks.json`);
    const cpu = await runCli([input, '--out', join(dir, 'cpu'), '--size', '480x270', '--tracks-in', tracks, '--compositor', 'cpu', ...extra]);
    expect(cpu.code, cpu.stderr).toBe(0);
    expect(cpu.stderr).toContain('compositor cpu');
    const a = join(dir, 'gpu', `${name}.dualface.mp4`);
    const b = join(dir, 'cpu', `${name}.dualface.mp4`);
    const frames = Number((await probe(a)).streams[0]!.nb_read_frames);
    const sampled = [0, 10, 20, 30, 40, 50].filter((f) => f < frames);
    // The WebGPU path goes through RGB and back to YUV in its shader; the CPU path copies YUV as is.
    for (const plane of ['y', 'u', 'v'] as const) {
      const difference = await meanPlaneDifference(a, b, sampled, plane);
      console.log(`mean ${plane.toUpperCase()} difference WebGPU vs CPU (${name}): ${difference.toFixed(2)} of 255`);
      // Both are H.264-encoded, so encoding noise is included; the same picture differs by a few levels at most.
      expect(difference).toBeLessThan(3);
    }
  });

  it('chooses by itself: WebGPU on a hardware adapter, the CPU path on a software one or none', async () => {
    const { webgpu, adapter } = await browserCapabilities();
    const dir = mkdtempSync(join(scratch, 'auto-'));
    const result = await runCli([fixture('two-people-headpose-480x270.mp4'), '--out', dir, '--size', '480x270']);
    expect(result.code, result.stderr).toBe(0);
    console.log(`WebGPU adapter as the browser reports it: ${webgpu} (${adapter})`);
    if (webgpu === 'software') expect(result.stderr).toMatch(/compositor cpu \(YUV planes\) \(the WebGPU adapter is a software one/);
    if (webgpu === 'none') expect(result.stderr).toMatch(/compositor cpu \(YUV planes\) \(WebGPU is not available\)/);
    // On a hardware adapter WebGPU runs, its first frame checked against the CPU path (which would say why it took over).
    if (webgpu === 'hardware')
      expect(result.stderr).toMatch(
        /compositor (webgpu \(.*\) \(hardware WebGPU adapter\)|cpu \(YUV planes\) \(webgpu .* (gave a different picture|failed) on the first frame)/,
      );
  });
});
