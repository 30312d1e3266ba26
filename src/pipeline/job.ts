// One job: open → analyse (unless framing is given) → render. Owns and closes every resource it opens.
import { WebGpuCompositor, requestAdapter, type Compositor } from '../gpu/webgpu-compositor';
import { analyse } from './analyse';
import { openVideo } from './demux';
import { DualFaceError, stageError } from './errors';
import { FaceFinder } from './face-finder';
import { Mp4Writer } from './mux';
import type { JobProgress, JobResult, JobSpec } from './protocol';
import { render } from './render';
import { openSink } from './sinks';

export interface JobContext {
  baseUrl: string;
  signal: AbortSignal;
  onProgress: (progress: JobProgress) => void;
  /** Shared across jobs of one worker: the detector is costly to start. */
  faceFinder: () => Promise<FaceFinder>;
}

export async function createCompositor(spec: JobSpec, source: { width: number; height: number }, file: string): Promise<Compositor> {
  const adapter = await requestAdapter();
  if (!adapter) throw new DualFaceError('GpuError', `${file}: WebGPU is not available in this browser`);
  return WebGpuCompositor.create(adapter, spec.settings.layout, spec.settings.size, source);
}

export async function runJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  const { signal } = context;
  const video = await openVideo(spec.input);
  let compositor: Compositor | null = null;
  let writer: Mp4Writer | null = null;
  try {
    const analyseStart = performance.now();
    let tracks = spec.tracksIn;
    if (!tracks) {
      const finder = await context.faceFinder();
      tracks = await analyse({ video, finder, settings: spec.settings, outputName: spec.outputName, signal, onProgress: context.onProgress });
    }
    const analyseSeconds = (performance.now() - analyseStart) / 1000;
    signal.throwIfAborted();

    const renderStart = performance.now();
    compositor = await createCompositor(spec, { width: tracks.source.width, height: tracks.source.height }, video.name);
    let sink;
    try {
      sink = await openSink(spec.output);
    } catch (error) {
      throw stageError('OutputError', video.name, 'the output file could not be created', error);
    }
    writer = new Mp4Writer(sink);
    if (video.audio) await writer.addAudio(video.audio);
    const rendered = await render({ video, tracks, compositor, writer, settings: spec.settings, signal, onProgress: context.onProgress });
    const renderSeconds = (performance.now() - renderStart) / 1000;
    return {
      tracks,
      frames: rendered.frames,
      durationSeconds: video.durationSeconds,
      compositor: compositor.name,
      encoder: rendered.encoder,
      audio: writer.audio,
      analyseSeconds,
      renderSeconds,
    };
  } catch (error) {
    await writer?.cancel().catch(() => undefined);
    throw error;
  } finally {
    compositor?.close();
    video.close();
  }
}
