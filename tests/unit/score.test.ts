import { describe, expect, it } from 'vitest';
import { comparePasses, containedShare, parseDarkLabelCsv, parseDlibXml, scoreDetections, scoreFraming } from '../../tools/scoring';
import type { TracksFile } from '../../src/framing/tracks-file';
import type { Rect } from '../../src/geometry/rect';

function tracks(panels: [Rect | null, Rect | null][], shots?: number[]): TracksFile {
  return {
    version: 1,
    source: { file: 's.mp4', width: 1000, height: 500, frames: panels.length, fps: 30 },
    output: { file: 'o.mp4', width: 400, height: 200, layout: 'side-by-side' },
    ...(shots ? { shots } : {}),
    frames: panels.map((p, i) => ({ t: i / 30, panels: p })),
  };
}

describe('scoring tool', () => {
  it('reads DarkLabel CSV (header optional) and dlib XML (ignored boxes left out)', () => {
    expect(parseDarkLabelCsv('frame,label,id,x1,y1,x2,y2,flag\n3,face,7,10,20,30,60,0\n\n4,face,7,11,20,31,60,0')).toEqual([
      { frame: 3, id: 'face:7', box: { x: 10, y: 20, w: 20, h: 40 } },
      { frame: 4, id: 'face:7', box: { x: 11, y: 20, w: 20, h: 40 } },
    ]);
    expect(() => parseDarkLabelCsv('0,face,1,a,b,c,d')).toThrow(/not numbers/);
    const xml =
      "<images><image file='a.jpg'><box top='1' left='2' width='3' height='4'/><box top='5' left='6' width='7' height='8' ignore='1'/></image></images>";
    expect(parseDlibXml(xml).get('a.jpg')).toEqual([{ x: 2, y: 1, w: 3, h: 4 }]);
  });

  it('measures containment, swaps, centring and jitter', () => {
    // Person a sits left, b right; the crops follow them, except frames 4-5 where the panels swap.
    const left = { x: 0, y: 0, w: 200, h: 200 };
    const right = { x: 500, y: 0, w: 200, h: 200 };
    const frames: [Rect | null, Rect | null][] = Array.from({ length: 10 }, (_, i) => (i === 4 || i === 5 ? [right, left] : [left, right]));
    const truth = Array.from({ length: 10 }, (_, frame) => [
      { frame, id: 'face:a', box: { x: 80, y: 50, w: 40, h: 40 } },
      { frame, id: 'face:b', box: { x: 580, y: 50, w: 40, h: 40 } },
    ]).flat();
    const score = scoreFraming(tracks(frames), truth);
    expect(score.people).toEqual([
      { id: 'face:a', panel: 0, frames: 10 },
      { id: 'face:b', panel: 1, frames: 10 },
    ]);
    expect(score.containment).toBeCloseTo(0.8);
    expect(score.swaps).toBe(4); // each person: into the other panel and back
    expect(score.medianCentreOffset).toBeCloseTo(0);
    expect(score.truthJitter).toBe(0);
    expect(score.jitter).toBeGreaterThan(0);
  });

  it('leaves cuts out of the jitter and counts a full-width crop for whoever is in it', () => {
    const a = { x: 0, y: 0, w: 200, h: 100 };
    const b = { x: 300, y: 0, w: 200, h: 100 };
    const score = scoreFraming(
      tracks(
        [
          [a, null],
          [a, null],
          [b, null],
          [b, null],
        ],
        [0, 2],
      ),
      [0, 1, 2, 3].map((frame) => ({ frame, id: 'x:1', box: frame < 2 ? { x: 50, y: 10, w: 20, h: 20 } : { x: 350, y: 10, w: 20, h: 20 } })),
    );
    expect(score.containment).toBe(1);
    expect(score.jitter).toBe(0);
  });

  it('counts a frame with one crop for the person it shows: a close-up of either is no swap; a shot that misses someone is named', () => {
    // Shot 0 (frames 0-1): both, a left and b right. Shot 1 (2-3): a close-up of b, its crop in
    // panel 0. Shot 2 (4-5): a close-up of a, crop in panel 1. Shot 3 (6-7): both again, but the
    // frame shows only a (b sits outside the one crop).
    const left = { x: 0, y: 0, w: 200, h: 200 };
    const right = { x: 500, y: 0, w: 200, h: 200 };
    const whole = { x: 0, y: 0, w: 1000, h: 500 };
    const frames: [Rect | null, Rect | null][] = [
      [left, right],
      [left, right],
      [whole, null],
      [whole, null],
      [null, whole],
      [null, whole],
      [left, null],
      [left, null],
    ];
    const small = (x: number) => ({ x, y: 50, w: 40, h: 40 });
    const big = { x: 400, y: 100, w: 200, h: 200 };
    const truth = [
      ...[0, 1, 6, 7].flatMap((frame) => [
        { frame, id: 'face:a', box: small(80) },
        { frame, id: 'face:b', box: small(580) },
      ]),
      ...[2, 3].map((frame) => ({ frame, id: 'face:b', box: big })),
      ...[4, 5].map((frame) => ({ frame, id: 'face:a', box: big })),
    ];
    const score = scoreFraming(tracks(frames, [0, 2, 4, 6]), truth);
    expect(score.people.map((p) => [p.id, p.panel])).toEqual([
      ['face:a', 0],
      ['face:b', 1],
    ]);
    expect(score.swaps).toBe(0);
    expect(score.containment).toBeCloseTo(10 / 12);
    expect(score.shotsMissed).toEqual([{ id: 'face:b', shot: 3, frames: 2, contained: 0 }]);
  });

  it('counts a face as found when a detection centre lies in its box', () => {
    expect(
      scoreDetections(
        [
          { x: 0, y: 0, w: 10, h: 10 },
          { x: 50, y: 0, w: 10, h: 10 },
        ],
        [
          { x: 2, y: 2, w: 6, h: 6 },
          { x: 200, y: 0, w: 5, h: 5 },
        ],
      ),
    ).toEqual({
      truthBoxes: 2,
      found: 1,
      recall: 0.5,
      extra: 1,
    });
    expect(containedShare({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(0.5);
  });
});

describe('one pass against two passes', () => {
  const tracksOf = (panels: [Rect | null, Rect | null][]): TracksFile => ({
    version: 1,
    source: { file: 'x.mp4', width: 640, height: 360, frames: panels.length, fps: 25 },
    output: { file: 'x.dualface.mp4', width: 540, height: 960, layout: 'stacked' },
    frames: panels.map((p, i) => ({ t: i / 25, panels: p })),
  });
  const left: Rect = { x: 100, y: 0, w: 200, h: 180 };
  const right: Rect = { x: 340, y: 0, w: 200, h: 180 };
  const whole: Rect = { x: 220, y: 0, w: 200, h: 360 };

  it('counts the split screens of each and the frames framed alike', () => {
    const one = tracksOf([
      [left, right],
      [left, right],
      [whole, null],
      [left, right],
    ]);
    const two = tracksOf([
      [left, right],
      [right, left],
      [null, { ...whole, x: 230 }],
      [whole, null],
    ]);
    expect(comparePasses(one, two)).toEqual({ frames: 4, twoCrops: [3, 2], same: 2 });
  });
});
