// Where a render pass spent its time; plain data, shared by the worker, the page and the command line.

/**
 * Where the render pass's time went, seconds, on its own thread: waiting for the decoder, compositing
 * (reading the frame, and for the GPU waiting for its read-back), waiting for the encoder to take a
 * frame (the encoder's output is muxed meanwhile, on this thread), waiting for the writer, and in a
 * streaming job waiting for the analysis to frame the next frame.
 */
export interface RenderEffort {
  decodeWaitSeconds: number;
  compositeSeconds: number;
  encodeWaitSeconds: number;
  writeWaitSeconds: number;
  framingWaitSeconds: number;
}

export function noRenderEffort(): RenderEffort {
  return { decodeWaitSeconds: 0, compositeSeconds: 0, encodeWaitSeconds: 0, writeWaitSeconds: 0, framingWaitSeconds: 0 };
}

export function describeRenderEffort(effort: RenderEffort): string {
  const s = (seconds: number) => `${seconds.toFixed(1)} s`;
  return `waiting for the decoder ${s(effort.decodeWaitSeconds)}, compositing ${s(effort.compositeSeconds)}, waiting for the encoder ${s(effort.encodeWaitSeconds)}, writing ${s(effort.writeWaitSeconds)}${effort.framingWaitSeconds >= 0.05 ? `, waiting for the analysis ${s(effort.framingWaitSeconds)}` : ''}`;
}
