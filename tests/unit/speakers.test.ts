import { describe, expect, it } from 'vitest';
import { coveredSeconds, type Interval } from '../../src/core/intervals';
import { attributeSpeech, DEFAULT_ATTRIBUTION, toRttm, type MouthSeries, type SpeechTurn } from '../../src/framing/speakers';
import { face } from './synthetic';

const FPS = 25;

/** A seeded random series, so every run sees the same numbers. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Mouth activity at 25 Hz for `duration` s: `talking` spans move (~3x, irregular), else a quiet level with noise. */
function mouth(duration: number, talking: readonly Interval[], options: { quiet?: number; seed?: number; unseen?: readonly Interval[] } = {}): MouthSeries {
  const next = random(options.seed ?? 1);
  const quiet = options.quiet ?? 1;
  const n = Math.round(duration * FPS);
  const times = new Float64Array(n);
  const activity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / FPS;
    times[i] = t;
    const inside = (spans: readonly Interval[] | undefined) => (spans ?? []).some((s) => s.start <= t && t < s.end);
    activity[i] = inside(options.unseen) ? NaN : inside(talking) ? quiet * (2 + 3 * next()) : quiet * (0.7 + 0.6 * next());
  }
  return { times, activity };
}

/** Seconds of `turns` of `panel` inside `span`. */
function secondsOf(turns: readonly SpeechTurn[], panel: 0 | 1, span: Interval): number {
  return coveredSeconds(
    turns
      .filter((t) => t.panel === panel)
      .map((t) => ({ start: Math.max(t.start, span.start), end: Math.min(t.end, span.end) }))
      .filter((t) => t.end > t.start),
  );
}

describe('who is speaking', () => {
  it('alternating turns go to the person whose mouth moves', () => {
    const a = [
      { start: 0, end: 4 },
      { start: 8, end: 12 },
    ];
    const b = [{ start: 4, end: 8 }];
    const turns = attributeSpeech([{ start: 0, end: 12 }], [mouth(12, a, { seed: 1 }), mouth(12, b, { seed: 2 })], 12);
    expect(secondsOf(turns, 0, { start: 0, end: 4 })).toBeGreaterThan(3.4);
    expect(secondsOf(turns, 1, { start: 4, end: 8 })).toBeGreaterThan(3.4);
    expect(secondsOf(turns, 0, { start: 8, end: 12 })).toBeGreaterThan(3.4);
    // Little of either where the other speaks (the window straddles each change by under half a second).
    expect(secondsOf(turns, 1, { start: 0, end: 4 }) + secondsOf(turns, 1, { start: 8, end: 12 })).toBeLessThan(0.6);
    expect(secondsOf(turns, 0, { start: 4, end: 8 })).toBeLessThan(0.6);
  });

  it('both talking at once: both panels speak', () => {
    // Each is quiet some of the time (listening, a pause), which gives their quiet level.
    const turns = attributeSpeech([{ start: 0, end: 6 }], [mouth(10, [{ start: 0, end: 6 }], { seed: 3 }), mouth(10, [{ start: 2, end: 5 }], { seed: 4 })], 10);
    expect(secondsOf(turns, 0, { start: 2.5, end: 4.5 })).toBeGreaterThan(1.5);
    expect(secondsOf(turns, 1, { start: 2.5, end: 4.5 })).toBeGreaterThan(1.5);
  });

  it('a voice with no moving mouth on screen (off screen, a narrator) is given to nobody', () => {
    const turns = attributeSpeech([{ start: 1, end: 9 }], [mouth(10, [], { seed: 5 }), mouth(10, [], { seed: 6 })], 10);
    expect(turns).toEqual([]);
  });

  it('no voice, no speech, however the mouths move (a silent laugh, chewing)', () => {
    const turns = attributeSpeech([], [mouth(10, [{ start: 2, end: 6 }], { seed: 7 }), mouth(10, [], { seed: 8 })], 10);
    expect(turns).toEqual([]);
  });

  it('a restless listener is measured against their own quiet level, not the talker’s', () => {
    // Panel 1 moves three times as much as panel 0 throughout, and never talks.
    const turns = attributeSpeech([{ start: 0, end: 8 }], [mouth(8, [{ start: 2, end: 6 }], { seed: 9 }), mouth(8, [], { quiet: 3, seed: 10 })], 8);
    expect(secondsOf(turns, 0, { start: 2, end: 6 })).toBeGreaterThan(3.4);
    expect(secondsOf(turns, 1, { start: 0, end: 8 })).toBe(0);
  });

  it('a person not seen gets nothing; the one seen still gets their turn', () => {
    const turns = attributeSpeech(
      [{ start: 0, end: 8 }],
      [mouth(8, [{ start: 0, end: 8 }], { seed: 11, unseen: [{ start: 4, end: 8 }] }), mouth(8, [{ start: 4, end: 8 }], { seed: 12 })],
      8,
    );
    // Once the window has left the last sight of them.
    const after = { start: 4 + DEFAULT_ATTRIBUTION.window / 2, end: 8 };
    expect(secondsOf(turns, 0, after)).toBe(0);
    expect(secondsOf(turns, 1, after)).toBeGreaterThan(0.9 * (after.end - after.start));
  });

  it('writes RTTM with panel0 and panel1 as the speakers', () => {
    expect(
      toRttm('my talk', [
        { panel: 0, start: 0.5, end: 2.25 },
        { panel: 1, start: 2, end: 3 },
      ]),
    ).toBe('SPEAKER my_talk 1 0.500 1.750 <NA> <NA> panel0 <NA> <NA>\nSPEAKER my_talk 1 2.000 1.000 <NA> <NA> panel1 <NA> <NA>\n');
  });
});

describe('the speaker highlight', () => {
  it('fades in over 0.3 s, holds, fades out, and bridges a short pause', async () => {
    const { highlightLevels } = await import('../../src/framing/speakers');
    const turns: SpeechTurn[] = [
      { panel: 0, start: 1, end: 3 },
      { panel: 0, start: 3.4, end: 5 },
      { panel: 1, start: 6, end: 7 },
    ];
    const at = (t: number) => highlightLevels(turns, t).map((v) => Math.round(v * 100) / 100);
    expect(at(0.5)).toEqual([0, 0]);
    expect(at(1.15)).toEqual([0.5, 0]);
    expect(at(2)).toEqual([1, 0]);
    // The 0.4 s pause is bridged: no dip between the two turns.
    expect(at(3.2)).toEqual([1, 0]);
    expect(at(5.15)).toEqual([0.5, 0]);
    expect(at(5.5)).toEqual([0, 0]);
    expect(at(6.6)).toEqual([0, 1]);
  });

  it('draws a frame around the speaking panel, as thick as its level', async () => {
    const { speakerBoxes } = await import('../../src/composite/overlay');
    const crops = [
      { x: 0, y: 0, w: 100, h: 100 },
      { x: 200, y: 0, w: 100, h: 100 },
    ] as const;
    const boxes = speakerBoxes('side-by-side', { width: 1920, height: 1080 }, [crops[0], crops[1]], [1, 0.5]);
    expect(boxes.map((b) => [b.rect, b.thickness, b.speaker])).toEqual([
      [{ x: 0, y: 0, w: 960, h: 1080 }, 12, true],
      [{ x: 960, y: 0, w: 960, h: 1080 }, 6, true],
    ]);
    // One person filling the output: the frame goes round the whole output.
    expect(speakerBoxes('side-by-side', { width: 1920, height: 1080 }, [crops[0], null], [1, 1]).map((b) => b.rect)).toEqual([
      { x: 0, y: 0, w: 1920, h: 1080 },
    ]);
    expect(speakerBoxes('side-by-side', { width: 1920, height: 1080 }, [crops[0], crops[1]], [0, 0])).toEqual([]);
  });
});

describe('speaker turns in the page’s review', () => {
  it('follow the people: each panel gets the turns of the person it shows, whoever is chosen', async () => {
    const { panelTurns } = await import('../../src/framing/speakers');
    const turns = [[{ start: 0, end: 2 }], [], [{ start: 1, end: 3 }]];
    expect(panelTurns(turns, [0, 2])).toEqual([
      { panel: 0, start: 0, end: 2 },
      { panel: 1, start: 1, end: 3 },
    ]);
    expect(panelTurns(turns, [2, 0])).toEqual([
      { panel: 1, start: 0, end: 2 },
      { panel: 0, start: 1, end: 3 },
    ]);
    expect(panelTurns(turns, [1, null])).toEqual([]);
  });

  it('keep the focus layout through the review’s edits', async () => {
    const { reframe } = await import('../../src/app/reframe');
    const { DEFAULT_FOCUS } = await import('../../src/framing/focus');
    const frameTimes = Array.from({ length: 200 }, (_, i) => i / 10);
    const samples = frameTimes
      .filter((_, i) => i % 5 === 0)
      .map((t) => ({
        t,
        faces: [
          { ...face(500, 500, 200), person: 0 },
          { ...face(1400, 500, 200), person: 1 },
        ],
      }));
    const input = {
      sourceFile: 'talk.mp4',
      source: { width: 1920, height: 1080 },
      fps: 10,
      frameTimes,
      samples,
      outputFile: 'talk.dualface.mp4',
      output: { width: 1920, height: 1080 },
      layout: 'side-by-side' as const,
    };
    const review = { input, people: [], chosen: [0, 1] as [number, number], turns: [[{ start: 0, end: 15 }], []] };
    const focused = (framing: ReturnType<typeof reframe>) => framing.tracks.frames.filter((f) => f.panels[1] === null && f.panels[0] !== null).map((f) => f.t);
    const nudged = reframe(review, [0, 1], [{ shot: 0, panel: 0, dx: 0.05, dy: 0, zoom: 1.1 }], true);
    expect(focused(nudged)[0]).toBeCloseTo(DEFAULT_FOCUS.enterDelay, 5);
    expect(focused(nudged).at(-1)).toBeCloseTo(14.9, 5);
    expect(nudged.tracks.speech).toEqual([{ panel: 0, start: 0, end: 15 }]);
    // Swapped: the same person, now in panel 1, still fills the output.
    const swapped = reframe(review, [1, 0], [], true);
    expect(swapped.tracks.frames.filter((f) => f.panels[0] === null && f.panels[1] !== null)).toHaveLength(focused(nudged).length);
    expect(focused(reframe(review, [0, 1], [], false))).toEqual([]);
  });
});

describe('faint voice (the model unsure: speech over music, a quiet voice)', () => {
  /** 25 Hz for 8 s: `level` for the first 4 s, 0.8 after; the other panel 0.8 throughout. */
  const series = (level: number): [MouthSeries, MouthSeries] => {
    const times = Array.from({ length: 200 }, (_, i) => i / FPS);
    return [
      { times, activity: times.map((t, i) => (t < 4 ? level : 0.8) + 0.01 * (i % 3)) },
      { times, activity: times.map((_, i) => 0.8 + 0.01 * (i % 3)) },
    ];
  };
  const talkOf = (turns: readonly SpeechTurn[]) => secondsOf(turns, 0, { start: 0, end: 4 });

  it('asks a clearer mouth than sure voice does', async () => {
    const { voiceSpans } = await import('../../src/framing/speakers');
    const sure = voiceSpans([{ start: 0, end: 4 }], []);
    const faint = voiceSpans([], [{ start: 0, end: 4 }]);
    // Twice and a half the quiet level: talking in sure voice, not in faint.
    expect(talkOf(attributeSpeech(sure, series(2), 8))).toBeGreaterThan(3);
    expect(talkOf(attributeSpeech(faint, series(2), 8))).toBe(0);
    // Four times it: talking in both.
    expect(talkOf(attributeSpeech(faint, series(3.2), 8))).toBeGreaterThan(3);
  });
});
