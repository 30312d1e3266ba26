// Where the render finds each frame's framing: a whole table planned beforehand (two passes, or a
// tracks file), or a bounded queue the streaming analysis fills while the render takes from it.
import type { Rect } from '../geometry/rect';
import type { FramingTable } from '../framing/framing-table';
import type { OverlayFace } from '../framing/tracks-file';
import type { PlannedFrame } from '../framing/stream-plan';
import { DualFaceError } from '../core/errors';
import { nearestIndex } from '../core/timing';
import { abortable } from '../core/abort';

export interface FramedFrame {
  panels: [Rect | null, Rect | null];
  faces?: OverlayFace[] | undefined;
}

export interface FramingSource {
  /** The framing of the frame shown at `t`; frames are asked for in order. */
  at(t: number, signal: AbortSignal): Promise<FramedFrame>;
  /**
   * Called once every frame has been rendered: throws if framing was left over or missing.
   * `rendered` null: a resumed render, which did not ask for the frames before its checkpoint.
   */
  end(rendered: number | null): void;
}

/** A table planned before the render: frames map to entries in order, else to the nearest time (an edited file). */
export class TableFraming implements FramingSource {
  private index = 0;

  constructor(
    private readonly table: FramingTable,
    private readonly name: string,
  ) {}

  async at(t: number): Promise<FramedFrame> {
    const { times, length } = this.table;
    const entry = this.index < length && Math.abs(times[this.index]! - t) < 1e-3 ? this.index : nearestIndex(times, t);
    if (entry < 0) throw new DualFaceError('InternalError', `${this.name}: no framing for the frame at ${t.toFixed(3)} s`);
    this.index++;
    return { panels: this.table.panels(entry), faces: this.table.facesAt(entry) };
  }

  end(rendered: number | null): void {
    if (rendered !== null && rendered !== this.table.length) {
      throw new DualFaceError('InternalError', `${this.name}: decoded ${rendered} frames for rendering but the framing has ${this.table.length}`);
    }
  }
}

/**
 * Frames planned by the streaming analysis, waiting for the render: at most `capacity` (the analysis
 * waits for room), so neither side holds more than a few seconds of framing.
 */
export class FramingQueue implements FramingSource {
  private readonly frames: PlannedFrame[] = [];
  private head = 0;
  private closed = false;
  private failure: unknown = null;
  private wakeTaker: (() => void) | null = null;
  private wakeGiver: (() => void) | null = null;

  constructor(
    private readonly capacity: number,
    private readonly name: string,
  ) {}

  get size(): number {
    return this.frames.length - this.head;
  }

  /** Adds planned frames, waiting while the queue is full. */
  async push(frames: readonly PlannedFrame[], signal: AbortSignal): Promise<void> {
    for (const frame of frames) {
      while (this.size >= this.capacity) await abortable(new Promise<void>((resolve) => (this.wakeGiver = resolve)), signal);
      this.frames.push(frame);
      this.wake('taker');
    }
  }

  /** No more frames will come. */
  close(): void {
    this.closed = true;
    this.wake('taker');
  }

  /** The analysis failed: the render stops at its next frame with this error. */
  fail(error: unknown): void {
    this.failure = error;
    this.close();
  }

  async at(t: number, signal: AbortSignal): Promise<FramedFrame> {
    for (;;) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrown as it came
      if (this.failure !== null) throw this.failure;
      while (this.size > 0) {
        const frame = this.frames[this.head++]!;
        if (this.head > 256 && this.head * 2 > this.frames.length) {
          this.frames.splice(0, this.head);
          this.head = 0;
        }
        this.wake('giver');
        // A frame the analysis framed but the render's decoder did not give (never expected) is passed over.
        if (frame.t >= t - 1e-3) {
          if (Math.abs(frame.t - t) >= 1e-3) throw new DualFaceError('InternalError', `${this.name}: no framing for the frame at ${t.toFixed(3)} s`);
          return { panels: frame.panels, faces: frame.faces };
        }
      }
      if (this.closed) throw new DualFaceError('InternalError', `${this.name}: no framing for the frame at ${t.toFixed(3)} s`);
      await abortable(new Promise<void>((resolve) => (this.wakeTaker = resolve)), signal);
    }
  }

  end(rendered: number | null): void {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrown as it came
    if (this.failure !== null) throw this.failure;
    if (!this.closed || this.size > 0) {
      throw new DualFaceError('InternalError', `${this.name}: decoded ${rendered ?? 'the'} frames for rendering but the analysis framed ${this.size} more`);
    }
  }

  private wake(who: 'taker' | 'giver'): void {
    const w = who === 'taker' ? this.wakeTaker : this.wakeGiver;
    if (who === 'taker') this.wakeTaker = null;
    else this.wakeGiver = null;
    w?.();
  }
}
