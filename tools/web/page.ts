// The tools' page: the app's automation API (the benchmarks run real jobs through it) plus
// `window.dualfaceTools`: the bare transcode and face detection in one image (scoring, tests).
import { installAutomation } from '../../src/app/automation';
import { deserializeError } from '../../src/core/errors';
import { DetectorPool } from '../../src/detect/client';
import { WHOLE_SEARCH } from '../../src/detect/search';
import type { Face } from '../../src/framing/types';
import type { FromToolsWorker, Tools, ToToolsWorker } from './protocol';
import type { TranscodeResult } from './transcode';

declare global {
  interface Window {
    dualfaceTools?: Tools;
  }
}

let detector: DetectorPool | null = null;

function transcode(inputUrl: string, name: string): Promise<TranscodeResult> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dualface-tools' });
  return new Promise<TranscodeResult>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FromToolsWorker>) => {
      const answer = event.data;
      if (answer.type === 'transcoded') resolve(answer.result);
      else reject(deserializeError(answer.error));
    });
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'the tools worker crashed')));
    worker.postMessage({ type: 'transcode', requestId: 1, input: { kind: 'url', url: inputUrl, name } } satisfies ToToolsWorker);
  }).finally(() => worker.terminate());
}

async function detectFacesAt(url: string, tiles = true): Promise<Face[]> {
  const blob = await (await fetch(url)).blob();
  detector ??= new DetectorPool(1);
  const { faces } = await detector.detectImage(await createImageBitmap(blob), { ...WHOLE_SEARCH, tiles });
  return faces;
}

window.dualfaceTools = { transcode, detectFacesAt };
installAutomation();
