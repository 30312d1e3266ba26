// `--encoders auto` on the command line: the page measures how many hardware encoders the browser
// opens at once; its profile is fresh for every run, so the command line remembers the count, per
// browser executable and version, in the user's cache folder.
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { replaceFile } from './files';

export function memoryFile(): string {
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'dualface', 'hardware-encoders.json');
}

async function readAll(): Promise<Record<string, number>> {
  try {
    const parsed = JSON.parse(await readFile(memoryFile(), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export async function rememberedEncoders(browser: string): Promise<number | null> {
  const count = (await readAll())[browser];
  return Number.isInteger(count) ? count! : null;
}

/** Best effort: a cache that cannot be written means measuring again next time. */
export async function rememberEncoders(browser: string, count: number): Promise<void> {
  try {
    const all = { ...(await readAll()), [browser]: count };
    const file = memoryFile();
    await mkdir(dirname(file), { recursive: true });
    await replaceFile(file, JSON.stringify(all, null, 2) + '\n');
  } catch {
    // Not remembered.
  }
}
