import { describe, expect, it } from 'vitest';
import { matchSpeakers, parseMapping, parseRttm, scoreSpeech } from '../../tools/speech-scoring';
import { toRttm } from '../../src/framing/speakers';

const truth = parseRttm(
  [
    'SPEAKER talk 1 0.000 4.000 <NA> <NA> alice <NA> <NA>',
    'SPEAKER talk 1 4.000 4.000 <NA> <NA> bob <NA> <NA>',
    'SPEAKER talk 1 8.000 2.000 <NA> <NA> narrator <NA> <NA>',
  ].join('\n'),
);

describe('scoring who is speaking', () => {
  it('reads RTTM, our own included', () => {
    expect(truth).toEqual([
      { speaker: 'alice', start: 0, end: 4 },
      { speaker: 'bob', start: 4, end: 8 },
      { speaker: 'narrator', start: 8, end: 10 },
    ]);
    expect(parseRttm(toRttm('x', [{ panel: 1, start: 1, end: 2.5 }]))).toEqual([{ speaker: 'panel1', start: 1, end: 2.5 }]);
    expect(() => parseRttm('SPEAKER talk 1 zero 1 <NA> <NA> a')).toThrow(/line 1/);
  });

  it('a perfect answer scores 100 % and no error; the narrator is given to nobody', () => {
    const score = scoreSpeech([{ panel: 1, start: 0, end: 4 }, { panel: 0, start: 4, end: 8 }], truth);
    expect(score.mapping).toEqual({ alice: 1, bob: 0 });
    expect(score.singleSpeakerSeconds).toBeCloseTo(8, 1);
    expect(score.right).toBeCloseTo(1, 3);
    expect(score.wrong).toBe(0);
    expect(score.offScreenSeconds).toBeCloseTo(2, 1);
    expect(score.offScreenGiven).toBe(0);
    // The narrator's 2 s are missed: 2 of 10 s of speaker time.
    expect(score.der).toBeCloseTo(0.2, 2);
  });

  it('counts wrong panels, an off-screen voice given away, and errors, with a mapping given', () => {
    const hypothesis = [
      { panel: 0 as const, start: 0, end: 3 },
      { panel: 1 as const, start: 3, end: 4 },
      { panel: 1 as const, start: 4, end: 9 },
    ];
    const score = scoreSpeech(hypothesis, truth, parseMapping('alice=0,bob=1'));
    expect(score.right).toBeCloseTo(7 / 8, 2);
    expect(score.wrong).toBeCloseTo(1 / 8, 2);
    expect(score.offScreenGiven).toBeCloseTo(0.5, 2);
    // 1 s confused (alice as panel 1), 1 s the narrator as panel 1, 1 s the narrator missed: 3 of 10.
    expect(score.der).toBeCloseTo(0.3, 2);
  });

  it('matches each panel to the truth speaker it overlaps most, never one speaker to both', () => {
    expect(matchSpeakers([{ panel: 0, start: 0, end: 4 }, { panel: 1, start: 0.5, end: 3.5 }], truth)).toEqual({ alice: 0 });
    expect(() => parseMapping('alice=2')).toThrow(/--map/);
  });
});
