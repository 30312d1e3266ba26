/// <reference lib="webworker" />
// A detection worker: MediaPipe's face detector on its own thread, so the analysis pass keeps
// decoding and reading frames while the network runs. Stateless between requests (what to look for,
// hints included, comes with each), so several can share one analysis.
import { serializeError } from '../core/errors';
import { noEffort, type DetectionEffort, type SearchResult } from './search';
import { FaceFinder } from './face-finder';
import { FramePlanes } from '../media/frame-planes';
import type { FromDetector, ToDetector } from './protocol';
import { appBaseUrl } from '../core/app-base';
import { LikenessModel } from './likeness';

declare const self: DedicatedWorkerGlobalScope;

const baseUrl = appBaseUrl(self.location.href);
let finder: Promise<FaceFinder> | null = null;
let likenessNet: Promise<LikenessModel> | null = null;
let queue: Promise<void> = Promise.resolve();

function likenessModel(): Promise<LikenessModel> {
  likenessNet ??= LikenessModel.create(baseUrl).catch((error: unknown) => {
    likenessNet = null;
    throw error;
  });
  return likenessNet;
}

/** Each face's likeness, where the request asks for it and the face is big and sure enough. */
async function describeFaces(result: SearchResult, planes: FramePlanes, effort: DetectionEffort): Promise<SearchResult> {
  const model = await likenessModel();
  const started = performance.now();
  const faces = result.faces.map((face) => {
    const described = model.describe(planes, face);
    if (described) effort.described++;
    return described ? { ...face, likeness: described } : face;
  });
  effort.likenessSeconds += (performance.now() - started) / 1000;
  return { ...result, faces };
}

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
    const likeness = noEffort();
    let result: SearchResult;
    if (message.type === 'planes') {
      const planes = FramePlanes.fromSnapshot(message.planes);
      result = detector.findInPlanes(planes, message.search);
      if (message.search.likeness && result.faces.length > 0) result = await describeFaces(result, planes, likeness);
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
        effort: { ...detector.takeEffort(), described: likeness.described, likenessSeconds: likeness.likenessSeconds },
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
