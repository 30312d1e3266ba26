// Hardware encoder slots, shared by every job of a run. Consumer NVIDIA GPUs allow only a few NVENC
// sessions per system (shared with other programs), and Chrome gives no event when it silently
// swaps in a software encoder, so we hand out at most `limit` hardware slots; a job that waits
// longer than `waitMs` for one is told to use software instead. Pure: unit-tested with fake timers.

export type EncoderKind = 'hardware' | 'software';

export interface SlotGrant {
  kind: EncoderKind;
  /** Why this is not a hardware slot (null for hardware). */
  reason: string | null;
  /** Idempotent. */
  release(): void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  grant: (kind: EncoderKind, reason: string | null) => void;
  timer: unknown;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`encoder limit must be a whole number ≥ 0 (got ${limit})`);
  return limit;
}

export class EncoderSlots {
  private used = 0;
  private peakUsed = 0;
  private readonly queue: Waiter[] = [];

  private max: number;
  /** Said to jobs while the limit is 0. */
  private whyNone = 'hardware encoding is turned off (limit 0)';

  constructor(
    limit: number,
    readonly waitMs = 30_000,
    private readonly timers: Timers = realTimers,
  ) {
    this.max = checkLimit(limit);
  }

  /** Hardware encoders allowed at once. */
  get limit(): number {
    return this.max;
  }

  /**
   * A new limit, from now on, also while jobs run: a higher one hands slots to waiting jobs at once;
   * a lower one lets running jobs keep theirs until they give them back.
   */
  setLimit(limit: number, whyNone = 'hardware encoding is turned off (limit 0)'): void {
    this.max = checkLimit(limit);
    this.whyNone = whyNone;
    if (this.max === 0) {
      for (const waiter of this.queue.splice(0)) {
        this.timers.clearTimeout(waiter.timer);
        waiter.grant('software', this.whyNone);
      }
    }
    this.handOver();
  }

  /** Hardware encoders in use now. */
  get inUse(): number {
    return this.used;
  }

  /** The most hardware encoders ever in use at once. */
  get peak(): number {
    return this.peakUsed;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** A hardware slot when one is free (or frees up within waitMs), else a software grant. */
  acquire(signal?: AbortSignal): Promise<SlotGrant> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.max === 0) return Promise.resolve(this.softwareGrant(this.whyNone));
    if (this.used < this.max) return Promise.resolve(this.hardwareGrant());
    return new Promise<SlotGrant>((resolve, reject) => {
      const waiter: Waiter = {
        timer: null,
        grant: (kind, reason) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(kind === 'hardware' ? this.hardwareGrant() : this.softwareGrant(reason ?? 'no hardware encoder'));
        },
      };
      const leave = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        this.timers.clearTimeout(waiter.timer);
      };
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      waiter.timer = this.timers.setTimeout(() => {
        leave();
        waiter.grant('software', `no hardware encoder free after ${Math.round(this.waitMs / 1000)} s`);
      }, this.waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private hardwareGrant(): SlotGrant {
    this.used++;
    this.peakUsed = Math.max(this.peakUsed, this.used);
    let released = false;
    return {
      kind: 'hardware',
      reason: null,
      release: () => {
        if (released) return;
        released = true;
        this.used--;
        this.handOver();
      },
    };
  }

  private softwareGrant(reason: string): SlotGrant {
    return { kind: 'software', reason, release: () => undefined };
  }

  /** A freed slot goes to the longest-waiting job. */
  private handOver(): void {
    while (this.used < this.max && this.queue.length > 0) {
      const waiter = this.queue.shift()!;
      this.timers.clearTimeout(waiter.timer);
      waiter.grant('hardware', null);
    }
  }
}
