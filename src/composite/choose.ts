// Which compositor a job runs, and why: the choice lives with the compositors, not in the job.
import { DualFaceError, messageOf } from '../core/errors';
import type { Layout } from '../geometry/layout';
import type { Size } from '../geometry/rect';
import type { Rotation } from '../geometry/rotation';
import type { Compositor, CompositorChoice } from './compositor';
import { CpuCompositor } from './cpu/cpu-compositor';
import { isSoftwareAdapter, requestAdapter, WebGpuCompositor } from './webgpu/webgpu-compositor';

export interface CompositorSettings {
  layout: Layout;
  size: Size;
  compositor: CompositorChoice;
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
export async function pickCompositor(settings: CompositorSettings, source: Size, rotation: Rotation, file: string): Promise<CompositorPick> {
  const { layout, size, compositor: choice } = settings;
  const cpu = () => new CpuCompositor(layout, size, rotation, source);
  if (choice === 'cpu') return { compositor: cpu(), reference: null, reason: 'chosen in the settings' };
  const adapter = await requestAdapter();
  if (!adapter) {
    if (choice === 'webgpu') throw new DualFaceError('GpuError', `${file}: WebGPU is not available in this browser`);
    return { compositor: cpu(), reference: null, reason: 'WebGPU is not available' };
  }
  if (choice === 'auto' && isSoftwareAdapter(adapter)) {
    return { compositor: cpu(), reference: null, reason: `the WebGPU adapter is a software one (${adapter.info.vendor} ${adapter.info.architecture})` };
  }
  if (choice === 'webgpu') {
    return { compositor: await WebGpuCompositor.create(adapter, layout, size, source, rotation), reference: null, reason: 'chosen in the settings' };
  }
  try {
    const gpu = await WebGpuCompositor.create(adapter, layout, size, source, rotation);
    return { compositor: gpu, reference: cpu(), reason: 'hardware WebGPU adapter' };
  } catch (error) {
    // A GPU that cannot even set up the compositor: the CPU path, saying why.
    return { compositor: cpu(), reference: null, reason: `the WebGPU compositor could not start (${messageOf(error)})` };
  }
}
