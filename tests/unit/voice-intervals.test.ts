import { describe, expect, it } from 'vitest';
import { voiceIntervals } from '../../src/detect/voice-intervals';

const frames = (probabilities: number[], start = 0) => ({ start, hop: 0.1, probabilities });

describe('speech intervals from voice probabilities', () => {
  it('opens above the high threshold and closes after staying below the low one', () => {
    // 0.4 s quiet, 1 s of speech with a dip to 0.4 (kept: above the low threshold), 1 s quiet.
    const p = [0.1, 0.1, 0.2, 0.1, 0.9, 0.8, 0.4, 0.9, 0.9, 0.7, 0.6, 0.8, 0.9, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    expect(voiceIntervals(frames(p, 5))).toEqual([{ start: 5.4, end: 6.4 }]);
  });

  it('bridges a pause shorter than the hangover, splits at a longer one, drops blips', () => {
    const speech = (n: number) => Array<number>(n).fill(0.9);
    const quiet = (n: number) => Array<number>(n).fill(0.05);
    const p = [...speech(10), ...quiet(2), ...speech(10), ...quiet(10), ...speech(1), ...quiet(10), ...speech(5)];
    expect(voiceIntervals(frames(p))).toEqual([
      { start: 0, end: 2.2 },
      { start: 4.3, end: 4.8 },
    ]);
  });
});

describe('faint voice', () => {
  it('is where the model is unsure, outside the sure voice', async () => {
    const { faintIntervals } = await import('../../src/detect/voice-intervals');
    // 1 s unsure (0.4), 1 s sure (0.9), 1 s unsure, 1 s quiet.
    const p = [...Array<number>(10).fill(0.4), ...Array<number>(10).fill(0.9), ...Array<number>(10).fill(0.4), ...Array<number>(10).fill(0.05)];
    const sure = voiceIntervals(frames(p));
    expect(sure).toEqual([{ start: 1, end: 3 }]);
    expect(faintIntervals(frames(p), sure)).toEqual([{ start: 0, end: 1 }]);
  });
});
