import { describe, expect, it } from 'vitest';
import { tracksFileProblem, tracksMismatch, tracksSizeProblem, tracksTextProblem, type TracksFile } from '../../src/framing/tracks-file';

// 640x360 source, side by side 1920x1080: panels of aspect 960/1080.
function tracks(panels: TracksFile['frames'][number]['panels'][]): TracksFile {
  return {
    version: 1,
    source: { file: 'talk.mp4', width: 640, height: 360, frames: panels.length, fps: 30 },
    output: { file: 'talk.dualface.mp4', width: 1920, height: 1080, layout: 'side-by-side' },
    frames: panels.map((p, i) => ({ t: i / 30, panels: p })),
  };
}
const left = { x: 10, y: 0, w: 320, h: 360 };
const right = { x: 310, y: 0, w: 320, h: 360 };

describe('tracks file checks', () => {
  it('accepts crops inside the source, to the edge', () => {
    expect(
      tracksFileProblem(
        tracks([
          [left, right],
          [
            { x: 0, y: 0, w: 320, h: 360 },
            { x: 320, y: 0, w: 320, h: 360 },
          ],
        ]),
      ),
    ).toBeNull();
  });

  it.each([
    [{ x: 5000, y: 0, w: 320, h: 360 }, /frame 1: a crop reaches 4680 px past the right edge of the 640x360 source/],
    [{ x: -40, y: 0, w: 320, h: 360 }, /40 px past the left edge/],
    [{ x: 10, y: 300, w: 320, h: 360 }, /300 px past the bottom edge/],
  ])('refuses a crop outside the source: %j', (crop, message) => {
    expect(
      tracksFileProblem(
        tracks([
          [left, right],
          [left, crop],
        ]),
      ),
    ).toMatch(message);
  });

  it('lets a padded shot (listed in "padded") reach outside the source, and only that shot', () => {
    // A close-up whose face is too big: one crop of the output's 16:9 aspect, larger than the source.
    const padded = { x: -35.56, y: -20, w: 711.11, h: 400 };
    const file = {
      ...tracks([
        [left, right],
        [padded, null],
        [padded, null],
      ]),
      shots: [0, 1],
    };
    expect(tracksFileProblem(file)).toMatch(/frame 1: a crop reaches 36 px past the left edge of the 640x360 source, in a shot not listed in "padded"/);
    expect(tracksFileProblem({ ...file, padded: [1] })).toBeNull();
    expect(tracksFileProblem({ ...file, padded: [0] })).toMatch(/frame 1/);
    expect(tracksFileProblem({ ...file, padded: [2] })).toMatch(/"padded" must list shot indexes/);
    expect(
      tracksFileProblem({
        ...tracks([
          [left, right],
          [{ x: 700, y: 0, w: 640, h: 360 }, null],
        ]),
        shots: [0, 1],
        padded: [1],
      }),
    ).toMatch(/wholly outside/);
  });

  it('says when a tracks file was made for another video', () => {
    const file = tracks([
      [left, right],
      [left, right],
    ]);
    expect(tracksMismatch(file, { sizes: [{ width: 640, height: 360 }], frames: 2 })).toBeNull();
    expect(tracksMismatch(file, { sizes: [{ width: 480, height: 270 }], frames: 2 })).toBe('it was made for a 640x360 video; this one is 480x270');
    expect(tracksMismatch(file, { sizes: [{ width: 640, height: 360 }], frames: 56 })).toBe('it was made for a video of 2 frames; this one has 56');
    // Either way the video may describe its picture (coded or square-pixel size).
    expect(
      tracksMismatch(file, {
        sizes: [
          { width: 720, height: 360 },
          { width: 640, height: 360 },
        ],
        frames: 2,
      }),
    ).toBeNull();
  });

  it('says when the frames listed are not the frames of the video', () => {
    const file = {
      ...tracks([
        [left, right],
        [left, right],
      ]),
      source: { file: 'talk.mp4', width: 640, height: 360, fps: 30 },
    } as unknown as TracksFile;
    expect(tracksMismatch(file, { sizes: [{ width: 640, height: 360 }], frames: 4 })).toBe('it lists 2 frames; this video has 4');
    // With spans cut out (trim-empty) fewer frames are listed, never more.
    const trimmed = { ...file, trimmed: [[0, 0.05]] } as TracksFile;
    expect(tracksMismatch(trimmed, { sizes: [{ width: 640, height: 360 }], frames: 4 })).toBeNull();
    expect(tracksMismatch(trimmed, { sizes: [{ width: 640, height: 360 }], frames: 1 })).toBe('it lists 2 frames; this video has 1');
  });

  it('refuses, before parsing, what cannot be a tracks file: no object, nested too deep', () => {
    expect(tracksTextProblem(JSON.stringify(tracks([[left, right]])))).toBeNull();
    expect(tracksTextProblem('  [1, 2]')).toBe('not a JSON object');
    expect(tracksTextProblem(`{"a": ${'['.repeat(9)}${']'.repeat(9)}}`)).toBe('nested more than 8 levels deep (a tracks file nests 5)');
    // Brackets inside strings do not count.
    expect(tracksTextProblem(`{"file": "${'['.repeat(20)}\\"[[[["}`)).toBeNull();
  });

  it('refuses a tracks file far larger than its frames need', () => {
    expect(tracksSizeProblem(200_000, 56)).toBeNull();
    expect(tracksSizeProblem(50_000_000, 56)).toBe('50.0 MB, far more than its 56 frames need');
  });
});
