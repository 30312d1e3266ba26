import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine } from '../../src/cli/progress';

describe('progress line', () => {
  it('shows a bar, the percentage, the speed and the time left', () => {
    const line = progressLine('[1/2]', 'talk.mp4', { phase: 'rendering', framesDone: 450, framesTotal: 1800, fps: 90 }, 20);
    expect(line).toBe('[1/2] talk.mp4: rendering [#####---------------] 25% 450/1800 frames, 90.0 fps, 0:15 left');
  });

  it('says no time left before it knows a speed, and never goes past full', () => {
    expect(progressLine('[1/1]', 'a.mp4', { phase: 'analysing', framesDone: 0, framesTotal: 300, fps: 0 }, 4)).toBe(
      '[1/1] a.mp4: analysing [----] 0% 0/300 frames, 0.0 fps',
    );
    expect(progressLine('[1/1]', 'a.mp4', { phase: 'analysing', framesDone: 320, framesTotal: 300, fps: 10 }, 4)).toContain('[####] 100%');
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect([formatDuration(75), formatDuration(3725), formatDuration(0)]).toEqual(['1:15', '1:02:05', '0:00']);
  });
});

describe("a resumed render's rate and time left", () => {
  it("count only this run's frames, from its first frame out", async () => {
    const { renderRate } = await import('../../src/job/render');
    // A 3-hour job resumed at frame 300,000 of 324,000: 30 s of seeking and set-up, then 60 fps.
    const firstOut = 30_000;
    const fps = renderRate(601, firstOut, firstOut + 10_000);
    expect(fps).toBe(60);
    const line = progressLine('[1/1]', 'talk.mp4', { phase: 'rendering', framesDone: 300_000 + 601, framesTotal: 324_000, fps });
    expect(line).toContain('60.0 fps, 6:30 left');
    expect(renderRate(1, firstOut, firstOut)).toBe(0);
  });
});
