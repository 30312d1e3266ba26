// Where a job's render goes: an MP4 written directly (the benchmarks), or a packet log the command
// line or the page makes the MP4 from (resumable). Each target owns what it opens.
import { DualFaceError, stageError } from '../core/errors';
import type { Timeline } from '../framing/timeline';
import type { OpenedVideo } from '../media/demux';
import { Mp4Writer, type ByteSink } from '../media/mux';
import { PacketLogWriter, type Checkpoint, type LogSink, type ResumePoint } from '../media/packet-log';
import { remuxLog } from '../media/remux';
import { HttpLogSink, OpfsLogSink, OpfsSink, openSink, removeOpfsLog } from '../media/sinks';
import type { JobResult, JobSpec } from './protocol';
import type { VideoWriter } from './render';

/** What a render attempt writes into, and from where it starts. */
export interface AttemptWriter extends VideoWriter {
  addVideoChunk(chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined): void;
  /** Stops writing (idempotent); the target decides what stays. */
  abandon(): Promise<void>;
  readonly audio: JobResult['audio'];
}

/**
 * The job's output across attempts: an MP4 written directly (the benchmarks), which a fallback
 * empties and writes again; or a packet log (the command line, the page), which an attempt continues
 * from the last checkpoint of the one before, or of an interrupted run.
 */
export interface RenderTarget {
  begin(): Promise<{ writer: AttemptWriter; resume: ResumePoint | null }>;
  /** Frames the next attempt will keep. */
  readonly keptFrames: number;
  /** After the render: makes the output final where that is the target's work; the audio, if it decided it. */
  finish(signal: AbortSignal): Promise<JobResult['audio'] | null>;
  /** Removes what was written; idempotent. */
  discard(): Promise<void>;
  /** Lets go of what it holds open; idempotent. */
  close(): void;
}

class Mp4Target implements RenderTarget {
  private attempts = 0;
  readonly keptFrames = 0;

  constructor(
    private readonly sink: ByteSink,
    private readonly video: OpenedVideo,
    private readonly timeline: Timeline,
  ) {}

  async begin(): Promise<{ writer: AttemptWriter; resume: null }> {
    if (this.attempts++ > 0) await this.sink.reset();
    const writer = new Mp4Writer(this.sink, this.timeline);
    if (this.video.audio) await writer.addAudio(this.video.audio);
    return { writer, resume: null };
  }

  async finish(): Promise<null> {
    return null;
  }

  discard(): Promise<void> {
    return this.sink.discard();
  }

  close(): void {}
}

/** What a packet log's target does besides the log: make the MP4 from it, and remove it. */
interface LogOwner {
  /** Makes the MP4 from the complete log (the page, in the worker); absent where the caller does (the command line). */
  makeMp4?: (checkpoint: Checkpoint, signal: AbortSignal) => Promise<JobResult['audio']>;
  /** Removes the log (a failed or cancelled job); absent where the caller decides (the command line keeps it to resume). */
  discard?: () => Promise<void>;
  /** Lets go of open files; idempotent. */
  close?: () => void;
}

class LogTarget implements RenderTarget {
  private last: PacketLogWriter | null = null;

  constructor(
    private readonly sink: LogSink,
    private readonly from: Checkpoint | null,
    private readonly owner: LogOwner,
  ) {}

  /** Frames this run's attempts wrote, counted from the start; 0 while none beyond an interrupted run's. */
  get keptFrames(): number {
    const written = this.last?.checkpoint.frames ?? 0;
    return written > (this.from?.frames ?? 0) ? written : 0;
  }

  async begin(): Promise<{ writer: AttemptWriter; resume: ResumePoint | null }> {
    const from = this.last?.checkpoint ?? this.from;
    this.last = new PacketLogWriter(this.sink, from);
    return { writer: this.last, resume: from && from.frames > 0 ? from : null };
  }

  async finish(signal: AbortSignal): Promise<JobResult['audio'] | null> {
    const checkpoint = this.last?.checkpoint;
    if (!this.owner.makeMp4 || !checkpoint) return null;
    return this.owner.makeMp4(checkpoint, signal);
  }

  async discard(): Promise<void> {
    this.owner.close?.();
    await this.owner.discard?.();
  }

  close(): void {
    this.owner.close?.();
  }
}

/** The page's resumable render: the log in OPFS, the MP4 made from it here, as `base`.mp4. */
async function opfsLogTarget(base: string, from: Checkpoint | null, video: OpenedVideo, timeline: Timeline): Promise<LogTarget> {
  const sink = await OpfsLogSink.open(base);
  return new LogTarget(sink, from, {
    makeMp4: async (checkpoint, signal) => {
      const mp4 = await OpfsSink.open(`${base}.mp4`);
      try {
        return await remuxLog({ read: (start, end) => sink.read(start, end), checkpoint, audio: video.audio, timeline, sink: mp4, signal });
      } catch (error) {
        await mp4.discard();
        throw stageError('OutputError', video.name, 'the MP4 could not be made from the rendered frames', error);
      }
    },
    discard: () => removeOpfsLog(base),
    close: () => sink.close(),
  });
}

export async function openTarget(spec: JobSpec, video: OpenedVideo, timeline: Timeline): Promise<RenderTarget> {
  try {
    const output = spec.output;
    if (!output) throw new DualFaceError('InternalError', `${video.name}: a job that renders needs an output`);
    if (output.kind === 'log') return new LogTarget(new HttpLogSink(output.url, video.name), spec.resume ?? null, {});
    if (output.kind === 'opfs-log') return await opfsLogTarget(output.base, spec.resume ?? null, video, timeline);
    return new Mp4Target(openSink(output, video.name), video, timeline);
  } catch (error) {
    throw stageError('OutputError', video.name, 'the output file could not be created', error);
  }
}
