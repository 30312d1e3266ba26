import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/framing/timeline';

describe('timeline with cut spans', () => {
  it('drops what is inside a span and moves what follows earlier by its length', () => {
    const timeline = new Timeline([
      [5, 8],
      [2, 3],
    ]);
    expect(timeline.outputTime(1)).toBe(1);
    expect(timeline.outputTime(2)).toBeNull();
    expect(timeline.outputTime(2.999)).toBeNull();
    expect(timeline.outputTime(3)).toBe(2);
    expect(timeline.outputTime(6)).toBeNull();
    expect(timeline.outputTime(9)).toBe(5);
    expect(timeline.removedSeconds).toBe(4);
  });

  it('merges overlapping spans and ignores empty ones', () => {
    const timeline = new Timeline([
      [1, 3],
      [2, 4],
      [6, 6],
    ]);
    expect(timeline.removedSeconds).toBe(3);
    expect(timeline.outputTime(7)).toBe(4);
    expect(new Timeline().isIdentity).toBe(true);
  });
});
