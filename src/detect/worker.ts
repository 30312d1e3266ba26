/// <reference lib="webworker" />
// A detection worker: MediaPipe's face detector on its own thread, so the analysis pass keeps
// decoding and reading frames while the network runs. Stateless between requests (what to look for,
// hints included, comes with each), so several can share one analysis.
import { serializeError } from '../core/errors';
import type { SearchResult } from './search';
import { FaceFinder } from './face-finder';
import { FramePlanes } from '../media/frame-planes';
import type { FromDetector, ToDetector } from './protocol';
import { appBaseUrl } from '../core/app-base';

declare const self: DedicatedWorkerGlobalScope;

const baseUrl = appBaseUrl(self.location.href);
let finder: Promise<FaceFinder> | null = null;
let queue: Promise<void> = Promise.resolve();

function faceFinder(): Promise<FaceFinder> {
  finder ??= FaceFinder.create({ baseUrl }).catch((error: unknown) => {
    finder = null;
    throw error;
  });
  return finder;
}

function post(message: FromDetector, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function answer(message: Extract<ToDetector, { requestId: number }>): Promise<void> {
  try {
    const detector = await faceFinder();
    detector.takeEffort();
    const started = performance.now();
    let result: SearchResult;
    if (message.type === 'planes') {
      result = detector.findInPlanes(FramePlanes.fromSnapshot(message.planes), message.search);
    } else {
      try {
        result = await detector.find(message.image, message.search, message.rotation);
      } finally {
        message.image.close();
      }
    }
    // The planes go back to the job worker, which copies the next frame into them: no 3 MB buffer
    // per request left for the garbage collector.
    const planes = message.type === 'planes' ? message.planes.data : undefined;
    post(
      {
        type: 'faces',
        requestId: message.requestId,
        ...result,
        seconds: (performance.now() - started) / 1000,
        effort: detector.takeEffort(),
        ...(planes ? { planes } : {}),
      },
      planes ? [planes] : [],
    );
  } catch (error) {
    post({ type: 'error', requestId: message.requestId, error: serializeError(error) });
  }
}

self.addEventListener('message', (event: MessageEvent<ToDetector>) => {
  const message = event.data;
  if (message.type === 'warm') {
    // A failure here is reported with the first request, which tries again.
    faceFinder().catch(() => undefined);
    return;
  }
  // One at a time, in the order they come.
  queue = queue.then(() => answer(message));
});
