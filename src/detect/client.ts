// The job worker's detection workers: each request goes to the next worker in turn; answers are
// promises (the analysis collects them in the order it asked). Several workers where there are cores
// to spare, as one detector is slower than the decoder there.
import type { Rotation } from '../geometry/rotation';
import { DualFaceError, deserializeError } from '../core/errors';
import type { DetectorAnswer, FromDetector, ToDetector } from './protocol';
import type { SearchOptions } from './search';
import type { FramePlanes } from '../media/frame-planes';

interface Pending {
  resolve: (answer: DetectorAnswer) => void;
  reject: (error: Error) => void;
}

/** Detection workers for this many cores: one up to 7 cores, then one per 4 cores, at most 4. */
export function detectorCount(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores / 4)));
}

export class DetectorPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private nextWorker = 0;
  private closed = false;
  /** Plane buffers the detectors handed back, for the next snapshots (at most one per request in flight). */
  private readonly spareBuffers: ArrayBuffer[] = [];

  constructor(readonly size = detectorCount(navigator.hardwareConcurrency || 1)) {
    this.workers = Array.from({ length: size }, (_, i) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `dualface-detect-${i + 1}` });
      worker.addEventListener('message', (event: MessageEvent<FromDetector>) => {
        const message = event.data;
        const pending = this.pending.get(message.requestId);
        if (!pending) return;
        this.pending.delete(message.requestId);
        if (message.type === 'error') pending.reject(deserializeError(message.error));
        else {
          if (message.planes && this.spareBuffers.length < 4) this.spareBuffers.push(message.planes);
          pending.resolve(message);
        }
      });
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.failAll(new DualFaceError('DetectorError', `the face detector stopped (${event.message || 'worker error'})`));
      });
      worker.postMessage({ type: 'warm' } satisfies ToDetector);
      return worker;
    });
  }

  /** Faces in the planes as they are now (copied: the caller may read the next frame into them). */
  detectPlanes(planes: FramePlanes, search: SearchOptions): Promise<DetectorAnswer> {
    const snapshot = planes.snapshot(this.spareBuffers.pop());
    return this.request((requestId) => ({ type: 'planes', requestId, planes: snapshot, search }), [snapshot.data]);
  }

  /** Faces in an image; the image is handed over (transferred) and closed by the detector. */
  detectImage(image: VideoFrame | ImageBitmap, search: SearchOptions, rotation: Rotation = 0): Promise<DetectorAnswer> {
    if (this.closed) image.close();
    return this.request((requestId) => ({ type: 'image', requestId, image, search, rotation }), [image]);
  }

  private request(make: (requestId: number) => Extract<ToDetector, { requestId: number }>, transfer: Transferable[]): Promise<DetectorAnswer> {
    if (this.closed) return Promise.reject(new DualFaceError('InternalError', 'face detector used after close'));
    const requestId = this.nextRequestId++;
    const worker = this.workers[this.nextWorker++ % this.workers.length]!;
    return new Promise<DetectorAnswer>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      worker.postMessage(make(requestId), transfer);
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Idempotent: stops the workers; anything still waiting is rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) worker.terminate();
    this.failAll(new DualFaceError('AbortError', 'the face detector was closed'));
  }
}
