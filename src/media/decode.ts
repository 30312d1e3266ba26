// Decode: packets from Mediabunny into a WebCodecs VideoDecoder, frames out in presentation order.
import { EncodedPacketSink, type EncodedPacket, type InputVideoTrack } from 'mediabunny';
import { stageError } from '../core/errors';

export interface DecodeOptions {
  /** Chunks queued inside the decoder before we wait for `dequeue`. */
  maxDecodeQueue?: number;
  /** Decoded frames waiting for the consumer before we stop feeding the decoder. */
  maxReadyFrames?: number;
  /** Packets not to decode (only ever pictures nothing else refers to). */
  skip?: (packet: EncodedPacket) => boolean;
  /** Filled in as decoding goes. */
  stats?: { fed: number; skipped: number };
  /** Start at the key frame at or before this source time, seconds (a resumed render). */
  startAt?: number;
}

/**
 * Yields every decoded frame. The consumer owns each yielded frame and must close it; frames not yet
 * handed over are closed here, also on abort and error.
 */
export async function* decodeFrames(
  name: string,
  track: InputVideoTrack,
  config: VideoDecoderConfig,
  signal: AbortSignal,
  options: DecodeOptions = {},
): AsyncGenerator<VideoFrame, void, undefined> {
  const maxDecodeQueue = options.maxDecodeQueue ?? 6;
  const maxReadyFrames = options.maxReadyFrames ?? 4;
  const ready: VideoFrame[] = [];
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const nextEvent = () => new Promise<void>((resolve) => (wake = resolve));
  const decoder = new VideoDecoder({
    output: (frame) => {
      ready.push(frame);
      notify();
    },
    error: (error) => {
      failure = error;
      notify();
    },
  });
  decoder.addEventListener('dequeue', notify);
  const onAbort = () => notify();
  signal.addEventListener('abort', onAbort);
  const check = () => {
    signal.throwIfAborted();
    if (failure) throw stageError('DecodeError', name, 'the video could not be decoded', failure);
  };
  try {
    decoder.configure(config);
    const sink = new EncodedPacketSink(track);
    const first = options.startAt !== undefined ? await sink.getKeyPacket(options.startAt) : null;
    for await (const packet of sink.packets(first ?? undefined)) {
      check();
      if (options.skip?.(packet)) {
        if (options.stats) options.stats.skipped++;
        continue;
      }
      if (options.stats) options.stats.fed++;
      decoder.decode(packet.toEncodedVideoChunk());
      while (ready.length > 0) yield ready.shift()!;
      // Backpressure: let the decoder work through its queue before feeding more.
      while (decoder.decodeQueueSize > maxDecodeQueue || ready.length >= maxReadyFrames) {
        await nextEvent();
        check();
        while (ready.length > 0) yield ready.shift()!;
      }
    }
    check();
    let flushed = false;
    decoder.flush().then(
      () => {
        flushed = true;
        notify();
      },
      (error: unknown) => {
        failure ??= error;
        notify();
      },
    );
    while (!flushed || ready.length > 0) {
      if (ready.length > 0) {
        yield ready.shift()!;
        continue;
      }
      await nextEvent();
      check();
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    for (const frame of ready) frame.close();
    ready.length = 0;
    if (decoder.state !== 'closed') decoder.close();
  }
}
