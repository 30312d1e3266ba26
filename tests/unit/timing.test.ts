import { describe, expect, it } from 'vitest';
import { avcCodecString, detectionDue, frameRateFromTimes, keyFrameDue, microsToSeconds, nearestIndex, secondsToMicros } from '../../src/core/timing';

describe('time stamps', () => {
  it('converts between seconds and WebCodecs microseconds without drift', () => {
    expect(secondsToMicros(0.852019)).toBe(852019);
    expect(microsToSeconds(secondsToMicros(1234.567891))).toBeCloseTo(1234.567891, 9);
  });

  it('asks for a key frame every 2 s of presentation time', () => {
    const times = Array.from({ length: 151 }, (_, i) => i / 30);
    let last: number | null = null;
    const keys: number[] = [];
    for (const t of times) {
      if (keyFrameDue(t, last)) {
        keys.push(t);
        last = t;
      }
    }
    expect(keys.map((t) => Math.round(t * 30))).toEqual([0, 60, 120]);
  });

  it('picks the lowest H.264 High level from 4.0 that holds the frame size and rate', () => {
    const hd = { width: 1920, height: 1080 };
    expect(avcCodecString(hd, 29.97)).toBe('avc1.640028');
    expect(avcCodecString(hd, 30)).toBe('avc1.640028');
    expect(avcCodecString({ width: 1080, height: 1920 }, 30)).toBe('avc1.640028');
    expect(avcCodecString(hd, 59.94)).toBe('avc1.64002A');
    expect(avcCodecString({ width: 480, height: 270 }, 12)).toBe('avc1.640028');
    // Above 1080p: 1440p30 5.0, 2160p30 5.1, 2160p60 5.2, a 4096x4096 square 6.0 (past 5.x's frame size).
    expect(avcCodecString({ width: 2560, height: 1440 }, 30)).toBe('avc1.640032');
    expect(avcCodecString({ width: 3840, height: 2160 }, 30)).toBe('avc1.640033');
    expect(avcCodecString({ width: 3840, height: 2160 }, 60)).toBe('avc1.640034');
    expect(avcCodecString({ width: 4096, height: 4096 }, 30)).toBe('avc1.64003C');
    // Nothing holds 8192x8192 (a side of 512 macroblocks; level 6 allows 1,055 but 262,144 in all).
    expect(avcCodecString({ width: 8192, height: 8192 }, 30)).toBeNull();
  });

  it('finds the frame rate from presentation times, ignoring a stray gap', () => {
    const times = Array.from({ length: 100 }, (_, i) => (i * 1001) / 30000);
    times.push(times[times.length - 1]! + 1);
    expect(frameRateFromTimes(times)).toBeCloseTo(29.97, 2);
    expect(frameRateFromTimes([0])).toBe(30);
  });

  it('finds the nearest time', () => {
    const times = [0, 0.04, 0.08, 0.12];
    expect(nearestIndex(times, 0.05)).toBe(1);
    expect(nearestIndex(times, 0.07)).toBe(2);
    expect(nearestIndex(times, -1)).toBe(0);
    expect(nearestIndex(times, 9)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it('detects a few times a second', () => {
    let last: number | null = null;
    let count = 0;
    for (let i = 0; i < 300; i++) {
      const t = i / 30;
      if (detectionDue(t, last, 4)) {
        count++;
        last = t;
      }
    }
    expect(count).toBeGreaterThanOrEqual(39);
    expect(count).toBeLessThanOrEqual(41);
  });
});
