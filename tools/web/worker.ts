/// <reference lib="webworker" />
// The tools worker: the bare transcode (the codec limit the benchmark compares against) and the
// compositor's cost, off the main thread as the job is.
import { serializeError } from '../../src/core/errors';
import { compositeCost } from './composite-cost';
import type { FromToolsWorker, ToToolsWorker, VoiceFound } from './protocol';
import type { JobInput } from '../../src/media/io';
import { openVideo } from '../../src/media/demux';
import { findVoice } from '../../src/detect/voice';
import { appBaseUrl } from '../../src/core/app-base';
import { bareTranscode } from './transcode';
import { DetectorPool } from '../../src/detect/client';
import { scanVideo } from '../../src/job/scan';
import { lookForCast } from '../../src/job/cast-look';
import { jobSettings, DEFAULT_SETTINGS } from '../../src/job/settings';
import type { DetectionSample } from '../../src/framing/types';
import type { ScannedSamples } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

async function voice(input: JobInput, signal: AbortSignal): Promise<VoiceFound | null> {
  const video = await openVideo(input);
  try {
    if (!video.audio) return null;
    const started = performance.now();
    const found = await findVoice(video.audio, appBaseUrl(self.location.href), signal);
    return { intervals: found.intervals, frames: found.frames.probabilities.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    video.close();
  }
}

async function scanSamples(input: JobInput, signal: AbortSignal): Promise<ScannedSamples> {
  const video = await openVideo(input);
  const detector = new DetectorPool();
  try {
    const { samples: looks } = await lookForCast(video, detector, signal);
    const samples: DetectionSample[] = [];
    const frameTimes: number[] = [];
    const scan = await scanVideo(
      { video, detector, settings: jobSettings(DEFAULT_SETTINGS), signal },
      { frame: (t) => frameTimes.push(t), sample: (s) => samples.push(s) },
    );
    const described = samples.reduce((n, s) => n + s.faces.filter((f) => f.likeness).length, 0);
    frameTimes.sort((a, b) => a - b);
    return { samples, frameTimes, looks, cuts: scan.cuts, width: scan.width, height: scan.height, detectSeconds: scan.detectSeconds, described };
  } finally {
    detector.close();
    video.close();
  }
}

async function answer(message: ToToolsWorker, signal: AbortSignal): Promise<FromToolsWorker> {
  if (message.type === 'samples') return { type: 'samples', requestId: message.requestId, result: await scanSamples(message.input, signal) };
  if (message.type === 'voice') return { type: 'voice', requestId: message.requestId, result: await voice(message.input, signal) };
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
