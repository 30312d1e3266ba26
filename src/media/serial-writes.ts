// Writes that must happen one after another, in the order given, while the caller goes on: the MP4
// writer's packets and the packet log's groups. The first failure is kept, later writes are skipped,
// and the owner throws it at its next call (as Mediabunny does with encoder errors).
import { abortable } from '../core/abort';

export class SerialWrites {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  /** The first write that failed, or null. */
  failure: unknown = null;

  /** Queues `write` after the others; returns at once. */
  add(write: () => Promise<void>): void {
    this.pending++;
    this.chain = this.chain
      .then(async () => {
        if (!this.failure) await write();
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.pending--);
  }

  /** Waits until at most `max` writes are queued (backpressure); a cancel ends the wait. */
  async below(max: number, signal: AbortSignal): Promise<void> {
    while (this.pending > max) await abortable(this.chain, signal);
  }

  /** Settles once every queued write has. */
  done(): Promise<void> {
    return this.chain;
  }
}
