// A job's output files: named for the whole batch before any job starts, claimed once with exclusive
// creation, written under temporary names, and given their final names together only when all of
// them are complete. A failed job leaves none of them; an interrupted one leaves only its packet log
// and journal (hidden, never taken for a video), which the same command resumes (./resume.ts). An
// existing output is never replaced unless the user asked for that.
import { rmSync } from 'node:fs';
import { link, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { exists, rangeReader } from './files';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { outputBaseNames } from './args';
import { describeFsError } from './server';
import { DAMAGED, newJournal, ownerAlive, readJournal, removeResumeFiles, sameJob, writeJournal, type JobIdentity, type Journal } from './resume';
import { logProblem, type Checkpoint } from '../media/packet-log';

/** One file of a job: written at `temp`, published at `final`. */
export interface OutputFilePlan {
  final: string;
  temp: string;
}

/** The render's packet log and its journal (kept when a run is interrupted, to resume). */
export interface ResumeFiles {
  log: string;
  journal: string;
}

export interface JobOutputs {
  /** null with --review: the analysis writes the tracks file only. */
  video: OutputFilePlan | null;
  tracks: OutputFilePlan | null;
  /** Who speaks when, as RTTM (the speech setting). */
  rttm: OutputFilePlan | null;
  /** With a video. */
  resume: ResumeFiles | null;
  /**
   * Names the run writing this job's files (its pid and host) while it runs: a temporary file is
   * another run's only while that run is alive.
   */
  owner: string;
}

// Temporaries claimed and not yet published or removed: removed on any exit, a second Ctrl-C too.
const live = new Set<string>();
process.on('exit', () => {
  for (const temp of live) rmSync(temp, { force: true });
});

/**
 * Pure: the files each input will write, all distinct. `speech`: true for DIR/<name>.rttm, or the
 * RTTM file's path (one input).
 */
export function planOutputs(inputs: readonly string[], outDir: string, withTracks: boolean, withVideo = true, speech: boolean | string = false): JobOutputs[] {
  const dir = resolve(outDir);
  const at = (folder: string, name: string): OutputFilePlan => ({ final: join(folder, name), temp: join(folder, `.${name}.partial`) });
  const file = (name: string) => at(dir, name);
  const rttm = (base: string) => (typeof speech === 'string' ? at(dirname(resolve(speech)), basename(speech)) : speech ? file(`${base}.rttm`) : null);
  return outputBaseNames(inputs).map((base) => ({
    video: withVideo ? file(`${base}.dualface.mp4`) : null,
    tracks: withTracks ? file(`${base}.tracks.json`) : null,
    rttm: rttm(base),
    resume: withVideo ? { log: join(dir, `.${base}.dualface.mp4.packets`), journal: join(dir, `.${base}.dualface.mp4.resume.json`) } : null,
    owner: join(dir, `.${base}.dualface.owner`),
  }));
}

export function filesOf(outputs: JobOutputs): OutputFilePlan[] {
  return [outputs.video, outputs.tracks, outputs.rttm].filter((file) => file !== null);
}

/** The outputs that exist already (a job that would replace them is skipped without --overwrite). */
export async function existingOutputs(outputs: JobOutputs): Promise<string[]> {
  const found: string[] = [];
  for (const { final } of filesOf(outputs)) if (await exists(final)) found.push(final);
  return found;
}

interface Owner {
  pid: number;
  host: string;
}

async function readOwner(path: string): Promise<Owner | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const owner = JSON.parse(text) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : null;
  } catch {
    return null;
  }
}

/**
 * Makes this run the job's owner: the owner file is written whole under a name of this process's,
 * then linked into place, which fails if another run got there first. A file of a run that is gone
 * (killed) is taken over; a live run's is refused, naming it.
 */
async function claimOwner(input: string, outputs: JobOutputs): Promise<void> {
  const mine = `${outputs.owner}.${process.pid}`;
  await writeFile(mine, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, outputs.owner);
        live.add(outputs.owner);
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const owner = await readOwner(outputs.owner);
      if (owner && ownerAlive(owner)) {
        throw new Error(`${input}: another dualface run (process ${owner.pid} on ${owner.host}) is writing ${filesOf(outputs)[0]?.final ?? outputs.owner}`);
      }
      await rm(outputs.owner, { force: true });
    }
  } finally {
    await rm(mine, { force: true });
  }
}

/** How a job's claim went: where it resumes (null: from the start), and what to tell the user. */
export interface Claim {
  journal: Journal | null;
  checkpoint: Checkpoint | null;
  note: string | null;
}

/**
 * Takes over an interrupted run's packet log when its journal belongs to this same job and its run is
 * gone; sets aside (removes) one of another job, or any with `restart`. A live run's is refused.
 */
async function takeOver(input: string, outputs: JobOutputs, identity: JobIdentity, restart: boolean): Promise<Claim> {
  const files = outputs.resume!;
  const read = await readJournal(files.journal);
  const found = read === DAMAGED ? null : read;
  if (found && ownerAlive(found.owner)) {
    throw new Error(`${input}: another dualface run (process ${found.owner.pid} on ${found.owner.host}) is writing ${outputs.video!.final}`);
  }
  const sameAndStarted = found !== null && !restart && sameJob(found.identity, identity) && found.checkpoint !== null && found.checkpoint.frames > 0;
  const badLog = sameAndStarted ? await packetLogProblem(files.log, found.checkpoint!) : null;
  const resumable = sameAndStarted && badLog === null;
  // What a killed run left under temporary names is stale and removed by claimOutputs, but the tracks
  // file once the log is complete: kept (claimed here).
  const tracksTemp = outputs.tracks?.temp;
  const keepTracks = resumable && found.checkpoint!.complete && found.tracksSaved === true && tracksTemp !== undefined && (await exists(tracksTemp));
  if (!resumable) {
    await removeResumeFiles(files);
    let note: string | null = null;
    if (read === DAMAGED && !restart) note = `${input}: an interrupted run's journal ${files.journal} is damaged: starting over`;
    else if (badLog !== null) note = `${input}: an interrupted run's ${files.log} cannot be continued (${badLog}): starting over`;
    else if (found && !restart) {
      note = sameJob(found.identity, identity)
        ? `${input}: an interrupted run had rendered nothing yet: starting from the beginning`
        : `${input}: an interrupted run's ${files.log} was made with other settings or another version of the input: starting over`;
    }
    const journal = newJournal(identity);
    await writeJournal(files.journal, journal);
    await (await open(files.log, 'w')).close();
    return { journal, checkpoint: null, note };
  }
  const journal: Journal = { ...found, owner: newJournal(identity).owner };
  await writeJournal(files.journal, journal);
  const checkpoint = found.checkpoint!;
  if (keepTracks) live.add(tracksTemp);
  return { journal, checkpoint, note: null };
}

/** Why the packet log at `path` cannot be continued from `checkpoint` (see logProblem), or null. */
async function packetLogProblem(path: string, checkpoint: Checkpoint): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return 'it is missing';
  const log = await open(path, 'r');
  try {
    return await logProblem(rangeReader(log), info.size, checkpoint);
  } finally {
    await log.close();
  }
}

/**
 * Creates every temporary file of a job exclusively (O_EXCL): another run writing the same outputs
 * into the same folder is refused here rather than interleaved. A video's packet log is taken over
 * from an interrupted run of the same job (see takeOver). On failure nothing stays claimed.
 */
export async function claimOutputs(input: string, outputs: JobOutputs, identity: JobIdentity | null = null, restart = false): Promise<Claim> {
  const claimed: string[] = [];
  let claim: Claim = { journal: null, checkpoint: null, note: null };
  await claimOwner(input, outputs).catch((error: unknown) => {
    if (error instanceof Error && !('code' in error)) throw error;
    throw new Error(`${input}: the output ${outputs.owner} could not be created: ${describeFsError(error)}`);
  });
  try {
    if (outputs.resume && identity) {
      const files = outputs.resume;
      claim = await takeOver(input, outputs, identity, restart).catch((error: unknown) => {
        if (error instanceof Error && !('code' in error)) throw error;
        throw new Error(`${input}: the output ${files.journal} could not be created: ${describeFsError(error)}`);
      });
    }
    for (const { temp } of filesOf(outputs)) {
      if (live.has(temp)) continue;
      // This run owns the job: a temporary file left here is a killed run's.
      await rm(temp, { force: true });
      const handle = await open(temp, 'wx').catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'EEXIST') {
          throw new Error(
            `${input}: ${temp} exists: another dualface run is writing this output, or an earlier one was interrupted (remove that file to start over)`,
          );
        }
        throw new Error(`${input}: the output ${temp} could not be created: ${describeFsError(error)}`);
      });
      claimed.push(temp);
      live.add(temp);
      await handle.close();
    }
  } catch (error) {
    await Promise.all(claimed.map((temp) => rm(temp, { force: true })));
    for (const temp of claimed) live.delete(temp);
    if (claim.journal && !claim.checkpoint && outputs.resume) await removeResumeFiles(outputs.resume);
    await releaseOwner(outputs);
    throw error;
  }
  return claim;
}

async function releaseOwner(outputs: JobOutputs): Promise<void> {
  if (!live.has(outputs.owner)) return;
  await rm(outputs.owner, { force: true });
  live.delete(outputs.owner);
}

/** Removes a job's temporary files and lets go of it (idempotent). */
export async function removeTemporaries(outputs: JobOutputs): Promise<void> {
  await Promise.all(filesOf(outputs).map(({ temp }) => rm(temp, { force: true })));
  for (const { temp } of filesOf(outputs)) live.delete(temp);
  await releaseOwner(outputs);
}

/**
 * Gives every file of a job its final name. Without `overwrite` each is published with link(),
 * which fails rather than replace a file that appeared meanwhile. All or none: a failure takes back
 * what was published and removes the temporaries.
 */
export async function publishOutputs(input: string, outputs: JobOutputs, overwrite: boolean): Promise<void> {
  const published: string[] = [];
  try {
    for (const { temp, final } of filesOf(outputs)) {
      try {
        if (overwrite) {
          await rename(temp, final);
        } else {
          await link(temp, final);
          await unlink(temp);
        }
        live.delete(temp);
      } catch (error) {
        const reason =
          (error as { code?: unknown }).code === 'EEXIST' ? 'it appeared while the job ran (kept; use --overwrite to replace it)' : describeFsError(error);
        throw new Error(`${input}: the output ${final} could not be written: ${reason}`, { cause: error });
      }
      published.push(final);
    }
    await releaseOwner(outputs);
  } catch (error) {
    // With --overwrite a replaced file is gone already; without it, nothing of the user's is touched.
    await Promise.all(published.map((final) => rm(final, { force: true })));
    await removeTemporaries(outputs);
    throw error;
  }
}
