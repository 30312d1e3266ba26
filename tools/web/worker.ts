/// <reference lib="webworker" />
// The tools worker: the bare transcode (the codec limit the benchmark compares against), off the
// main thread as the job is.
import { serializeError } from '../../src/core/errors';
import type { FromToolsWorker, ToToolsWorker } from './protocol';
import { bareTranscode } from './transcode';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (event: MessageEvent<ToToolsWorker>) => {
  const message = event.data;
  const post = (answer: FromToolsWorker) => self.postMessage(answer);
  bareTranscode(message.input, new AbortController().signal)
    .then((result) => post({ type: 'transcoded', requestId: message.requestId, result }))
    .catch((error: unknown) => post({ type: 'error', requestId: message.requestId, error: serializeError(error) }));
});
