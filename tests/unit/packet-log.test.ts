import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  encodeRecord,
  fromBase64,
  isCheckpoint,
  logProblem,
  PacketLogWriter,
  toBase64,
  type Checkpoint,
  type LogSink,
} from '../../src/media/packet-log';
import { logPackets } from '../../src/media/remux';
import { parameterSetsInBand } from '../../src/media/h264';

/** A log in memory, with the checkpoints it was told. */
class MemoryLog implements LogSink {
  bytes = new Uint8Array(0);
  checkpoints: Checkpoint[] = [];

  async write(data: Uint8Array, position: number): Promise<void> {
    const grown = new Uint8Array(Math.max(this.bytes.length, position + data.length));
    grown.set(this.bytes);
    grown.set(data, position);
    this.bytes = grown;
  }

  async checkpoint(checkpoint: Checkpoint): Promise<void> {
    this.checkpoints.push(checkpoint);
  }
}

/** What the encoder's callback gives: the parts of EncodedVideoChunk the writer reads. */
function chunk(timestamp: number, key: boolean, size = 10): EncodedVideoChunk {
  const data = new Uint8Array(size).fill(timestamp % 251);
  return {
    type: key ? 'key' : 'delta',
    timestamp,
    duration: 33_333,
    byteLength: size,
    copyTo: (target: Uint8Array) => target.set(data),
  } as unknown as EncodedVideoChunk;
}

const avcC = (sps: number[], pps: number[]) => new Uint8Array([1, 0x64, 0, 0x28, 0xff, 0xe1, 0, sps.length, ...sps, 1, 0, pps.length, ...pps]);
const config = (description: Uint8Array) => ({ decoderConfig: { codec: 'avc1.640028', codedWidth: 64, codedHeight: 64, description } });

async function writeFrames(writer: PacketLogWriter, from: number, to: number, description: Uint8Array): Promise<void> {
  for (let i = from; i < to; i++) {
    // A key frame every 4 frames; the first of each run too (a new encoder starts with one).
    const key = i % 4 === 0 || i === from;
    writer.willEncode(i * 1000, i * 1000 + 7);
    writer.addVideoChunk(chunk(i * 1000, key), key && i === from ? config(description) : undefined);
  }
  await writer.ready(new AbortController().signal, 0);
}

describe('packet log', () => {
  it('records round-trip, and a cut-off record is left for later', () => {
    const a = encodeRecord(new Uint8Array([1, 2, 3]), 1000, 33, true);
    const b = encodeRecord(new Uint8Array([9]), 2000, 33, false);
    const both = new Uint8Array([...a, ...b]);
    const { packets, used } = decodeRecords(both.subarray(0, both.length - 1), 100);
    expect(used).toBe(a.length);
    expect(packets).toEqual([{ data: new Uint8Array([1, 2, 3]), key: true, timestamp: 1000, duration: 33, offset: 100 }]);
    expect(decodeRecords(both, 0).packets.map((p) => p.timestamp)).toEqual([1000, 2000]);
  });

  it('checkpoints at each key frame, after the group before it is written', async () => {
    const log = new MemoryLog();
    const writer = new PacketLogWriter(log, null);
    await writeFrames(writer, 0, 10, avcC([0x67, 1], [0x68, 2]));
    // Groups 0-3 and 4-7 are written; 8-9 wait for the next key frame or the finish.
    expect(log.checkpoints.map((c) => [c.frames, c.outputMicros, c.sourceMicros, c.complete])).toEqual([
      [4, 4000, 4007, false],
      [8, 8000, 8007, false],
    ]);
    expect(log.checkpoints[1]!.bytes).toBe(log.bytes.length);
    await writer.finish();
    const last = log.checkpoints.at(-1)!;
    expect([last.frames, last.complete, last.bytes]).toEqual([10, true, log.bytes.length]);
    const read = async (start: number, end: number) => log.bytes.subarray(start, end);
    const packets = [];
    for await (const p of logPackets(read, last.bytes, 50)) packets.push(p);
    expect(packets.map((p) => p.timestamp)).toEqual([...Array(10).keys()].map((i) => i * 1000));
    expect(packets.filter((p) => p.key).map((p) => p.timestamp)).toEqual([0, 4000, 8000]);
  });

  it('an attempt after a failure continues from the checkpoint, and notes a changed encoder', async () => {
    const log = new MemoryLog();
    const first = new PacketLogWriter(log, null);
    await writeFrames(first, 0, 6, avcC([0x67, 1], [0x68, 2]));
    await first.abandon();
    expect(first.checkpoint.frames).toBe(4);
    const second = new PacketLogWriter(log, first.checkpoint);
    await writeFrames(second, 4, 9, avcC([0x67, 3, 3], [0x68, 4]));
    await second.finish();
    const last = log.checkpoints.at(-1)!;
    expect(last.frames).toBe(9);
    expect(last.configs.map((c) => c.atBytes)).toEqual([0, first.checkpoint.bytes]);
    const timestamps = [];
    for await (const p of logPackets(async (s, e) => log.bytes.subarray(s, e), last.bytes)) timestamps.push(p.timestamp);
    // Frames 4 and 5 of the failed attempt are written once, by the second.
    expect(timestamps).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
  });

  it('a write failure is kept and thrown at the next call', async () => {
    const failing: LogSink = { write: async () => Promise.reject(new Error('no space left on the disk')), checkpoint: async () => undefined };
    const writer = new PacketLogWriter(failing, null);
    await expect(writeFrames(writer, 0, 6, avcC([0x67], [0x68]))).rejects.toThrow(/writing the output failed \(no space left on the disk\)/);
    await expect(writer.finish()).rejects.toThrow(/no space left/);
  });

  it('checks the shape of a checkpoint', () => {
    const good: Checkpoint = {
      bytes: 10,
      frames: 2,
      outputMicros: 0,
      sourceMicros: 0,
      complete: false,
      configs: [{ atBytes: 0, codec: 'avc1.640028', codedWidth: 2, codedHeight: 2, description: 'AA==' }],
    };
    expect(isCheckpoint(good)).toBe(true);
    expect(isCheckpoint({ ...good, bytes: -1 })).toBe(false);
    expect(isCheckpoint({ ...good, configs: [{ atBytes: 0 }] })).toBe(false);
    expect(isCheckpoint(null)).toBe(false);
  });

  it('a log is continued only where its records end at the checkpoint', async () => {
    const log = new MemoryLog();
    const writer = new PacketLogWriter(log, null);
    await writeFrames(writer, 0, 10, avcC([0x67, 1], [0x68, 2]));
    const checkpoint = log.checkpoints.at(-1)!;
    const over = (bytes: Uint8Array) => async (start: number, end: number) => bytes.subarray(start, end);
    expect(await logProblem(over(log.bytes), log.bytes.length, checkpoint)).toBeNull();
    // Cut to half: shorter than the checkpoint says.
    const half = log.bytes.subarray(0, log.bytes.length >> 1);
    expect(await logProblem(over(half), half.length, checkpoint)).toBe(`it holds ${half.length} bytes where its journal counts ${checkpoint.bytes}`);
    // The right length, but records that do not end there (a checkpoint one byte off).
    expect(await logProblem(over(log.bytes), log.bytes.length, { ...checkpoint, bytes: checkpoint.bytes - 1 })).toMatch(/records do not end where/);
    expect(await logProblem(over(log.bytes), log.bytes.length, { ...checkpoint, frames: 7 })).toBe('it holds 8 frames where its journal counts 7');
    // A log whose first record is no key frame.
    const delta = new Uint8Array(log.bytes);
    delta[4] = 0;
    expect(await logProblem(over(delta), delta.length, checkpoint)).toBe('it does not begin with a key frame');
  });

  it('base64 round-trips', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i * 7);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });
});

describe('parameter sets in band', () => {
  it('turns avcC into length-prefixed SPS and PPS NAL units', () => {
    expect([...parameterSetsInBand(avcC([0x67, 0xaa, 0xbb], [0x68, 0xcc]))]).toEqual([0, 0, 0, 3, 0x67, 0xaa, 0xbb, 0, 0, 0, 2, 0x68, 0xcc]);
  });
});
