// The run report (`--report FILE` on the command line, "Download report" in the page). Pure.
import type { JobResult } from './protocol';

/** How a job ended: skipped means its output existed already and was kept. */
export type JobStatus = 'done' | 'failed' | 'skipped' | 'cancelled';

export interface JobRecord {
  input: string;
  /** Without it: done when there is a result, else failed. */
  status?: JobStatus;
  output: string | null;
  tracks?: string | null;
  result: JobResult | null;
  error: string | null;
  /** The job's own time, without browser start-up. */
  wallSeconds: number;
}

/** `hardwareEncoderLimit`: the hardware encoders the jobs could use at once (with `auto`, as measured). */
export function reportJson(jobs: readonly JobRecord[], peakConcurrentEncoders: number, hardwareEncoderLimit: number): object {
  const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    jobs: jobs.map((job) => {
      const r = job.result;
      return {
        input: job.input,
        status: job.status ?? (job.result ? 'done' : 'failed'),
        output: job.output,
        tracks: job.tracks ?? null,
        frames: r?.frames ?? null,
        durationSeconds: r ? round(r.durationSeconds, 3) : null,
        wallSeconds: round(job.wallSeconds, 3),
        fps: r && job.wallSeconds > 0 ? round(r.frames / job.wallSeconds, 2) : null,
        realtimeFactor: r && job.wallSeconds > 0 ? round(r.durationSeconds / job.wallSeconds, 3) : null,
        encoder: r?.encoder ?? null,
        encoderCodec: r?.encoderCodec ?? null,
        fallbacks: r?.fallbacks ?? [],
        compositor: r?.compositor ?? null,
        compositorReason: r?.compositorReason ?? null,
        audio: r?.audio ?? null,
        passes: r?.passes ?? null,
        castSeconds: r ? round(r.castSeconds, 3) : null,
        analyseSeconds: r ? round(r.analyseSeconds, 3) : null,
        renderSeconds: r ? round(r.renderSeconds, 3) : null,
        renderEffort: r ? Object.fromEntries(Object.entries<number>({ ...r.renderEffort }).map(([k, v]) => [k, round(v, 3)])) : null,
        error: job.error,
      };
    }),
    peakConcurrentEncoders,
    hardwareEncoderLimit,
  };
}
