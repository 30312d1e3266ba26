// Resuming a render the command line did not finish (kill -9, a crash, a power cut, Ctrl-C): each
// video output has a packet log (`.NAME.packets`) and a journal (`.NAME.resume.json`) beside it. The
// journal names its run (pid and host), the job it belongs to (input file, size, modification time,
// settings, tracks file) and the last checkpoint. Running the same command again takes up at that
// checkpoint; a journal of another job, or --restart, starts over.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_FORMATS, FilePathSource, Input } from 'mediabunny';
import { isCheckpoint, type Checkpoint } from '../media/packet-log';
import { remuxLog } from '../media/remux';
import { Timeline } from '../framing/timeline';
import type { JobResult, JobSettings } from '../job/protocol';
import { FileSink } from './file-sink';
import { rangeReader, replaceFile } from './files';
import { processAlive } from './scratch';

/** What must be the same for a packet log to be continued. */
export interface JobIdentity {
  input: string;
  size: number;
  mtimeMs: number;
  settings: string;
  /** sha256 of the tracks file given with --tracks-in, else null. */
  tracksIn: string | null;
}

export interface Journal {
  version: 1;
  owner: { pid: number; host: string };
  identity: JobIdentity;
  checkpoint: Checkpoint | null;
  /** Once the log is complete: the job's result (tracks without frames), for a resume that only muxes. */
  result?: JobResult;
  /** The tracks file was written to its temporary name (with --tracks) before the log completed. */
  tracksSaved?: boolean;
}

export async function jobIdentity(input: string, settings: JobSettings, tracksInText: string | null): Promise<JobIdentity> {
  const info = await stat(input);
  return {
    input,
    size: info.size,
    mtimeMs: info.mtimeMs,
    settings: JSON.stringify(settings),
    tracksIn: tracksInText === null ? null : createHash('sha256').update(tracksInText).digest('hex'),
  };
}

export function sameJob(a: JobIdentity, b: JobIdentity): boolean {
  return a.input === b.input && a.size === b.size && a.mtimeMs === b.mtimeMs && a.settings === b.settings && a.tracksIn === b.tracksIn;
}

export function newJournal(identity: JobIdentity): Journal {
  return { version: 1, owner: { pid: process.pid, host: hostname() }, identity, checkpoint: null };
}

/** A journal that exists but cannot be read as one (cut short, edited, written by something else). */
export const DAMAGED = 'damaged';

/** null when there is none. */
export async function readJournal(path: string): Promise<Journal | typeof DAMAGED | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const journal = JSON.parse(text) as Journal;
    if (
      journal.version !== 1 ||
      typeof journal.owner?.pid !== 'number' ||
      typeof journal.owner.host !== 'string' ||
      typeof journal.identity !== 'object' ||
      journal.identity === null
    )
      return DAMAGED;
    if (journal.checkpoint !== null && !isCheckpoint(journal.checkpoint)) return DAMAGED;
    return journal;
  } catch {
    return DAMAGED;
  }
}

/** Written whole or not at all (see replaceFile). */
export function writeJournal(path: string, journal: Journal): Promise<void> {
  return replaceFile(path, JSON.stringify(journal));
}

/** Whether the run that wrote the journal may still be running (another host: it cannot be told, so yes). */
export function ownerAlive(owner: Journal['owner']): boolean {
  if (owner.host !== hostname()) return true;
  return owner.pid !== process.pid && processAlive(owner.pid);
}

export async function removeResumeFiles(files: { log: string; journal: string }): Promise<void> {
  await Promise.all([rm(files.log, { force: true }), rm(files.journal, { force: true }), rm(`${files.journal}.new`, { force: true })]);
}

/** Makes the MP4 at `outPath` (which exists) from a complete packet log, the input's audio copied. */
export async function muxLogFile(options: {
  log: string;
  checkpoint: Checkpoint;
  input: string;
  trimmed: readonly (readonly [number, number])[];
  outPath: string;
  signal: AbortSignal;
  onProgress?: (frames: number) => void;
}): Promise<JobResult['audio']> {
  const log = await open(options.log, 'r');
  const input = new Input({ source: new FilePathSource(options.input), formats: ALL_FORMATS });
  try {
    return await remuxLog({
      read: rangeReader(log),
      checkpoint: options.checkpoint,
      audio: await input.getPrimaryAudioTrack(),
      timeline: new Timeline(options.trimmed),
      sink: new FileSink(options.outPath),
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    input.dispose();
    await log.close();
  }
}

/** How long an interrupted run's packet log waits for the same command before it is removed. */
export const ABANDONED_DAYS = 7;

/**
 * Removes the packet logs of interrupted runs in `dir` that nobody resumed within ABANDONED_DAYS
 * (their run gone, their journal untouched since); returns the logs removed.
 */
export async function removeAbandonedLogs(dir: string, now = Date.now()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = /^\.(.+)\.resume\.json$/.exec(name);
    if (!match) continue;
    const journalPath = join(dir, name);
    const info = await stat(journalPath).catch(() => null);
    if (!info || now - info.mtimeMs < ABANDONED_DAYS * 86_400_000) continue;
    const journal = await readJournal(journalPath);
    if (journal && journal !== DAMAGED && ownerAlive(journal.owner)) continue;
    const log = join(dir, `.${match[1]}.packets`);
    await removeResumeFiles({ log, journal: journalPath });
    removed.push(log);
  }
  return removed;
}
