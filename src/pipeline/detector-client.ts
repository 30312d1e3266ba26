// The job worker's handle on its detection worker: requests with ids, answers as promises, in order.
import type { Rotation } from '../geometry/rotation';
import { DualFaceError, deserializeError } from './errors';
import type { DetectorAnswer, FromDetector, ToDetector } from './detect-protocol';
import type { FramePlanes } from './frame-planes';

interface Pending {
  resolve: (answer: DetectorAnswer) => void;
  reject: (error: Error) => void;
}

export class DetectorClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private nextSession = 1;
  private closed = false;

  constructor() {
    this.worker = new Worker(new URL('./detect-worker.ts', import.meta.url), { type: 'module', name: 'dualface-detect' });
    this.worker.addEventListener('message', (event: MessageEvent<FromDetector>) => {
      const message = event.data;
      const pending = this.pending.get(message.requestId);
      if (!pending) return;
      this.pending.delete(message.requestId);
      if (message.type === 'error') pending.reject(deserializeError(message.error));
      else pending.resolve(message);
    });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.failAll(new DualFaceError('DetectorError', `the face detector stopped (${event.message || 'worker error'})`));
    });
  }

  /** A new analysis: its requests share close-up hints. */
  session(): number {
    return this.nextSession++;
  }

  /** Faces in the planes as they are now (copied: the caller may read the next frame into them). */
  detectPlanes(session: number, planes: FramePlanes, t: number, cut: boolean): Promise<DetectorAnswer> {
    const snapshot = planes.snapshot();
    return this.request((requestId) => ({ type: 'planes', requestId, session, planes: snapshot, t, cut }), [snapshot.data]);
  }

  /** Faces in an image; the image is handed over (transferred) and closed by the detector. */
  detectImage(image: VideoFrame | ImageBitmap, t: number | null, tiles: boolean, rotation: Rotation = 0): Promise<DetectorAnswer> {
    if (this.closed) image.close();
    return this.request((requestId) => ({ type: 'image', requestId, image, t, tiles, rotation }), [image]);
  }

  forget(session: number): void {
    if (!this.closed) this.worker.postMessage({ type: 'forget', session } satisfies ToDetector);
  }

  private request(make: (requestId: number) => Extract<ToDetector, { requestId: number }>, transfer: Transferable[]): Promise<DetectorAnswer> {
    if (this.closed) return Promise.reject(new DualFaceError('InternalError', 'face detector used after close'));
    const requestId = this.nextRequestId++;
    return new Promise<DetectorAnswer>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage(make(requestId), transfer);
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Idempotent: stops the worker; anything still waiting is rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll(new DualFaceError('AbortError', 'the face detector was closed'));
  }
}
