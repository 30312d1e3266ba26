// A file on disk as a byte sink for the MP4 writer (the command line makes the MP4 from the packet log).
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { ByteSink } from '../media/mux';
import { writeAll } from './files';

export class FileSink implements ByteSink {
  readonly chunkSize = 4 * 1024 * 1024;
  private handle: FileHandle | null = null;
  private done = false;

  constructor(private readonly path: string) {}

  private async file(): Promise<FileHandle> {
    return (this.handle ??= await open(this.path, 'r+'));
  }

  async write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    await writeAll(await this.file(), data, position);
  }

  async reset(): Promise<void> {
    await (await this.file()).truncate(0);
  }

  /** Flushed to disk before it counts as written. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const handle = await this.file();
    await handle.sync();
    await handle.close();
    this.handle = null;
  }

  async discard(): Promise<void> {
    this.done = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await rm(this.path, { force: true });
  }
}
