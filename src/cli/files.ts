// Writing files on the command line's side: whole positioned writes, and files replaced whole.
import { constants } from 'node:fs';
import { access, mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A write may be short (a disk that just filled up); the next one then says why. */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.byteLength;) {
    const { bytesWritten } = await handle.write(data, done, data.byteLength - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('nothing written'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Written whole or not at all: `path`.new, flushed, then renamed over `path`. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.new`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/**
 * mkdir -p that says why it failed: Node's recursive mkdir answers ENOENT on a read-only file system
 * (or a folder it may not write to); the folder's first missing part is made on its own, which fails
 * with the real reason (EROFS, EACCES).
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    let missing = path;
    while (dirname(missing) !== missing && !(await exists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing);
    throw error;
  }
}

export const exists = (path: string): Promise<boolean> =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

/** Reads `handle`'s bytes from `start` to `end`, fewer where the file ends (a packet log's reader). */
export function rangeReader(handle: FileHandle): (start: number, end: number) => Promise<Uint8Array> {
  return async (start, end) => {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    return buffer.subarray(0, bytesRead);
  };
}
