// Where the CPU compositor's time goes, for `npm run bench -- --composite`: the first frames of the
// input decoded and composited one at a time (nothing else running), with the job's own crops.
// Beside it, the two ways of making an output frame from a plain buffer, to see what copying costs.
import { CpuCompositor, type CpuCompositeTimings } from '../../src/composite/cpu/cpu-compositor';
import { decodeFrames } from '../../src/media/decode';
import { openVideo } from '../../src/media/demux';
import type { JobInput } from '../../src/media/io';
import type { Layout } from '../../src/geometry/layout';
import type { Rect, Size } from '../../src/geometry/rect';

export interface CompositeCostRequest {
  layout: Layout;
  size: Size;
  /** Crops per frame, in order; the measurement takes as many frames as there are crops. */
  crops: [Rect | null, Rect | null][];
}

export interface CompositeCost {
  compositor: CpuCompositeTimings;
  /** Whole composite() calls, milliseconds summed. */
  total: number;
  /** An output-sized VideoFrame from a JavaScript buffer, copied / handed over (transfer), ms per frame. */
  frameCopied: number;
  frameTransferred: number;
  /** An output-sized Uint8Array.set, ms per frame. */
  bufferSet: number;
}

export async function compositeCost(input: JobInput, request: CompositeCostRequest, signal: AbortSignal): Promise<CompositeCost> {
  const video = await openVideo(input);
  const compositor = new CpuCompositor(request.layout, request.size);
  let total = 0;
  try {
    let index = 0;
    for await (const frame of decodeFrames(video.name, video.video, video.decoderConfig, signal)) {
      try {
        const started = performance.now();
        const made = await compositor.composite(frame, request.crops[index]!);
        total += performance.now() - started;
        made.close();
      } finally {
        frame.close();
      }
      if (++index >= request.crops.length) break;
    }
    return { compositor: { ...compositor.timings }, total, ...plainFrameCosts(request.size) };
  } finally {
    compositor.close();
    video.close();
  }
}

function plainFrameCosts(size: Size): Pick<CompositeCost, 'frameCopied' | 'frameTransferred' | 'bufferSet'> {
  const bytes = size.width * size.height * 1.5;
  const init = { format: 'I420' as const, codedWidth: size.width, codedHeight: size.height, timestamp: 0 };
  const rounds = 200;
  const source = new Uint8Array(bytes).fill(100);
  const target = new Uint8Array(bytes);
  const time = (work: () => void) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) work();
    return (performance.now() - started) / rounds;
  };
  const frameCopied = time(() => new VideoFrame(source, init).close());
  const pool = Array.from({ length: rounds }, () => new Uint8Array(bytes));
  let next = 0;
  const frameTransferred = time(() => {
    const buffer = pool[next++]!.buffer;
    // `transfer` is in WebCodecs but not yet in TypeScript's DOM types (as in cpu-compositor.ts).
    const handed: VideoFrameBufferInit & { transfer?: ArrayBuffer[] } = { ...init, transfer: [buffer] };
    new VideoFrame(buffer, handed).close();
  });
  const bufferSet = time(() => target.set(source));
  return { frameCopied, frameTransferred, bufferSet };
}
