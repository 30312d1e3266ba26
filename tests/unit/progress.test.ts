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
