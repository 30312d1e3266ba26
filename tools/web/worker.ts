/// <reference lib="webworker" />
// The tools worker: the bare transcode (the codec limit the benchmark compares against) and the
// compositor's cost, off the main thread as the job is.
import { serializeError } from '../../src/core/errors';
import { compositeCost } from './composite-cost';
import type { FromToolsWorker, ToToolsWorker } from './protocol';
import { bareTranscode } from './transcode';

declare const self: DedicatedWorkerGlobalScope;

async function answer(message: ToToolsWorker, signal: AbortSignal): Promise<FromToolsWorker> {
  if (message.type === 'transcode') return { type: 'transcoded', requestId: message.requestId, result: await bareTranscode(message.input, signal) };
  return { type: 'composite-cost', requestId: message.requestId, result: await compositeCost(message.input, message.request, signal) };
}

self.addEventListener('message', (event: MessageEvent<ToToolsWorker>) => {
  const message = event.data;
  const post = (reply: FromToolsWorker) => self.postMessage(reply);
  answer(message, new AbortController().signal)
    .then(post)
    .catch((error: unknown) => post({ type: 'error', requestId: message.requestId, error: serializeError(error) }));
});
