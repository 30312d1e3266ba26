// The browser's scratch files (its profile, the driver's artifacts) in a folder of this run's own,
// `dualface-run-PID` in the system's temporary folder: removed when the run ends, and, when a run
// was killed before it could (kill -9, a crash, a power cut), by the next run, which finds its
// process gone.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'dualface-run-';

/** Whether a process of this machine still runs (one of another user's counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Removes the scratch folders of runs that are gone; returns how many. */
export function removeStaleScratch(root = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length));
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Points this process's temporary folder (and so the browser's) at a folder of its own. */
export function useRunScratch(): string {
  const root = tmpdir();
  removeStaleScratch(root);
  const dir = join(root, `${PREFIX}${process.pid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env['TMPDIR'] = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
