import { describe, expect, it, vi } from 'vitest';
import { checkEncodable, EncoderFailure, FrameEncoder, type EncoderApi } from '../../src/media/encoder';
import { withEncoderFallback } from '../../src/media/encoder-fallback';
import { EncoderSlots, type Timers } from '../../src/media/encoder-slots';
import { countHardwareEncoders, PROBE_CAP } from '../../src/media/encoder-probe';

type FailureMode = 'none' | 'unsupported' | 'configure' | 'first-encode' | 'mid-stream' | 'after-flush' | 'quota';

/**
 * A fake VideoEncoder with WebCodecs' behaviour where it matters here: the error callback fires
 * asynchronously, the encoder closes itself after an error (later encode() calls throw), flush()
 * rejects once closed, and chunks come out asynchronously. Counts concurrently open hardware encoders.
 */
class FakeCodecs implements EncoderApi {
  openHardware = 0;
  peakHardware = 0;
  constructor(private readonly hardwareFailure: () => FailureMode) {}

  async isConfigSupported(config: VideoEncoderConfig): Promise<VideoEncoderSupport> {
    const supported = !(config.hardwareAcceleration === 'prefer-hardware' && this.hardwareFailure() === 'unsupported');
    return { supported, config };
  }

  create(init: VideoEncoderInit): VideoEncoder {
    // The fake encoder's methods below have a `this` of their own.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const codecs = this;
    let mode: FailureMode = 'none';
    let hardware = false;
    let counted = false;
    let state: CodecState = 'unconfigured';
    let queued = 0;
    let encoded = 0;
    const listeners: (() => void)[] = [];
    const fail = (error: Error) => {
      if (state === 'closed') return;
      close();
      init.error(error as DOMException);
    };
    const close = () => {
      if (state === 'closed') return;
      state = 'closed';
      if (counted) codecs.openHardware--;
    };
    const fake = {
      get state() {
        return state;
      },
      get encodeQueueSize() {
        return queued;
      },
      addEventListener: (_: string, listener: () => void) => listeners.push(listener),
      configure(config: VideoEncoderConfig) {
        hardware = config.hardwareAcceleration === 'prefer-hardware';
        mode = hardware ? codecs.hardwareFailure() : 'none';
        if (mode === 'configure') throw new DOMException('Encoder creation error', 'NotSupportedError');
        state = 'configured';
        if (hardware) {
          counted = true;
          codecs.openHardware++;
          codecs.peakHardware = Math.max(codecs.peakHardware, codecs.openHardware);
        }
      },
      encode(frame: { timestamp: number }) {
        if (state !== 'configured') throw new DOMException('Cannot call encode on a closed codec', 'InvalidStateError');
        queued++;
        const index = encoded++;
        setTimeout(() => {
          if (state !== 'configured') return;
          if (mode === 'first-encode' && index === 0) {
            fail(new DOMException('Encoding error', 'OperationError'));
            return;
          }
          if (mode === 'mid-stream' && index === 20) {
            fail(new DOMException('Encoding error', 'OperationError'));
            return;
          }
          if (mode === 'quota' && index === 10) {
            fail(new DOMException('Codec reclaimed due to inactivity', 'QuotaExceededError'));
            return;
          }
          queued--;
          listeners.forEach((l) => l());
          init.output({ timestamp: frame.timestamp, byteLength: 100 } as EncodedVideoChunk, undefined);
        }, 0);
      },
      async flush() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (state !== 'configured') throw new DOMException('Aborted due to close()', 'AbortError');
        if (mode === 'after-flush') queueMicrotask(() => setTimeout(() => fail(new DOMException('late failure', 'OperationError')), 0));
      },
      close,
    };
    return fake as unknown as VideoEncoder;
  }
}

/** One job's render, reduced to its encoder: 50 frames, returns the chunk time stamps. */
async function encodeJob(codecs: EncoderApi, preference: 'prefer-hardware' | 'prefer-software', frames = 50): Promise<number[]> {
  const chunks: number[] = [];
  const encoder = await FrameEncoder.create(
    'job.mp4',
    { width: 64, height: 64, fps: 30, bitrate: 1e6, hardwareAcceleration: preference },
    (chunk) => chunks.push(chunk.timestamp),
    codecs,
  );
  try {
    for (let i = 0; i < frames; i++) await encoder.encode({ timestamp: i } as unknown as VideoFrame, i === 0, new AbortController().signal);
    await encoder.flush();
  } finally {
    encoder.close();
  }
  return chunks;
}

const expected = Array.from({ length: 50 }, (_, i) => i);

describe('encoder fallback', () => {
  it.each<FailureMode>(['unsupported', 'configure', 'first-encode', 'mid-stream', 'after-flush', 'quota'])(
    'a hardware failure at %s switches the job to software, with the whole output and the reason recorded',
    async (mode) => {
      const codecs = new FakeCodecs(() => mode);
      const slots = new EncoderSlots(2);
      let attempts = 0;
      const outcome = await withEncoderFallback(
        (signal) => slots.acquire(signal),
        (preference) => {
          attempts++;
          return encodeJob(codecs, preference);
        },
        new AbortController().signal,
      );
      expect(outcome.encoder).toBe('software');
      expect(outcome.value).toEqual(expected);
      expect(attempts).toBe(2);
      expect(outcome.fallbacks).toHaveLength(1);
      expect(outcome.fallbacks[0]!.reason).toMatch(/hardware encoder failed/);
      if (mode === 'quota') expect(outcome.fallbacks[0]!.reason).toMatch(/reclaimed/);
      expect(slots.inUse).toBe(0);
      expect(codecs.openHardware).toBe(0);
    },
  );

  it('keeps the hardware encoder when it works', async () => {
    const codecs = new FakeCodecs(() => 'none');
    const slots = new EncoderSlots(1);
    const outcome = await withEncoderFallback(
      (s) => slots.acquire(s),
      (p) => encodeJob(codecs, p),
      new AbortController().signal,
    );
    expect(outcome).toEqual({ value: expected, encoder: 'hardware', fallbacks: [] });
  });

  it('does not retry what is not an encoder failure', async () => {
    const slots = new EncoderSlots(1);
    await expect(
      withEncoderFallback(
        (s) => slots.acquire(s),
        () => Promise.reject(new Error('disk full')),
        new AbortController().signal,
      ),
    ).rejects.toThrow('disk full');
    expect(slots.inUse).toBe(0);
  });

  it('checks before any analysis that the output can be encoded at all, naming the file and the size', async () => {
    const asked: VideoEncoderConfig[] = [];
    const upTo4k: EncoderApi = {
      isConfigSupported: async (config) => (asked.push(config), { supported: config.width * config.height <= 3840 * 2160, config }),
      create: () => {
        throw new Error('unused');
      },
    };
    await expect(checkEncodable('talk.mp4', { width: 3840, height: 2160 }, 30, upTo4k)).resolves.toBeUndefined();
    expect(asked[0]).toMatchObject({ codec: 'avc1.640033', width: 3840, height: 2160, hardwareAcceleration: 'no-preference' });
    await expect(checkEncodable('talk.mp4', { width: 4096, height: 4096 }, 30, upTo4k)).rejects.toThrow(
      'talk.mp4: this browser cannot encode H.264 avc1.64003C at 4096x4096, 30.00 fps, in hardware or software: choose a smaller output',
    );
    await expect(checkEncodable('talk.mp4', { width: 8192, height: 8192 }, 30, upTo4k)).rejects.toThrow(
      'talk.mp4: H.264 has no level for 8192x8192 at 30.00 fps',
    );
  });

  it('a software failure ends the job with the error (no endless retries)', async () => {
    const codecs: EncoderApi = {
      isConfigSupported: async () => ({ supported: false }),
      create: () => {
        throw new Error('unused');
      },
    };
    const slots = new EncoderSlots(0);
    await expect(
      withEncoderFallback(
        (s) => slots.acquire(s),
        (p) => encodeJob(codecs, p),
        new AbortController().signal,
      ),
    ).rejects.toBeInstanceOf(EncoderFailure);
  });

  it('never exceeds the hardware limit across many concurrent jobs with random failures, and every job ends', async () => {
    const random = (() => {
      let s = 42;
      return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    })();
    const modes: FailureMode[] = ['none', 'none', 'none', 'unsupported', 'first-encode', 'mid-stream', 'after-flush', 'quota'];
    const codecs = new FakeCodecs(() => modes[Math.floor(random() * modes.length)]!);
    const slots = new EncoderSlots(2, 5_000);
    const jobs = Array.from({ length: 12 }, () =>
      withEncoderFallback(
        (s) => slots.acquire(s),
        (p) => encodeJob(codecs, p, 30),
        new AbortController().signal,
      ),
    );
    const outcomes = await Promise.all(jobs);
    expect(outcomes).toHaveLength(12);
    for (const o of outcomes) expect(o.value).toHaveLength(30);
    expect(slots.peak).toBeLessThanOrEqual(2);
    expect(codecs.peakHardware).toBeLessThanOrEqual(2);
    expect(slots.peak).toBe(2);
    expect(outcomes.some((o) => o.encoder === 'hardware')).toBe(true);
    expect(slots.inUse).toBe(0);
  });
});

describe('encoder slots', () => {
  function fakeTimers() {
    const pending = new Map<number, () => void>();
    let next = 1;
    const timers: Timers = {
      setTimeout: (callback) => {
        const id = next++;
        pending.set(id, callback);
        return id;
      },
      clearTimeout: (id) => pending.delete(id as number),
    };
    return {
      timers,
      fireAll: () => {
        for (const [id, cb] of [...pending.entries()]) {
          pending.delete(id);
          cb();
        }
      },
    };
  }

  it('hands out at most `limit` hardware slots, then queues, first come first served', async () => {
    const { timers } = fakeTimers();
    const slots = new EncoderSlots(2, 30_000, timers);
    const a = await slots.acquire();
    const b = await slots.acquire();
    expect([a.kind, b.kind]).toEqual(['hardware', 'hardware']);
    const order: string[] = [];
    const c = slots.acquire().then((g) => (order.push('c'), g));
    const d = slots.acquire().then((g) => (order.push('d'), g));
    expect(slots.waiting).toBe(2);
    a.release();
    a.release(); // idempotent
    expect((await c).kind).toBe('hardware');
    expect(slots.inUse).toBe(2);
    b.release();
    expect((await d).kind).toBe('hardware');
    expect(order).toEqual(['c', 'd']);
    expect(slots.peak).toBe(2);
  });

  it('after the wait times out, the job is told to use software, with the reason', async () => {
    const { timers, fireAll } = fakeTimers();
    const slots = new EncoderSlots(1, 30_000, timers);
    await slots.acquire();
    const waiting = slots.acquire();
    fireAll();
    const grant = await waiting;
    expect(grant.kind).toBe('software');
    expect(grant.reason).toBe('no hardware encoder free after 30 s');
    expect(slots.waiting).toBe(0);
  });

  it('limit 0 means software at once; a cancelled wait leaves the queue', async () => {
    expect((await new EncoderSlots(0).acquire()).kind).toBe('software');
    const { timers } = fakeTimers();
    const slots = new EncoderSlots(1, 30_000, timers);
    await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(slots.waiting).toBe(0);
  });

  it('takes a new limit while jobs run: a higher one serves the waiting at once, a lower one lets holders finish', async () => {
    const { timers } = fakeTimers();
    const slots = new EncoderSlots(1, 30_000, timers);
    const a = await slots.acquire();
    const waiting = slots.acquire();
    expect(slots.waiting).toBe(1);
    slots.setLimit(2);
    expect((await waiting).kind).toBe('hardware');
    expect(slots.inUse).toBe(2);
    // Lowered to 1 while two run: both keep theirs; the next job waits until one is given back.
    slots.setLimit(1);
    const third = slots.acquire();
    a.release();
    expect(slots.waiting).toBe(1);
    expect(slots.inUse).toBe(1);
    // Turned off: whoever waits is told to use software at once.
    slots.setLimit(0);
    const grant = await third;
    expect(grant.kind).toBe('software');
    expect(grant.reason).toBe('hardware encoding is turned off (limit 0)');
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new EncoderSlots(1).setLimit(1.5)).toThrow();
    expect(() => new EncoderSlots(-1)).toThrow();
    vi.restoreAllMocks();
  });
});

describe('counting hardware encoders (--encoders auto)', () => {
  const frame = () => ({ timestamp: 0, close: () => undefined }) as unknown as VideoFrame;

  it('opens tiny encoders until one is refused, then closes them all', async () => {
    const codecs: FakeCodecs = new FakeCodecs(() => (codecs.openHardware >= 3 ? 'configure' : 'none'));
    expect(await countHardwareEncoders(codecs, PROBE_CAP, frame)).toBe(3);
    expect(codecs.peakHardware).toBe(3);
    expect(codecs.openHardware).toBe(0);
  });

  it('one that fails on its first frame does not count', async () => {
    const codecs: FakeCodecs = new FakeCodecs(() => (codecs.openHardware >= 2 ? 'first-encode' : 'none'));
    expect(await countHardwareEncoders(codecs, PROBE_CAP, frame)).toBe(2);
    expect(codecs.openHardware).toBe(0);
  });

  it('stops at the cap, and finds none where hardware encoding is not supported', async () => {
    const unlimited = new FakeCodecs(() => 'none');
    expect(await countHardwareEncoders(unlimited, PROBE_CAP, frame)).toBe(8);
    expect(unlimited.openHardware).toBe(0);
    expect(await countHardwareEncoders(new FakeCodecs(() => 'unsupported'), PROBE_CAP, frame)).toBe(0);
  });

  it('slots with none measured tell jobs why', async () => {
    const slots = new EncoderSlots(2);
    slots.setLimit(0, 'this browser opens no hardware H.264 encoder (measured by --encoders auto)');
    const grant = await slots.acquire();
    expect([grant.kind, grant.reason]).toEqual(['software', 'this browser opens no hardware H.264 encoder (measured by --encoders auto)']);
  });
});

describe('a software encoder the browser reclaims', () => {
  const reclaimed = () => new EncoderFailure('talk.mp4: the video encoder failed (the browser reclaimed the encoder)', true);

  it('is opened again, each time said, up to a limit', async () => {
    const slots = new EncoderSlots(0);
    let calls = 0;
    const outcome = await withEncoderFallback(
      (s) => slots.acquire(s),
      async () => {
        if (++calls <= 2) throw reclaimed();
        return 'rendered';
      },
      new AbortController().signal,
    );
    expect(outcome.value).toBe('rendered');
    expect(outcome.fallbacks.map((f) => f.reason)).toEqual([
      'hardware encoding is turned off (limit 0)',
      'software encoder reclaimed by the browser, opened again: talk.mp4: the video encoder failed (the browser reclaimed the encoder)',
      'software encoder reclaimed by the browser, opened again: talk.mp4: the video encoder failed (the browser reclaimed the encoder)',
    ]);
    const always = withEncoderFallback(
      (s) => slots.acquire(s),
      async () => Promise.reject(reclaimed()),
      new AbortController().signal,
    );
    await expect(always).rejects.toThrow(/reclaimed/);
  });

  it('other software failures are not retried', async () => {
    let calls = 0;
    const failing = withEncoderFallback(
      (s) => new EncoderSlots(0).acquire(s),
      async () => {
        calls++;
        throw new EncoderFailure('talk.mp4: the video encoder failed (OperationError)');
      },
      new AbortController().signal,
    );
    await expect(failing).rejects.toThrow(/OperationError/);
    expect(calls).toBe(1);
  });
});
