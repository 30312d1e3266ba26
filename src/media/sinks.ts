// Byte sinks for the MP4 writer.
import { DualFaceError } from '../core/errors';
import type { ByteSink } from './mux';
import type { JobOutput } from './io';
import { isCheckpoint, type Checkpoint, type LogSink } from './packet-log';

/** One request to the command line's local server about an output; its refusal in the user's words. */
async function sendToServer(
  url: string,
  inputName: string,
  method: 'PUT' | 'POST' | 'DELETE',
  query: string,
  body?: Uint8Array<ArrayBuffer> | string,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url}?${query}`, { method, ...(body !== undefined ? { body } : {}) });
  } catch {
    throw new DualFaceError('OutputError', `${inputName}: the output could not be written (the command line stopped answering)`);
  }
  // The server answers a plain reason ("no space left on the disk"); its status code is no news to a user.
  if (!response.ok) throw new DualFaceError('OutputError', `${inputName}: the output could not be written: ${(await response.text()) || 'unknown reason'}`);
}

/** A positioned write through a sync access handle; a short one (a full disk) is an error naming the file. */
function writeAt(handle: FileSystemSyncAccessHandle, data: Uint8Array<ArrayBuffer>, position: number, name: string): void {
  const written = handle.write(data, { at: position });
  if (written !== data.byteLength)
    throw new DualFaceError('OutputError', `${name}: the output could not be written (disk full? wrote ${written} of ${data.byteLength} bytes)`);
}

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
    writeAt(this.handle, data, position, this.name);
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

  private send(method: 'PUT' | 'POST' | 'DELETE', query: string, body?: Uint8Array<ArrayBuffer>): Promise<void> {
    return sendToServer(this.url, this.inputName, method, query, body);
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

  private send(method: 'PUT' | 'POST', query: string, body: Uint8Array<ArrayBuffer> | string): Promise<void> {
    return sendToServer(this.url, this.inputName, method, query, body);
  }

  write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    return this.send('PUT', `position=${position}`, data);
  }

  checkpoint(checkpoint: Checkpoint): Promise<void> {
    return this.send('POST', 'action=checkpoint', JSON.stringify(checkpoint));
  }
}

/** `inputName` names the job in messages. */
export function openSink(output: Extract<JobOutput, { kind: 'http' }>, inputName: string): ByteSink {
  return new HttpSink(output.url, inputName);
}

/** The journal slots of an OPFS packet log: written in turn, so a crash mid-write leaves the other intact. */
const JOURNAL_SLOTS = ['a', 'b'] as const;

interface JournalSlot {
  seq: number;
  checkpoint: Checkpoint;
}

/** The names an OPFS packet log `base` uses: the log, then its journal slots (the page lists and removes them). */
export function opfsLogNames(base: string): string[] {
  return [`${base}.packets`, ...JOURNAL_SLOTS.map((slot) => `${base}.journal-${slot}`)];
}

/** A journal slot's text, or null when it is empty or was cut short by a crash. */
function parseSlot(text: string): JournalSlot | null {
  try {
    const parsed = JSON.parse(text) as JournalSlot;
    return isCheckpoint(parsed.checkpoint) && typeof parsed.seq === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/** The latest checkpoint of an OPFS packet log, or null (none written, or gone). Works in the page too. */
export async function readOpfsCheckpoint(base: string): Promise<Checkpoint | null> {
  const directory = await navigator.storage.getDirectory();
  let best: JournalSlot | null = null;
  for (const name of opfsLogNames(base).slice(1)) {
    // Missing or torn: the other slot holds the one before.
    const text = await directory
      .getFileHandle(name)
      .then((h) => h.getFile())
      .then(
        (f) => f.text(),
        () => '',
      );
    const slot = parseSlot(text);
    if (slot && (!best || slot.seq > best.seq)) best = slot;
  }
  return best?.checkpoint ?? null;
}

/**
 * A packet log in the origin-private file system (the page's resumable render), written with sync
 * access handles (worker only): the log flushed before each checkpoint is written, in turn, to one
 * of two journal slots.
 */
export class OpfsLogSink implements LogSink {
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly base: string,
    private readonly log: FileSystemSyncAccessHandle,
    private readonly slots: FileSystemSyncAccessHandle[],
  ) {}

  static async open(base: string): Promise<OpfsLogSink> {
    const directory = await navigator.storage.getDirectory();
    const handle = async (name: string) => (await directory.getFileHandle(name, { create: true })).createSyncAccessHandle();
    const [log, ...slots] = await Promise.all(opfsLogNames(base).map(handle));
    const sink = new OpfsLogSink(base, log!, slots);
    // Carry on from the numbering of the journal that is there (a resumed render).
    for (const slot of slots) {
      const bytes = new Uint8Array(slot.getSize());
      slot.read(bytes, { at: 0 });
      sink.seq = Math.max(sink.seq, parseSlot(new TextDecoder().decode(bytes))?.seq ?? 0);
    }
    return sink;
  }

  async write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void> {
    writeAt(this.log, data, position, this.base);
  }

  async checkpoint(checkpoint: Checkpoint): Promise<void> {
    this.log.flush();
    this.seq++;
    const slot = this.slots[this.seq % this.slots.length]!;
    const bytes = new TextEncoder().encode(JSON.stringify({ seq: this.seq, checkpoint } satisfies JournalSlot));
    slot.truncate(0);
    slot.write(bytes, { at: 0 });
    slot.flush();
  }

  /** Reads the log's bytes [start, end). */
  async read(start: number, end: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(end - start);
    const read = this.log.read(bytes, { at: start });
    return bytes.subarray(0, read);
  }

  /** Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handle of [this.log, ...this.slots]) handle.close();
  }
}

/** Removes an OPFS packet log and its journal (the page, once the MP4 is made or the job discarded). */
export async function removeOpfsLog(base: string): Promise<void> {
  const directory = await navigator.storage.getDirectory();
  await Promise.all(opfsLogNames(base).map((name) => directory.removeEntry(name).catch(() => undefined)));
}
