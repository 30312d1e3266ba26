import { describe, expect, it } from 'vitest';
import { cropPads, cropRect, halfFrameCrop, singleCrop, viewForFace, DEFAULT_FRAMING } from '../../src/geometry/crop';
import { checkOutputSize, defaultOutputSize, panelAspect, panelRects, parseSize, placeCrops } from '../../src/geometry/layout';
import { intersectionOverUnion, rectInside } from '../../src/geometry/rect';
import { squareTiles } from '../../src/geometry/tiles';

describe('layouts', () => {
  it('side-by-side is 1920x1080 with two 960x1080 panels, panel 0 on the left', () => {
    const size = defaultOutputSize('side-by-side');
    expect(size).toEqual({ width: 1920, height: 1080 });
    expect(panelRects('side-by-side', size)).toEqual([
      { x: 0, y: 0, w: 960, h: 1080 },
      { x: 960, y: 0, w: 960, h: 1080 },
    ]);
  });

  it('stacked is 1080x1920 with two 1080x960 panels, panel 0 on top', () => {
    const size = defaultOutputSize('stacked');
    expect(size).toEqual({ width: 1080, height: 1920 });
    expect(panelRects('stacked', size)).toEqual([
      { x: 0, y: 0, w: 1080, h: 960 },
      { x: 0, y: 960, w: 1080, h: 960 },
    ]);
    expect(panelAspect('stacked', size)).toBeCloseTo(1.125);
  });

  it('accepts sizes H.264 4:2:0 can carry for both panels and rejects the rest', () => {
    expect(checkOutputSize('side-by-side', { width: 480, height: 270 })).toBeNull();
    expect(checkOutputSize('stacked', { width: 270, height: 480 })).toBeNull();
    expect(checkOutputSize('side-by-side', { width: 482, height: 270 })).toMatch(/divisible by 4/);
    expect(checkOutputSize('side-by-side', { width: 480, height: 271 })).toMatch(/even/);
    expect(checkOutputSize('stacked', { width: 8, height: 8 })).toMatch(/too small/);
  });

  it('parses WxH', () => {
    expect(parseSize('1280x720')).toEqual({ width: 1280, height: 720 });
    expect(parseSize('1280 by 720')).toBeNull();
  });
});

describe('crops', () => {
  const source = { width: 1920, height: 1080 };

  it('frames a face with the panel aspect, face centred horizontally and in the upper half', () => {
    const face = { x: 900, y: 300, w: 120, h: 150 };
    const crop = cropRect(viewForFace(face), 960 / 1080, source);
    expect(crop.w / crop.h).toBeCloseTo(960 / 1080, 9);
    expect(crop.h).toBeCloseTo(150 * DEFAULT_FRAMING.headroomScale);
    expect(crop.x + crop.w / 2).toBeCloseTo(960);
    const faceCentreY = (375 - crop.y) / crop.h;
    expect(faceCentreY).toBeCloseTo(DEFAULT_FRAMING.faceCentreFromTop);
  });

  it('never leaves the source: shifts a crop in at the edges', () => {
    const crop = cropRect({ cx: 10, cy: 10, h: 400 }, 0.9, source);
    expect(rectInside(crop, { x: 0, y: 0, w: 1920, h: 1080 })).toBe(true);
    expect(crop.w / crop.h).toBeCloseTo(0.9, 9);
  });

  it('pulls a crop larger than the source in to the largest that fits, keeping the aspect', () => {
    const crop = cropRect({ cx: 960, cy: 540, h: 5000 }, 1.125, source);
    expect(crop.h).toBeCloseTo(1080);
    expect(crop.w).toBeCloseTo(1215);
    const wide = cropRect({ cx: 300, cy: 200, h: 900 }, 16 / 9, { width: 640, height: 360 });
    expect(wide).toEqual({ x: 0, y: 0, w: 640, h: 360 });
  });

  it('half-frame crops sit on their side of the source', () => {
    const left = halfFrameCrop(0, 960 / 1080, source);
    const right = halfFrameCrop(1, 960 / 1080, source);
    expect(left.x + left.w / 2).toBeCloseTo(480);
    expect(right.x + right.w / 2).toBeCloseTo(1440);
    expect(rectInside(right, { x: 0, y: 0, w: 1920, h: 1080 })).toBe(true);
  });

  it('intersection over union', () => {
    expect(intersectionOverUnion({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(intersectionOverUnion({ x: 0, y: 0, w: 10, h: 10 }, { x: 20, y: 0, w: 10, h: 10 })).toBe(0);
  });
});

describe('detection tiles', () => {
  it('covers the whole frame with overlapping squares', () => {
    const tiles = squareTiles(1920, 1080, 540, 0.25);
    expect(tiles.length).toBeGreaterThan(4);
    for (const [x, y] of [
      [0, 0],
      [1919, 1079],
      [960, 540],
      [1919, 0],
    ] as const) {
      expect(tiles.some((t) => x >= t.x && x < t.x + t.w && y >= t.y && y < t.y + t.h)).toBe(true);
    }
    for (const t of tiles) expect(rectInside(t, { x: 0, y: 0, w: 1920, h: 1080 })).toBe(true);
    expect(squareTiles(500, 300, 600, 0.25)).toEqual([{ x: 0, y: 0, w: 600, h: 600 }]);
  });
});

describe('close-ups too big for the output', () => {
  const source = { width: 1280, height: 720 };
  const tall = 9 / 16;
  const contains = (outer: { x: number; y: number; w: number; h: number }, inner: typeof outer) =>
    inner.x >= outer.x - 1e-6 && inner.y >= outer.y - 1e-6 && inner.x + inner.w <= outer.x + outer.w + 1e-6 && inner.y + inner.h <= outer.y + outer.h + 1e-6;

  it('a face that fits keeps the usual crop: full height, centred on the face, inside the picture', () => {
    const face = { x: 500, y: 200, w: 300, h: 300 };
    const crop = singleCrop(viewForFace(face), tall, source);
    expect(crop).toEqual(cropRect(viewForFace(face), tall, source));
    expect(crop.h).toBe(720);
    expect(contains(crop, face)).toBe(true);
    expect(cropPads(crop, source)).toBe(false);
  });

  it('a face wider than the tallest crop allows: the crop grows to hold it and pads above and below, centred on the face', () => {
    const face = { x: 400, y: 120, w: 500, h: 500 };
    const crop = singleCrop(viewForFace(face), tall, source);
    expect(crop.w / crop.h).toBeCloseTo(tall, 6);
    expect(contains(crop, face)).toBe(true);
    expect(crop.h).toBeGreaterThan(720);
    expect(crop.x).toBeGreaterThanOrEqual(0);
    expect(crop.x + crop.w).toBeLessThanOrEqual(1280);
    expect(crop.x + crop.w / 2).toBeCloseTo(650, 6);
    expect(cropPads(crop, source)).toBe(true);
  });

  it('places a padded crop: the part inside the picture in the matching part of the panel, nothing stretched', () => {
    const crop = { x: 100, y: -90, w: 506.25, h: 900 };
    const [placed, other] = placeCrops('stacked', { width: 1080, height: 1920 }, [crop, null], source);
    expect(placed.panel).toEqual({ x: 0, y: 0, w: 1080, h: 1920 });
    // 90 px of 900 above the picture, 90 below: a tenth of the panel black at each end.
    expect(placed.fill).toEqual({ x: 0, y: 192, w: 1080, h: 1536 });
    expect(placed.crop!.y).toBeCloseTo(0, 6);
    expect(placed.crop!.h).toBeCloseTo(720, 6);
    expect(placed.crop!.w / placed.crop!.h).toBeCloseTo(placed.fill.w / placed.fill.h, 6);
    expect(other.crop).toBeNull();
    // A crop inside the picture is placed as it is.
    const inside = { x: 100, y: 0, w: 405, h: 720 };
    expect(placeCrops('stacked', { width: 1080, height: 1920 }, [null, inside], source)[1]).toEqual({
      panel: { x: 0, y: 0, w: 1080, h: 1920 },
      fill: { x: 0, y: 0, w: 1080, h: 1920 },
      crop: inside,
    });
  });
});
