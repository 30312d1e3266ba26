// A job's output files: named for the whole batch before any job starts, claimed once with exclusive
// creation, written under temporary names, and given their final names together only when all of
// them are complete. A failed or cancelled job leaves none of them; an existing output is never
// replaced unless the user asked for that.
import { constants, rmSync } from 'node:fs';
import { access, link, open, rename, rm, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { outputBaseNames } from './args';
import { describeFsError } from './server';

/** One file of a job: written at `temp`, published at `final`. */
export interface OutputFilePlan {
  final: string;
  temp: string;
}

export interface JobOutputs {
  /** null with --review: the analysis writes the tracks file only. */
  video: OutputFilePlan | null;
  tracks: OutputFilePlan | null;
}

// Temporaries claimed and not yet published or removed: removed on any exit, a second Ctrl-C too.
const live = new Set<string>();
process.on('exit', () => {
  for (const temp of live) rmSync(temp, { force: true });
});

/** Pure: the files each input will write, all distinct. */
export function planOutputs(inputs: readonly string[], outDir: string, withTracks: boolean, withVideo = true): JobOutputs[] {
  const dir = resolve(outDir);
  const file = (name: string): OutputFilePlan => ({ final: join(dir, name), temp: join(dir, `.${name}.partial`) });
  return outputBaseNames(inputs).map((base) => ({
    video: withVideo ? file(`${base}.dualface.mp4`) : null,
    tracks: withTracks ? file(`${base}.tracks.json`) : null,
  }));
}

export function filesOf(outputs: JobOutputs): OutputFilePlan[] {
  return [outputs.video, outputs.tracks].filter((file) => file !== null);
}

/** The outputs that exist already (a job that would replace them is skipped without --overwrite). */
export async function existingOutputs(outputs: JobOutputs): Promise<string[]> {
  const found: string[] = [];
  for (const { final } of filesOf(outputs)) {
    if (await access(final, constants.F_OK).then(() => true, () => false)) found.push(final);
  }
  return found;
}

/**
 * Creates every temporary file of a job exclusively (O_EXCL): another run writing the same outputs
 * into the same folder is refused here rather than interleaved. On failure nothing stays claimed.
 */
export async function claimOutputs(input: string, outputs: JobOutputs): Promise<void> {
  const claimed: string[] = [];
  try {
    for (const { temp } of filesOf(outputs)) {
      const handle = await open(temp, 'wx').catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'EEXIST') {
          throw new Error(`${input}: ${temp} exists: another dualface run is writing this output, or an earlier one was interrupted (remove that file to start over)`);
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
    throw error;
  }
}

/** Removes a job's temporary files (idempotent). */
export async function removeTemporaries(outputs: JobOutputs): Promise<void> {
  await Promise.all(filesOf(outputs).map(({ temp }) => rm(temp, { force: true })));
  for (const { temp } of filesOf(outputs)) live.delete(temp);
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
        const reason = (error as { code?: unknown }).code === 'EEXIST' ? 'it appeared while the job ran (kept; use --overwrite to replace it)' : describeFsError(error);
        throw new Error(`${input}: the output ${final} could not be written: ${reason}`);
      }
      published.push(final);
    }
  } catch (error) {
    // With --overwrite a replaced file is gone already; without it, nothing of the user's is touched.
    await Promise.all(published.map((final) => rm(final, { force: true })));
    await removeTemporaries(outputs);
    throw error;
  }
}
