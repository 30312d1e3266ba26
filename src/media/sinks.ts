// Byte sinks for the MP4 writer.
import { DualFaceError } from '../core/errors';
import type { ByteSink } from './mux';
import type { JobOutput } from './io';
import type { Checkpoint, LogSink } from './packet-log';

/** A file in the origin-private file system, written in place with a sync access handle (worker only). */
export class OpfsSink implements ByteSink {
  readonly chunkSize = null;
  private done = false;

  private constructor(
    private readonly directory: FileSystemDirectoryHandle,
    private readonly name: string,
    private readonly handle: FileSystemSyncAccessHandle,
  ) {}

  static async open(name: string): Promise<OpfsSink> {
    const directory = await navigator.storage.getDirectory();
    const file = await directory.getFileHandle(name, { create: true });
    const handle = await file.createSyncAccessHandle();
    handle.truncate(0);
    return new OpfsSink(directory, name, handle);
  }

  async write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    const written = this.handle.write(data, { at: position });
    if (written !== data.byteLength) throw new DualFaceError('OutputError', `${this.name}: the output could not be written (disk full? wrote ${written} of ${data.byteLength} bytes)`);
  }

  async reset(): Promise<void> {
    this.handle.truncate(0);
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.handle.flush();
    this.handle.close();
  }

  async discard(): Promise<void> {
    if (!this.done) {
      this.done = true;
      this.handle.close();
    }
    await this.directory.removeEntry(this.name).catch(() => undefined);
  }
}

/**
 * Positioned PUTs to a URL (the command line's local server), which writes a temporary file and
 * renames it only when the job succeeds.
 */
export class HttpSink implements ByteSink {
  readonly chunkSize = 4 * 1024 * 1024;
  private done = false;

  /** `inputName` names the job in messages. */
  constructor(
    private readonly url: string,
    private readonly inputName: string,
  ) {}

  private async send(method: 'PUT' | 'POST' | 'DELETE', query: string, body?: Uint8Array<ArrayBuffer>): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.url}?${query}`, { method, ...(body ? { body } : {}) });
    } catch {
      throw new DualFaceError('OutputError', `${this.inputName}: the output could not be written (the command line stopped answering)`);
    }
    // The server answers a plain reason ("no space left on the disk"); its status code is no news to a user.
    if (!response.ok) throw new DualFaceError('OutputError', `${this.inputName}: the output could not be written: ${(await response.text()) || 'unknown reason'}`);
  }

  write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    return this.send('PUT', `position=${position}`, data);
  }

  reset(): Promise<void> {
    return this.send('POST', 'action=reset');
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.send('POST', 'action=finish');
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.send('DELETE', 'action=discard').catch(() => undefined);
  }
}

/** A packet log on the command line's local server: positioned PUTs, and checkpoints it makes durable. */
export class HttpLogSink implements LogSink {
  constructor(
    private readonly url: string,
    private readonly inputName: string,
  ) {}

  private async send(method: 'PUT' | 'POST', query: string, body: Uint8Array<ArrayBuffer> | string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.url}?${query}`, { method, body });
    } catch {
      throw new DualFaceError('OutputError', `${this.inputName}: the output could not be written (the command line stopped answering)`);
    }
    if (!response.ok) throw new DualFaceError('OutputError', `${this.inputName}: the output could not be written: ${(await response.text()) || 'unknown reason'}`);
  }

  write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    return this.send('PUT', `position=${position}`, data);
  }

  checkpoint(checkpoint: Checkpoint): Promise<void> {
    return this.send('POST', 'action=checkpoint', JSON.stringify(checkpoint));
  }
}

/** `inputName` names the job in messages. */
export function openSink(output: Exclude<JobOutput, { kind: 'log' }>, inputName: string): Promise<ByteSink> {
  return output.kind === 'opfs' ? OpfsSink.open(output.name) : Promise.resolve(new HttpSink(output.url, inputName));
}
