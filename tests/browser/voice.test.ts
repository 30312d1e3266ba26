// Voice activity on real audio: Silero VAD in the browser (the tools page's worker, the same module
// the job will use), judged against what the fixtures hold: the speaker fixtures are stretches of one
// conversation with speech in them; a pure tone and silence are not speech; a video without an audio
// track has no voice to find.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coveredSeconds } from '../../src/core/intervals';
import { DetectorPage, fixture } from './helpers';
import { scratchDir } from '../scratch';

let tools: DetectorPage;
const dir = scratchDir('voice');

beforeAll(async () => {
  tools = await DetectorPage.open();
}, 120_000);
afterAll(async () => {
  await tools?.close();
});

const duration = (file: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString());

describe('voice activity', () => {
  it('finds speech through most of a stretch of conversation', async () => {
    for (const name of ['speakers/speaking_0.mp4', 'speakers/speaking_3.mp4']) {
      const file = fixture(name);
      const found = (await tools.findVoice(file))!;
      const share = coveredSeconds(found.intervals) / duration(file);
      console.log(
        `${name}: speech in ${(100 * share).toFixed(0)} % of ${duration(file).toFixed(1)} s, ${found.intervals.length} stretches; ${found.frames} model frames in ${found.seconds.toFixed(2)} s`,
      );
      expect(share).toBeGreaterThan(0.5);
      for (const { start, end } of found.intervals) {
        expect(end).toBeGreaterThan(start);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(duration(file) + 0.1);
      }
    }
  });

  it('finds none in a tone or in silence, with speech put in between found where it was put', async () => {
    // 3 s of a 440 Hz tone, 4 s of the conversation's audio, 3 s of silence.
    const file = join(dir, 'tone-speech-silence.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=3',
      '-i',
      fixture('speakers/speaking_3.mp4'),
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=mono',
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=160x90:r=25:d=10',
      '-filter_complex',
      '[1:a]atrim=2:6,asetpts=PTS-STARTPTS,aresample=48000,pan=mono|c0=c0[s];[2:a]atrim=0:3[z];[0:a][s][z]concat=n=3:v=0:a=1[a]',
      '-map',
      '3:v',
      '-map',
      '[a]',
      '-c:v',
      'libx264',
      '-c:a',
      'aac',
      '-shortest',
      file,
    ]);
    const found = (await tools.findVoice(file))!;
    const inside = (from: number, to: number) =>
      coveredSeconds(found.intervals.map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) })).filter((i) => i.end > i.start));
    expect(inside(0, 2.8)).toBeLessThan(0.3);
    expect(inside(7.4, 10)).toBeLessThan(0.3);
    expect(inside(3, 7)).toBeGreaterThan(2);
  });

  it('says there is no audio track rather than finding no voice', async () => {
    expect(await tools.findVoice(fixture('one-person-talking-360x288.mp4'))).toBeNull();
  });
});
