import { describe, expect, it } from 'vitest';
import { focusAt, focusedPanels, focusStretches } from '../../src/framing/focus';
import type { SpeechTurn } from '../../src/framing/speakers';

const turn = (panel: 0 | 1, start: number, end: number): SpeechTurn => ({ panel, start, end });

describe('the focus layout', () => {
  it('focuses a long answer half a second in, until it ends', () => {
    expect(focusStretches([turn(0, 2, 12)])).toEqual([{ panel: 0, start: 2.5, end: 12 }]);
  });

  it('leaves short turns and quick exchanges split', () => {
    expect(focusStretches([turn(0, 0, 3), turn(1, 3.2, 6), turn(0, 6.3, 9), turn(1, 9.1, 11)])).toEqual([]);
  });

  it('bridges the speaker’s short pauses, but not the other’s words', () => {
    expect(focusStretches([turn(0, 0, 4), turn(0, 5, 9)])).toEqual([{ panel: 0, start: 0.5, end: 9 }]);
    // The other person says something at 4-5: neither side of it is long enough.
    expect(focusStretches([turn(0, 0, 4), turn(1, 4.2, 4.8), turn(0, 5, 9)])).toEqual([]);
  });

  it('a short interjection over the speaker’s words does not end the turn; a long one does', () => {
    expect(focusStretches([turn(0, 0, 10), turn(1, 4, 5)])).toEqual([{ panel: 0, start: 0.5, end: 10 }]);
    expect(focusStretches([turn(0, 0, 10), turn(1, 4, 6)])).toEqual([]);
  });

  it('both talking is no solo turn', () => {
    expect(focusStretches([turn(0, 0, 10), turn(1, 0, 10)])).toEqual([]);
  });

  it('never holds a split for under 3 s between two focuses: the same person stays, another is cut to', () => {
    // Panel 0 long, a 1 s interjection by panel 1, panel 0 long again: stays on panel 0.
    const same = focusStretches([turn(0, 0, 8), turn(1, 8.2, 8.6), turn(0, 9, 16)]);
    expect(same).toEqual([{ panel: 0, start: 0.5, end: 16 }]);
    // Panel 0 long, then panel 1 long: a direct cut as panel 1 starts to speak, no short split between.
    const other = focusStretches([turn(0, 0, 8), turn(1, 8.5, 16)]);
    expect(other).toEqual([
      { panel: 0, start: 0.5, end: 8.5 },
      { panel: 1, start: 8.5, end: 16 },
    ]);
  });

  it('the speaker’s crop takes the output’s aspect about the same centre and height', () => {
    const source = { width: 1920, height: 1080 };
    const panels = [
      { x: 100, y: 100, w: 480, h: 540 },
      { x: 1200, y: 100, w: 480, h: 540 },
    ] as const;
    expect(focusedPanels([panels[0], panels[1]], 0, { width: 1920, height: 1080 }, source)).toEqual([{ x: 0, y: 100, w: 960, h: 540 }, null]); // shifted inside the picture
    // Stacked: narrower, the same height.
    expect(focusedPanels([panels[0], panels[1]], 1, { width: 1080, height: 1920 }, source)).toEqual([null, { x: 1440 - 151.875, y: 100, w: 303.75, h: 540 }]);
    // Two faces close together: zoomed in until the other's face is left out.
    const close = [
      { x: 0, y: 0, w: 200, h: 224 },
      { x: 240, y: 0, w: 200, h: 224 },
    ] as const;
    const zoomed = focusedPanels([close[0], close[1]], 0, { width: 1920, height: 1080 }, { width: 448, height: 224 })[0]!;
    expect(zoomed.h).toBeLessThan(224);
    expect(zoomed.x + zoomed.w).toBeLessThanOrEqual(340 - (224 / 3.2) * 0.75);
    // A frame where the speaker is not framed is left alone.
    expect(focusedPanels([null, panels[1]], 0, { width: 1920, height: 1080 }, source)).toEqual([null, panels[1]]);
  });

  it('finds the stretch of each frame in time order', () => {
    const stretches = [
      { panel: 0 as const, start: 1, end: 3 },
      { panel: 1 as const, start: 5, end: 6 },
    ];
    const cursor = { i: 0 };
    expect([0.5, 1, 2.9, 3, 5.5, 7].map((t) => focusAt(stretches, t, cursor)?.panel ?? null)).toEqual([null, 0, 0, null, 1, null]);
  });
});
