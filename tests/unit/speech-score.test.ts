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
    const score = scoreSpeech(
      [
        { panel: 1, start: 0, end: 4 },
        { panel: 0, start: 4, end: 8 },
      ],
      truth,
    );
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
    expect(
      matchSpeakers(
        [
          { panel: 0, start: 0, end: 4 },
          { panel: 1, start: 0.5, end: 3.5 },
        ],
        truth,
      ),
    ).toEqual({ alice: 0 });
    expect(() => parseMapping('alice=2')).toThrow(/--map/);
  });
});

describe('truth speakers matched to panels by their face boxes', () => {
  it('gives each speaker the panel whose crops hold their face, and none to one never shown', async () => {
    const { matchSpeakersByFaces } = await import('../../tools/speech-scoring');
    const left = { x: 100, y: 100, w: 400, h: 450 };
    const right = { x: 1200, y: 100, w: 400, h: 450 };
    const frames = Array.from({ length: 10 }, () => ({ panels: [left, right] as [typeof left, typeof right] }));
    const box = (x: number) => ({ x, y: 200, w: 150, h: 150 });
    const boxes = [
      ...frames.map((_, frame) => ({ frame, id: 'face:host', box: box(1300) })),
      ...frames.map((_, frame) => ({ frame, id: 'face:guest', box: box(200) })),
      // The narrator's face is in the picture now and then, never inside a crop.
      { frame: 3, id: 'face:narrator', box: box(800) },
    ];
    const truth = [
      { speaker: 'guest', start: 0, end: 2 },
      { speaker: 'host', start: 2, end: 4 },
      { speaker: 'narrator', start: 4, end: 5 },
    ];
    expect(matchSpeakersByFaces(frames, truth, boxes)).toEqual({ host: 1, guest: 0 });
  });
});
