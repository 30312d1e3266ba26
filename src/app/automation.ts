// What the command line (and the browser tests) drive through Playwright: the very same worker
// pipeline as the page, with inputs and outputs as URLs on the command line's local server.
import { JobWorker } from '../job/client';
import { DualFaceError, serializeError, type SerializedError } from '../core/errors';
import { EncoderSlots } from '../media/encoder-slots';
import { applyEncoderSetting } from './hardware-encoders';
import type { JobFaults, JobProgress, JobResult, JobSettings } from '../job/protocol';
import type { Checkpoint } from '../media/packet-log';
import type { TracksFile } from '../framing/tracks-file';

export interface AutomationJob {
  name: string;
  inputUrl: string;
  /** null: analysis only. */
  outputUrl: string | null;
  /** The output URL takes a packet log and its checkpoints (the command line makes the MP4), not an MP4. */
  outputLog?: boolean;
  /** Where an interrupted run of this job stopped (with `outputLog`). */
  resume?: Checkpoint | null;
  /** Faults injected by tests of the recovery paths. */
  faults?: JobFaults;
  outputName: string;
  /** From the settings schema (`jobSettings`). */
  settings: JobSettings;
  tracksIn: TracksFile | null;
  analyseOnly?: boolean;
  /** Send the tracks' frames back (they are large for long videos: one entry per frame). */
  returnTracks?: boolean;
}

export type AutomationOutcome = { ok: true; result: JobResult } | { ok: false; error: SerializedError };

export interface Automation {
  /**
   * Hardware encoder slots shared by all jobs from now on; auto measures how many this browser opens
   * at once (`known`: what the caller remembers of an earlier measurement). Gives the limit.
   */
  configure(settings: { encoders: number | 'auto'; known?: number | null }): Promise<number>;
  /** The most hardware encoders in use at once so far. */
  peakEncoders(): number;
  /** Cancels a running job (its partial output is removed). */
  cancel(progressKey: string): void;
  run(job: AutomationJob, progressKey: string): Promise<AutomationOutcome>;
}

declare global {
  interface Window {
    dualface?: Automation;
    /** Exposed by Playwright-driven tools (benchmarks, tests) to receive progress. */
    dualfaceProgress?: (key: string, progress: JobProgress) => void;
    /** A DevTools binding the command line adds to receive progress (one string argument). */
    dualfaceProgressBinding?: (payload: string) => void;
  }
}

export function installAutomation(): void {
  const slots = new EncoderSlots(2);
  const running = new Map<string, AbortController>();
  window.dualface = {
    configure({ encoders, known }) {
      return applyEncoderSetting(slots, encoders, known ?? null);
    },
    peakEncoders: () => slots.peak,
    cancel(progressKey) {
      running.get(progressKey)?.abort(new DualFaceError('AbortError', 'cancelled'));
    },
    async run(job, progressKey) {
      const worker = new JobWorker(slots);
      const controller = new AbortController();
      running.set(progressKey, controller);
      try {
        const result = await worker.run(
          {
            input: { kind: 'url', url: job.inputUrl, name: job.name },
            output: job.outputUrl ? { kind: job.outputLog ? 'log' : 'http', url: job.outputUrl } : null,
            resume: job.resume ?? null,
            ...(job.faults ? { faults: job.faults } : {}),
            outputName: job.outputName,
            settings: job.settings,
            tracksIn: job.tracksIn,
            analyseOnly: job.analyseOnly ?? false,
            // Not asked for: the worker lets the frames go before rendering rather than send them here.
            returnFraming: job.returnTracks ?? true,
          },
          (progress) => {
            window.dualfaceProgress?.(progressKey, progress);
            window.dualfaceProgressBinding?.(JSON.stringify({ key: progressKey, progress }));
          },
          controller.signal,
        );
        const keepFrames = job.returnTracks ?? true;
        if (keepFrames) return { ok: true, result };
        // The review data is for the page; the command line needs neither it nor the frames here.
        const { review: _review, ...rest } = result;
        return { ok: true, result: { ...rest, tracks: { ...result.tracks, frames: [] } } };
      } catch (error) {
        return { ok: false, error: serializeError(error) };
      } finally {
        running.delete(progressKey);
        worker.terminate();
      }
    },
  };
}
