/// <reference lib="webworker" />
// The detection worker: MediaPipe's face detector on its own thread, so the analysis pass keeps
// decoding and reading frames while the network runs (on two cores, the detector's time then hides
// the decoder's instead of adding to it). Requests are answered in the order they come.
import type { Rect } from '../geometry/rect';
import { serializeError } from './errors';
import { FaceFinder, type DetectionEffort } from './face-finder';
import { FramePlanes } from './frame-planes';
import type { FromDetector, ToDetector } from './detect-protocol';

declare const self: DedicatedWorkerGlobalScope;

const baseUrl = new URL('/', self.location.href).href;
let finder: Promise<FaceFinder> | null = null;
/** Per analysis: where faces were last seen, for the close-ups (see FaceFinder.findInPlanes). */
const hints = new Map<number, Rect[]>();
let queue: Promise<void> = Promise.resolve();

function faceFinder(): Promise<FaceFinder> {
  finder ??= FaceFinder.create({ baseUrl }).catch((error: unknown) => {
    finder = null;
    throw error;
  });
  return finder;
}

function post(message: FromDetector): void {
  self.postMessage(message);
}

async function answer(message: Extract<ToDetector, { requestId: number }>): Promise<void> {
  try {
    const detector = await faceFinder();
    const before: DetectionEffort = { ...detector.effort };
    const started = performance.now();
    let faces;
    if (message.type === 'planes') {
      const planes = FramePlanes.fromSnapshot(message.planes);
      const last = message.cut ? [] : (hints.get(message.session) ?? []);
      faces = detector.findInPlanes(planes, message.t, true, last);
      hints.set(message.session, faces.map((f) => f.box));
    } else {
      try {
        faces = await detector.find(message.image, message.t, message.tiles, message.rotation);
      } finally {
        message.image.close();
      }
    }
    const effort = detector.effort;
    post({
      type: 'faces',
      requestId: message.requestId,
      faces,
      seconds: (performance.now() - started) / 1000,
      effort: { tiles: effort.tiles - before.tiles, drawSeconds: effort.drawSeconds - before.drawSeconds, networkSeconds: effort.networkSeconds - before.networkSeconds },
    });
  } catch (error) {
    post({ type: 'error', requestId: message.requestId, error: serializeError(error) });
  }
}

self.addEventListener('message', (event: MessageEvent<ToDetector>) => {
  const message = event.data;
  if (message.type === 'forget') {
    hints.delete(message.session);
    return;
  }
  // One at a time, in order: hints carry from one request of an analysis to the next.
  queue = queue.then(() => answer(message));
});
