// The packet log: what a resumable render writes instead of an MP4. Encoded video packets are
// appended one group of pictures at a time; after each group the log's owner makes it durable and
// records a checkpoint (how many bytes, how many frames, where the next key frame starts). A render
// that was killed resumes at its last checkpoint's key frame; the MP4 is made from the log at the end
// (remux.ts), with the source's audio, so a half-made file never looks like a video.
import { DualFaceError, messageOf } from '../core/errors';
import { descriptionBytes } from './h264';
import { SerialWrites } from './serial-writes';

/** Where an interrupted render takes up again: everything before is in the log. */
export interface ResumePoint {
  /** Bytes of the log that hold the frames before this point. */
  bytes: number;
  /** Frames (video packets) in those bytes. */
  frames: number;
  /** Output time of the next frame (a key frame), microseconds. */
  outputMicros: number;
  /** The same frame's time in the source, microseconds (where the render decodes from). */
  sourceMicros: number;
}

/** The encoder's decoder configuration from `atBytes` on (a fallback may change encoders midway). */
export interface LogConfig {
  atBytes: number;
  codec: string;
  codedWidth: number;
  codedHeight: number;
  /** avcC, base64. */
  description: string;
}

export interface Checkpoint extends ResumePoint {
  configs: LogConfig[];
  /** Every frame is in the log: only the MP4 remains to be made. */
  complete: boolean;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Whether a value (a checkpoint sent by the page, or read back from disk) has a checkpoint's shape. */
export function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const configs = c['configs'];
  const configOk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return false;
    const x = v as Record<string, unknown>;
    return (
      isCount(x['atBytes']) && typeof x['codec'] === 'string' && isCount(x['codedWidth']) && isCount(x['codedHeight']) && typeof x['description'] === 'string'
    );
  };
  return (
    isCount(c['bytes']) &&
    isCount(c['frames']) &&
    typeof c['outputMicros'] === 'number' &&
    typeof c['sourceMicros'] === 'number' &&
    typeof c['complete'] === 'boolean' &&
    Array.isArray(configs) &&
    configs.every(configOk)
  );
}

/** Where the log's bytes go, and who keeps its checkpoints (makes the bytes durable first). */
export interface LogSink {
  write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void>;
  checkpoint(checkpoint: Checkpoint): Promise<void>;
}

export interface LoggedPacket {
  data: Uint8Array;
  /** Microseconds. */
  timestamp: number;
  duration: number;
  key: boolean;
  /** Where the record starts in the log. */
  offset: number;
}

/** Record header: u32 size, u8 flags (1 = key frame), f64 timestamp µs, f64 duration µs; little-endian. */
export const RECORD_HEADER = 21;

export function encodeRecord(data: Uint8Array, timestamp: number, duration: number, key: boolean): Uint8Array<ArrayBuffer> {
  const record = new Uint8Array(RECORD_HEADER + data.byteLength);
  const view = new DataView(record.buffer);
  view.setUint32(0, data.byteLength, true);
  view.setUint8(4, key ? 1 : 0);
  view.setFloat64(5, timestamp, true);
  view.setFloat64(13, duration, true);
  record.set(data, RECORD_HEADER);
  return record;
}

/** Reads records from `bytes` (a slice of the log starting at `offset`); returns those complete and the bytes used. */
export function decodeRecords(bytes: Uint8Array, offset: number): { packets: LoggedPacket[]; used: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: LoggedPacket[] = [];
  let at = 0;
  while (at + RECORD_HEADER <= bytes.byteLength) {
    const size = view.getUint32(at, true);
    if (at + RECORD_HEADER + size > bytes.byteLength) break;
    packets.push({
      data: bytes.subarray(at + RECORD_HEADER, at + RECORD_HEADER + size),
      key: (view.getUint8(at + 4) & 1) === 1,
      timestamp: view.getFloat64(at + 5, true),
      duration: view.getFloat64(at + 13, true),
      offset: offset + at,
    });
    at += RECORD_HEADER + size;
  }
  return { packets, used: at };
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** The start of a render: nothing written yet. */
export const START: ResumePoint = { bytes: 0, frames: 0, outputMicros: 0, sourceMicros: 0 };

/**
 * Takes the encoder's chunks in order, holds the current group of pictures, and at each key frame
 * appends the group to the log and records a checkpoint. Errors are kept and thrown at the next call.
 */
export class PacketLogWriter {
  private group: Uint8Array<ArrayBuffer>[] = [];
  private groupBytes = 0;
  private groupFrames = 0;
  private bytes: number;
  private frames: number;
  private readonly configs: LogConfig[];
  /** Output µs → source µs of frames sent to the encoder and not yet out of it. */
  private readonly sourceTimes = new Map<number, number>();
  private readonly writes = new SerialWrites();
  private last: Checkpoint;
  readonly audio = 'none' as const;

  constructor(
    private readonly sink: LogSink,
    from: Checkpoint | null,
  ) {
    this.bytes = from?.bytes ?? 0;
    this.frames = from?.frames ?? 0;
    this.configs = [...(from?.configs ?? [])];
    this.last = from ?? { ...START, configs: [], complete: false };
  }

  /** The last checkpoint recorded (where another attempt takes up). */
  get checkpoint(): Checkpoint {
    return this.last;
  }

  async start(): Promise<void> {}

  /** The source time of a frame about to be encoded (a checkpoint names where to decode from). */
  willEncode(outputMicros: number, sourceMicros: number): void {
    this.sourceTimes.set(outputMicros, sourceMicros);
  }

  addVideoChunk(chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined): void {
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const key = chunk.type === 'key';
    const sourceMicros = this.sourceTimes.get(chunk.timestamp) ?? chunk.timestamp;
    this.sourceTimes.delete(chunk.timestamp);
    const config = meta?.decoderConfig;
    // A key frame ends the group before it: that group goes to the log, then the checkpoint.
    if (key && this.groupFrames > 0) this.flushGroup({ outputMicros: chunk.timestamp, sourceMicros }, false);
    if (config) this.noteConfig(config);
    const record = encodeRecord(data, chunk.timestamp, chunk.duration ?? 0, key);
    this.group.push(record);
    this.groupBytes += record.byteLength;
    this.groupFrames++;
  }

  private noteConfig(config: VideoDecoderConfig): void {
    const entry: LogConfig = {
      atBytes: this.bytes + this.groupBytes,
      codec: config.codec,
      codedWidth: config.codedWidth ?? 0,
      codedHeight: config.codedHeight ?? 0,
      description: toBase64(descriptionBytes(config.description) ?? new Uint8Array(0)),
    };
    const previous = this.configs[this.configs.length - 1];
    if (previous && previous.codec === entry.codec && previous.description === entry.description) return;
    this.configs.push(entry);
  }

  private flushGroup(next: { outputMicros: number; sourceMicros: number }, complete: boolean): void {
    const data = new Uint8Array(this.groupBytes);
    let at = 0;
    for (const record of this.group) {
      data.set(record, at);
      at += record.byteLength;
    }
    const position = this.bytes;
    this.bytes += this.groupBytes;
    this.frames += this.groupFrames;
    this.group = [];
    this.groupBytes = 0;
    this.groupFrames = 0;
    const checkpoint: Checkpoint = { bytes: this.bytes, frames: this.frames, ...next, configs: [...this.configs], complete };
    this.writes.add(async () => {
      if (data.byteLength > 0) await this.sink.write(data, position);
      await this.sink.checkpoint(checkpoint);
      this.last = checkpoint;
    });
  }

  /** Waits while groups are being written (backpressure for the encode loop). */
  async ready(signal: AbortSignal, maxPending = 2): Promise<void> {
    await this.writes.below(maxPending, signal);
    this.check();
  }

  private check(): void {
    if (this.writes.failure) throw new DualFaceError('OutputError', `writing the output failed (${messageOf(this.writes.failure)})`);
  }

  /** Writes the last group and the final checkpoint. */
  async finish(): Promise<void> {
    this.check();
    this.flushGroup({ outputMicros: this.last.outputMicros, sourceMicros: this.last.sourceMicros }, true);
    await this.writes.done();
    this.check();
  }

  /** Stops writing; what is in the log up to the last checkpoint stays. Idempotent. */
  async abandon(): Promise<void> {
    this.group = [];
    this.groupBytes = 0;
    this.groupFrames = 0;
    await this.writes.done();
  }
}

/**
 * Why a packet log cannot be continued from `checkpoint`, or null when it can: the log must hold at
 * least the checkpoint's bytes, and its records, walked header by header from the start, must end
 * exactly there, `checkpoint.frames` of them, the first a key frame. (A log cut short, by a full disk
 * or a hand, is caught here rather than by the muxer after the rest was rendered.) `read(start, end)`
 * gives the log's bytes in that range, fewer where the log ends.
 */
export async function logProblem(read: (start: number, end: number) => Promise<Uint8Array>, length: number, checkpoint: Checkpoint): Promise<string | null> {
  if (length < checkpoint.bytes) return `it holds ${length} bytes where its journal counts ${checkpoint.bytes}`;
  let at = 0;
  let frames = 0;
  while (at < checkpoint.bytes) {
    const header = await read(at, at + RECORD_HEADER);
    if (header.byteLength < RECORD_HEADER) return `a frame's record is cut short at byte ${at}`;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (frames === 0 && (view.getUint8(4) & 1) !== 1) return 'it does not begin with a key frame';
    at += RECORD_HEADER + view.getUint32(0, true);
    frames++;
  }
  if (at !== checkpoint.bytes) return `its records do not end where its journal's checkpoint is (byte ${checkpoint.bytes})`;
  if (frames !== checkpoint.frames) return `it holds ${frames} frames where its journal counts ${checkpoint.frames}`;
  return null;
}
