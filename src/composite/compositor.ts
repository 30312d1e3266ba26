import type { Rect } from '../geometry/rect';
import type { OverlayBox } from './overlay';

/** Puts the two panel crops of one decoded frame into one output frame. */
export interface Compositor {
  /** What ran, as shown to the user: e.g. "webgpu (nvidia hopper)" or "cpu (I420)". */
  readonly name: string;
  /** How many composites may be in flight before the oldest must be awaited. */
  readonly depth: number;
  /**
   * Starts compositing `frame`. Everything that reads `frame` happens before the returned promise
   * settles, and for the GPU path before this returns, so the caller closes `frame` after awaiting
   * (CPU) or right away (GPU); see `releasesInputEarly`. Resolves to a new frame the caller owns,
   * with the input's timestamp and duration. `overlay`: debug outlines drawn on top (output pixels).
   */
  composite(frame: VideoFrame, crops: readonly [Rect | null, Rect | null], overlay?: readonly OverlayBox[]): Promise<VideoFrame>;
  /** True when `frame` may be closed as soon as composite() returns. */
  readonly releasesInputEarly: boolean;
  /** Idempotent. */
  close(): void;
}

export type CompositorChoice = 'auto' | 'webgpu' | 'cpu';
