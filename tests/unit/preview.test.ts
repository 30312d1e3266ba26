// The review's preview, keyboard and undo: pure logic.
import { describe, expect, it } from 'vitest';
import { addNudge, applyNudges, shotOfFrame } from '../../src/framing/edits';
import { plan } from '../../src/framing/plan';
import { draggedCrop, frameIndexAt, previewPanels } from '../../src/app/preview/geometry';
import { History } from '../../src/app/preview/history';
import { keyAction } from '../../src/app/preview/keys';
import { face, samples, talk } from './synthetic';
import type { JobStatus } from '../../src/app/jobs';

/** Where a transform `translate(a, b) scale(k)` puts a source point. */
function mapped(transform: string, x: number, y: number): [number, number] {
  const [, a, b, k] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform)!.map(Number);
  return [a! + k! * x, b! + k! * y];
}

describe('preview geometry', () => {
  it('maps each crop onto its panel, as the compositor places it', () => {
    const crops = [
      { x: 100, y: 50, w: 480, h: 540 },
      { x: 1200, y: 100, w: 480, h: 540 },
    ] as const;
    const [left, right] = previewPanels('side-by-side', { width: 1920, height: 1080 }, crops, 0.25);
    expect(left.box).toEqual({ x: 0, y: 0, w: 240, h: 270 });
    expect(right.box).toEqual({ x: 240, y: 0, w: 240, h: 270 });
    // The crop's corners land on the panel's corners (within the box's own coordinates).
    expect(mapped(left.transform!, 100, 50)).toEqual([0, 0]);
    const [x, y] = mapped(right.transform!, 1680, 640);
    expect(x).toBeCloseTo(240, 1);
    expect(y).toBeCloseTo(270, 1);
  });

  it('one crop fills the whole output (focus, one person); none shows black', () => {
    const crop = { x: 0, y: 0, w: 960, h: 540 };
    const [whole, empty] = previewPanels('stacked', { width: 1080, height: 1920 }, [crop, null], 0.5);
    expect(whole.box).toEqual({ x: 0, y: 0, w: 540, h: 960 });
    expect(empty.transform).toBeNull();
    expect(previewPanels('stacked', { width: 1080, height: 1920 }, [null, null], 0.5).every((p) => p.transform === null)).toBe(true);
  });

  it('finds the frame shown at a time by bisection', () => {
    const times = [0, 0.04, 0.08, 0.12];
    const at = (t: number) => frameIndexAt((i) => times[i]!, times.length, t);
    expect([at(-1), at(0), at(0.039), at(0.04), at(0.1), at(9)]).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('turns a drag on the source view into source pixels', () => {
    expect(draggedCrop({ x: 100, y: 100, w: 200, h: 200 }, 10, -5, 0.5)).toEqual({ x: 120, y: 90, w: 200, h: 200 });
  });
});

describe('edits from a frame to the end of the shot', () => {
  it('leave the frames before it as they were', () => {
    const tracks = plan({ ...talk(4), samples: samples(4, 4, () => [face(500, 420, 180), face(1400, 400, 180)]), cuts: [2] }).tracks;
    const from = tracks.shots![1]! + 10;
    expect([shotOfFrame(tracks, tracks.shots![1]! - 1), shotOfFrame(tracks, tracks.shots![1]!), shotOfFrame(tracks, from)]).toEqual([0, 1, 1]);
    const nudged = applyNudges(tracks, addNudge([], { shot: 1, panel: 1, dx: 0.1, dy: 0, zoom: 1, from }));
    expect(nudged.frames[from - 1]).toEqual(tracks.frames[from - 1]);
    expect(nudged.frames[from]!.panels[1]!.x).toBeGreaterThan(tracks.frames[from]!.panels[1]!.x);
    // Merged only with an edit from the same frame.
    expect(addNudge(addNudge([], { shot: 1, panel: 1, dx: 0.1, dy: 0, zoom: 1, from }), { shot: 1, panel: 1, dx: 0.1, dy: 0, zoom: 1 })).toHaveLength(2);
  });
});

describe('undo and redo', () => {
  it('walk back and forth over whole states; a new edit drops what was undone', () => {
    const h = new History('a');
    h.push('b');
    h.push('c');
    expect([h.undo(), h.undo(), h.undo()]).toEqual(['b', 'a', null]);
    expect(h.redo()).toBe('b');
    h.push('d');
    expect([h.canRedo, h.current, h.undo()]).toEqual([false, 'd', 'b']);
  });
});

describe('keys', () => {
  const press = (key: string, shiftKey = false, ctrlKey = false) => keyAction({ key, shiftKey, ctrlKey, metaKey: false, altKey: false });
  it('are those editors know', () => {
    expect(press(' ')).toEqual({ kind: 'play-pause' });
    expect([press('j'), press('k'), press('L')]).toEqual([
      { kind: 'shuttle', direction: -1 },
      { kind: 'shuttle', direction: 0 },
      { kind: 'shuttle', direction: 1 },
    ]);
    expect([press('ArrowLeft'), press('ArrowRight', true)]).toEqual([
      { kind: 'step-frames', frames: -1 },
      { kind: 'step-seconds', seconds: 1 },
    ]);
    expect([press('['), press(']')]).toEqual([
      { kind: 'shot', direction: -1 },
      { kind: 'shot', direction: 1 },
    ]);
    expect([press('z'), press('Z', true), press('z', false, true)]).toEqual([{ kind: 'undo' }, { kind: 'redo' }, { kind: 'undo' }]);
    expect([press('?'), press('a'), press('l', false, true)]).toEqual([{ kind: 'help' }, null, null]);
  });
});

describe('the settings in one line', () => {
  it('says the layout, size, quality and review, then what is on beyond the defaults', async () => {
    const { DEFAULT_SETTINGS, settingsSummary } = await import('../../src/app/settings');
    expect(settingsSummary(DEFAULT_SETTINGS)).toBe('Side by side 1920x1080 · quality auto · review on');
    expect(
      settingsSummary({
        ...DEFAULT_SETTINGS,
        layout: 'stacked',
        size: { width: 1080, height: 1920 },
        bitrateMbps: 8,
        review: false,
        speech: true,
        speakerHighlight: true,
      }),
    ).toBe('Stacked 1080x1920 · quality 8 Mbit/s · review off · speaker highlighted');
  });
});

describe('the job list in one line', () => {
  it('counts the videos by what they are doing', async () => {
    const { listSummary } = await import('../../src/app/jobs');
    const jobs: { status: JobStatus }[] = [
      ...Array<{ status: 'done' }>(12).fill({ status: 'done' }),
      { status: 'rendering' },
      { status: 'rendering' },
      ...Array<{ status: 'queued' }>(6).fill({ status: 'queued' }),
    ];
    expect(listSummary(jobs)).toBe('20 videos: 12 done, 2 rendering, 6 waiting');
  });
});

describe('zooming by the crop’s corner', () => {
  it('follows the pointer along the diagonal, about the centre', async () => {
    const { cornerZoom, zoomedCrop } = await import('../../src/app/preview/geometry');
    const crop = { x: 100, y: 100, w: 300, h: 400 };
    // Outwards by a quarter of the half-diagonal (250 px) at scale 1: zoom 0.8, the crop 25 % larger.
    const out = cornerZoom(crop, 0.25 * 250 * 0.6, 0.25 * 250 * 0.8, 1);
    expect(out).toBeCloseTo(0.8, 5);
    expect(zoomedCrop(crop, out)).toEqual({ x: 62.5, y: 50, w: 375, h: 500 });
    expect(cornerZoom(crop, -1000, -1000, 1)).toBe(4);
    expect(cornerZoom(crop, 0, 0, 1)).toBe(1);
  });
});
