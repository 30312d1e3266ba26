// One job: open → analyse (unless framing is given) → render. Owns and closes every resource it opens.
import type { Compositor } from '../composite/compositor';
import { CpuCompositor } from '../composite/cpu-compositor';
import { isSoftwareAdapter, requestAdapter, WebGpuCompositor } from '../gpu/webgpu-compositor';
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

export interface CompositorPick {
  compositor: Compositor;
  /** A CPU compositor to check the GPU's first frame against (auto mode only). */
  reference: Compositor | null;
  reason: string;
}

/**
 * auto: WebGPU on a hardware adapter (checked against the CPU path on the first frame); the CPU path
 * when WebGPU is missing or the adapter is a software one, where the CPU path is much faster.
 */
export async function pickCompositor(spec: JobSpec, source: { width: number; height: number }, file: string): Promise<CompositorPick> {
  const { layout, size, compositor: choice } = spec.settings;
  const cpu = () => new CpuCompositor(layout, size);
  if (choice === 'cpu') return { compositor: cpu(), reference: null, reason: 'chosen in the settings' };
  const adapter = await requestAdapter();
  if (!adapter) {
    if (choice === 'webgpu') throw new DualFaceError('GpuError', `${file}: WebGPU is not available in this browser`);
    return { compositor: cpu(), reference: null, reason: 'WebGPU is not available' };
  }
  if (choice === 'auto' && isSoftwareAdapter(adapter)) {
    return { compositor: cpu(), reference: null, reason: `the WebGPU adapter is a software one (${adapter.info.vendor} ${adapter.info.architecture})` };
  }
  const gpu = await WebGpuCompositor.create(adapter, layout, size, source);
  return { compositor: gpu, reference: choice === 'auto' ? cpu() : null, reason: choice === 'auto' ? 'hardware WebGPU adapter' : 'chosen in the settings' };
}

export async function runJob(spec: JobSpec, context: JobContext): Promise<JobResult> {
  const { signal } = context;
  const video = await openVideo(spec.input);
  let pick: CompositorPick | null = null;
  let writer: Mp4Writer | null = null;
  try {
    const analyseStart = performance.now();
    let tracks = spec.tracksIn;
    let detectSeconds = 0;
    let detections = 0;
    if (!tracks) {
      const finder = await context.faceFinder();
      const analysis = await analyse({ video, finder, settings: spec.settings, outputName: spec.outputName, signal, onProgress: context.onProgress });
      ({ tracks, detectSeconds, detections } = analysis);
    }
    const analyseSeconds = (performance.now() - analyseStart) / 1000;
    signal.throwIfAborted();
    if (spec.analyseOnly) {
      return {
        tracks,
        frames: tracks.frames.length,
        durationSeconds: video.durationSeconds,
        compositor: 'none',
        compositorReason: 'analysis only',
        encoder: 'none',
        audio: 'none',
        analyseSeconds,
        detectSeconds,
        detections,
        renderSeconds: 0,
      };
    }

    const renderStart = performance.now();
    pick = await pickCompositor(spec, { width: tracks.source.width, height: tracks.source.height }, video.name);
    let sink;
    try {
      sink = await openSink(spec.output);
    } catch (error) {
      throw stageError('OutputError', video.name, 'the output file could not be created', error);
    }
    writer = new Mp4Writer(sink);
    if (video.audio) await writer.addAudio(video.audio);
    const rendered = await render({
      video,
      tracks,
      compositor: pick.compositor,
      reference: pick.reference,
      writer,
      settings: spec.settings,
      signal,
      onProgress: context.onProgress,
    });
    const renderSeconds = (performance.now() - renderStart) / 1000;
    return {
      tracks,
      frames: rendered.frames,
      durationSeconds: video.durationSeconds,
      compositor: rendered.compositor,
      compositorReason: rendered.compositorReason ?? pick.reason,
      encoder: rendered.encoder,
      audio: writer.audio,
      analyseSeconds,
      detectSeconds,
      detections,
      renderSeconds,
    };
  } catch (error) {
    await writer?.cancel().catch(() => undefined);
    throw error;
  } finally {
    pick?.compositor.close();
    pick?.reference?.close();
    video.close();
  }
}
