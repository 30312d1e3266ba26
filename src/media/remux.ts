// The MP4 from a packet log: video packets as they were encoded (no re-encode), the source's audio
// copied beside them. Where a fallback changed encoders midway, the new encoder's parameter sets
// (SPS/PPS) go in band before its first key frame, so the one file decodes right throughout.
import { EncodedPacket, type InputAudioTrack } from 'mediabunny';
import { abortable } from '../core/abort';
import { DualFaceError } from '../core/errors';
import type { Timeline } from '../framing/timeline';
import { Mp4Writer, type ByteSink } from './mux';
import { parameterSetsInBand } from './h264';
import { decodeRecords, fromBase64, type Checkpoint, type LogConfig, type LoggedPacket } from './packet-log';

/** Reads the log's bytes [start, end). */
export type LogReader = (start: number, end: number) => Promise<Uint8Array>;

/** Packets of the log up to the checkpoint's bytes, read in slices of `sliceBytes`. */
export async function* logPackets(read: LogReader, end: number, sliceBytes = 4 * 1024 * 1024): AsyncGenerator<LoggedPacket> {
  let offset = 0;
  while (offset < end) {
    const bytes = await read(offset, Math.min(end, offset + Math.max(sliceBytes, 0)));
    let { packets, used } = decodeRecords(bytes, offset);
    if (used === 0) {
      // A packet larger than the slice: read it whole.
      const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
      ({ packets, used } = decodeRecords(await read(offset, Math.min(end, offset + 21 + size)), offset));
      if (used === 0) throw new DualFaceError('OutputError', `the packet log is damaged at byte ${offset}`);
    }
    yield* packets;
    offset += used;
  }
}

function decoderConfigOf(config: LogConfig): VideoDecoderConfig {
  return { codec: config.codec, codedWidth: config.codedWidth, codedHeight: config.codedHeight, description: fromBase64(config.description) };
}

export interface RemuxOptions {
  read: LogReader;
  checkpoint: Checkpoint;
  audio: InputAudioTrack | null;
  timeline: Timeline;
  sink: ByteSink;
  signal: AbortSignal;
  onProgress?: (frames: number) => void;
}

/** Writes the MP4 and closes the sink; returns how the audio went. */
export async function remuxLog(options: RemuxOptions): Promise<Mp4Writer['audio']> {
  const { checkpoint, signal } = options;
  const [first, ...later] = checkpoint.configs;
  if (!first || !checkpoint.complete) throw new DualFaceError('InternalError', 'the packet log is not complete');
  const writer = new Mp4Writer(options.sink, options.timeline);
  try {
    if (options.audio) await writer.addAudio(options.audio);
    await writer.start();
    let next = 0;
    let frames = 0;
    for await (const logged of logPackets(options.read, checkpoint.bytes)) {
      signal.throwIfAborted();
      let data: Uint8Array = logged.data;
      // The first key frame of another encoder's stretch carries that encoder's parameter sets.
      while (next < later.length && logged.offset >= later[next]!.atBytes) {
        const config = later[next++]!;
        if (config.description !== first.description) data = concat(parameterSetsInBand(fromBase64(config.description)), data);
      }
      const packet = new EncodedPacket(data, logged.key ? 'key' : 'delta', logged.timestamp / 1e6, logged.duration / 1e6);
      writer.addVideoPacket(packet, frames === 0 ? { decoderConfig: decoderConfigOf(first) } : undefined);
      frames++;
      if (frames % 30 === 0) options.onProgress?.(frames);
      await abortable(writer.ready(signal), signal);
    }
    if (frames !== checkpoint.frames) throw new DualFaceError('OutputError', `the packet log holds ${frames} frames, its checkpoint says ${checkpoint.frames}`);
    await writer.finish();
    return writer.audio;
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
