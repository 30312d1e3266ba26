// Renders the page can resume: each render writes a packet log in the origin-private file system
// (see media/sinks.ts), and the page remembers, in its storage, what it needs to take up again after
// a closed tab, a crash or a reload: the input's name, size and modification time (the user picks the
// file again: a page keeps no access to it), the settings, and the tracks file the render follows
// (in OPFS beside the log).
import type { TracksFile } from '../framing/tracks-file';
import type { JobSettings } from '../job/protocol';
import type { Checkpoint } from '../media/packet-log';
import { readOpfsCheckpoint, removeOpfsLog } from '../media/sinks';

export interface RenderRecord {
  /** The log's name in OPFS: `base`.packets, `base`.journal-a/b, `base`.tracks.json, then `base`.mp4. */
  base: string;
  fileName: string;
  fileSize: number;
  fileLastModified: number;
  outputName: string;
  settings: JobSettings;
  /** Frames the render makes in all. */
  frames: number;
}

export interface InterruptedRender {
  record: RenderRecord;
  /** Where it stopped: null when no frame was written yet (it starts over). */
  checkpoint: Checkpoint | null;
}

const KEY = 'dualface.renders';

/** "stopped after 1080 of 1800 frames (60 %)", or that it starts over. */
export function describeInterrupted({ record, checkpoint }: InterruptedRender): string {
  if (!checkpoint || checkpoint.frames === 0) return 'stopped before any frame was written: it starts over';
  if (checkpoint.complete) return 'every frame was rendered: only the MP4 remains to be made';
  return `stopped after ${checkpoint.frames} of ${record.frames} frames (${Math.floor((100 * checkpoint.frames) / Math.max(1, record.frames))} %)`;
}

function records(): RenderRecord[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as RenderRecord[]) : [];
  } catch {
    return [];
  }
}

function store(list: readonly RenderRecord[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage off: this render cannot be resumed after a reload, it still runs.
  }
}

/** Whether `file` is the render's input (same name, size and modification time). */
export function isInputOf(record: RenderRecord, file: File): boolean {
  return file.name === record.fileName && file.size === record.fileSize && file.lastModified === record.fileLastModified;
}

async function directory(): Promise<FileSystemDirectoryHandle> {
  return navigator.storage.getDirectory();
}

/** Remembered before the render starts, with its tracks file. */
export async function rememberRender(record: RenderRecord, tracks: TracksFile): Promise<void> {
  const file = await (await directory()).getFileHandle(`${record.base}.tracks.json`, { create: true });
  const writable = await file.createWritable();
  await writable.write(JSON.stringify(tracks));
  await writable.close();
  store([...records().filter((r) => r.base !== record.base), record]);
}

export async function tracksOf(record: RenderRecord): Promise<TracksFile> {
  const file = await (await (await directory()).getFileHandle(`${record.base}.tracks.json`)).getFile();
  return JSON.parse(await file.text()) as TracksFile;
}

/** The render is over (done, failed or discarded): its log, journal and tracks go; the MP4 stays. */
export async function forgetRender(base: string): Promise<void> {
  store(records().filter((r) => r.base !== base));
  await removeOpfsLog(base);
  await (await directory()).removeEntry(`${base}.tracks.json`).catch(() => undefined);
}

/** Discarded by the user: the half-made MP4 too. */
export async function discardRender(base: string): Promise<void> {
  await forgetRender(base);
  await (await directory()).removeEntry(`${base}.mp4`).catch(() => undefined);
}

/** The Web Lock a render holds while it runs (in this tab or another). */
export const renderLock = (base: string) => `dualface-render-${base}`;

/** Renders remembered whose lock nobody holds: no tab runs them, so a visit can resume them. */
export async function interruptedRenders(): Promise<InterruptedRender[]> {
  const held = new Set(((await navigator.locks?.query())?.held ?? []).map((lock) => lock.name));
  const found: InterruptedRender[] = [];
  for (const record of records()) {
    if (held.has(renderLock(record.base))) continue;
    found.push({ record, checkpoint: await readOpfsCheckpoint(record.base) });
  }
  return found;
}
