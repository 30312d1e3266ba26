// Page side of the worker protocol: one lazily started worker, typed requests, abort that really stops.
import { EncoderSlots, type SlotGrant } from '../media/encoder-slots';
import { DualFaceError, deserializeError } from '../core/errors';
import type { FromWorker, JobProgress, JobResult, JobSpec, ToWorker } from './protocol';

type Pending = {
  resolve: (value: FromWorker) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: JobProgress) => void;
};

/** Grace for a cancelled job to clean up (remove its partial output) before its worker is killed. */
const CANCEL_GRACE_MS = 3000;

export class JobWorker {
  private worker: Worker | null = null;
  /** Slots this worker holds or waits for, by the worker's slot id. */
  private readonly slots = new Map<number, { grant: SlotGrant | null; abort: AbortController }>();

  constructor(private readonly encoderSlots: EncoderSlots = new EncoderSlots(0)) {}
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private get instance(): Worker {
    if (!this.worker) {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dualface-job' });
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.receive(event.data));
      worker.addEventListener('error', (event) => this.failAll(new DualFaceError('WorkerLostError', `the job worker crashed (${event.message})`)));
      this.worker = worker;
    }
    return this.worker;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'slot-request') {
      const abort = new AbortController();
      this.slots.set(message.slotId, { grant: null, abort });
      this.encoderSlots.acquire(abort.signal).then(
        (grant) => {
          const entry = this.slots.get(message.slotId);
          if (!entry || !this.worker) {
            grant.release();
            return;
          }
          entry.grant = grant;
          this.worker.postMessage({ type: 'slot-grant', slotId: message.slotId, kind: grant.kind, reason: grant.reason } satisfies ToWorker);
        },
        () => undefined,
      );
      return;
    }
    if (message.type === 'slot-release') {
      this.releaseSlot(message.slotId);
      return;
    }
    const pending = this.pending.get(message.requestId);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.requestId);
    if (message.type === 'error') pending.reject(deserializeError(message.error));
    else pending.resolve(message);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.terminate();
  }

  private request(
    message: Extract<ToWorker, { requestId: number }>,
    transfer: Transferable[],
    pending: Omit<Pending, 'resolve' | 'reject'> = {},
  ): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(message.requestId, { resolve, reject, ...pending });
      this.instance.postMessage(message, transfer);
    });
  }

  async run(spec: JobSpec, onProgress: (progress: JobProgress) => void, signal: AbortSignal): Promise<JobResult> {
    signal.throwIfAborted();
    const requestId = this.nextId++;
    const reply = this.request({ type: 'run', requestId, spec }, [], { onProgress });
    const onAbort = () => {
      this.worker?.postMessage({ type: 'cancel', requestId } satisfies ToWorker);
      setTimeout(() => {
        if (this.pending.has(requestId)) this.failAll(new DualFaceError('AbortError', 'cancelled'));
      }, CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const message = await reply;
      if (message.type !== 'done') throw new DualFaceError('InternalError', `unexpected reply ${message.type}`);
      return message.result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private releaseSlot(slotId: number): void {
    const entry = this.slots.get(slotId);
    if (!entry) return;
    this.slots.delete(slotId);
    entry.abort.abort();
    entry.grant?.release();
  }

  /** Idempotent. A terminated worker's encoder slots are given back. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const slotId of [...this.slots.keys()]) this.releaseSlot(slotId);
  }
}
