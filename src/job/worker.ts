/// <reference lib="webworker" />
// The job worker: runs jobs off the main thread (face detection in a worker of its own); speaks only the protocol.
import { DualFaceError, serializeError } from '../core/errors';
import { DetectorPool } from '../detect/client';
import { runJob } from './job';
import type { EncoderKind, SlotGrant } from '../media/encoder-slots';
import type { FromWorker, ToWorker } from './protocol';
import { appBaseUrl } from '../core/app-base';

declare const self: DedicatedWorkerGlobalScope;

const baseUrl = appBaseUrl(self.location.href);

// Encoder slots live on the page; a job asks for one by message.
let nextSlotId = 1;
const slotWaiters = new Map<number, (grant: { kind: EncoderKind; reason: string | null }) => void>();

function acquireSlot(signal: AbortSignal): Promise<SlotGrant> {
  const slotId = nextSlotId++;
  const release = () => post({ type: 'slot-release', slotId });
  return new Promise<SlotGrant>((resolve, reject) => {
    const onAbort = () => {
      slotWaiters.delete(slotId);
      release();
      reject(signal.reason);
    };
    slotWaiters.set(slotId, ({ kind, reason }) => {
      signal.removeEventListener('abort', onAbort);
      let released = false;
      resolve({
        kind,
        reason,
        release: () => {
          if (released) return;
          released = true;
          release();
        },
      });
    });
    signal.addEventListener('abort', onAbort, { once: true });
    post({ type: 'slot-request', slotId });
  });
}
const running = new Map<number, AbortController>();
// Face detection runs in workers of its own, started on first use and kept for later jobs.
let detectorPool: DetectorPool | null = null;

function detector(): DetectorPool {
  detectorPool ??= new DetectorPool();
  return detectorPool;
}

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'run': {
      const controller = new AbortController();
      running.set(message.requestId, controller);
      let lastProgress = 0;
      runJob(message.spec, {
        baseUrl,
        signal: controller.signal,
        detector,
        acquireSlot,
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastProgress < 200) return;
          lastProgress = now;
          post({ type: 'progress', requestId: message.requestId, progress });
        },
      })
        .then((result) => post({ type: 'done', requestId: message.requestId, result }))
        .catch((error: unknown) => post({ type: 'error', requestId: message.requestId, error: serializeError(error) }))
        .finally(() => running.delete(message.requestId));
      break;
    }
    case 'slot-grant': {
      const waiter = slotWaiters.get(message.slotId);
      slotWaiters.delete(message.slotId);
      if (waiter) waiter({ kind: message.kind, reason: message.reason });
      else post({ type: 'slot-release', slotId: message.slotId });
      break;
    }
    case 'cancel':
      running.get(message.requestId)?.abort(new DualFaceError('AbortError', 'cancelled'));
      break;
  }
});
