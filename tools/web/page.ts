// The tools' page: the app's automation API (the benchmarks run real jobs through it) plus
// `window.dualfaceTools`: the bare transcode and face detection in one image (scoring, tests).
import { installAutomation } from '../../src/app/automation';
import { deserializeError } from '../../src/core/errors';
import { DetectorPool } from '../../src/detect/client';
import { WHOLE_SEARCH } from '../../src/detect/search';
import type { Face } from '../../src/framing/types';
import type { FromToolsWorker, ScannedSamples, Tools, ToToolsWorker, VoiceFound } from './protocol';
import type { TranscodeResult } from './transcode';
import type { CompositeCost, CompositeCostRequest } from './composite-cost';

declare global {
  interface Window {
    dualfaceTools?: Tools;
  }
}

let detector: DetectorPool | null = null;

/** One request to a fresh tools worker, its answer, then the worker ends. */
function inToolsWorker(message: ToToolsWorker): Promise<FromToolsWorker> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dualface-tools' });
  return new Promise<FromToolsWorker>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FromToolsWorker>) => {
      const answer = event.data;
      if (answer.type === 'error') reject(deserializeError(answer.error));
      else resolve(answer);
    });
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'the tools worker crashed')));
    worker.postMessage(message);
  }).finally(() => worker.terminate());
}

async function transcode(inputUrl: string, name: string): Promise<TranscodeResult> {
  const answer = await inToolsWorker({ type: 'transcode', requestId: 1, input: { kind: 'url', url: inputUrl, name } });
  if (answer.type !== 'transcoded') throw new Error(`the tools worker answered ${answer.type}`);
  return answer.result;
}

async function compositeCost(inputUrl: string, name: string, request: CompositeCostRequest): Promise<CompositeCost> {
  const answer = await inToolsWorker({ type: 'composite-cost', requestId: 1, input: { kind: 'url', url: inputUrl, name }, request });
  if (answer.type !== 'composite-cost') throw new Error(`the tools worker answered ${answer.type}`);
  return answer.result;
}

async function detectFacesAt(url: string, tiles = true): Promise<Face[]> {
  const blob = await (await fetch(url)).blob();
  detector ??= new DetectorPool(1);
  const { faces } = await detector.detectImage(await createImageBitmap(blob), { ...WHOLE_SEARCH, tiles });
  return faces;
}

async function findVoice(inputUrl: string, name: string): Promise<VoiceFound | null> {
  const answer = await inToolsWorker({ type: 'voice', requestId: 1, input: { kind: 'url', url: inputUrl, name } });
  if (answer.type !== 'voice') throw new Error(`the tools worker answered ${answer.type}`);
  return answer.result;
}

async function scanSamples(inputUrl: string, name: string): Promise<ScannedSamples> {
  const answer = await inToolsWorker({ type: 'samples', requestId: 1, input: { kind: 'url', url: inputUrl, name } });
  if (answer.type !== 'samples') throw new Error(`the tools worker answered ${answer.type}`);
  return answer.result;
}

window.dualfaceTools = { transcode, compositeCost, detectFacesAt, findVoice, scanSamples };
installAutomation();
