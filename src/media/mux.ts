// Mux: Mediabunny writes the MP4 as a stream of positioned chunks; the source's audio is copied
// packet for packet (no re-encode), interleaved with the video as it is produced.
import {
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  Mp4OutputFormat,
  Output,
  StreamTarget,
  type AudioCodec,
  type InputAudioTrack,
  type StreamTargetChunk,
} from 'mediabunny';
import { Timeline } from '../framing/timeline';
import { DualFaceError, messageOf } from '../core/errors';
import { SerialWrites } from './serial-writes';

/** Where the bytes go: positioned writes (the MP4 header is patched at the end). */
export interface ByteSink {
  write(data: Uint8Array<ArrayBuffer>, position: number): Promise<void>;
  /** Makes the written file final. */
  close(): Promise<void>;
  /** Empties the file to write it again from the start (an encoder fallback restarts the render). */
  reset(): Promise<void>;
  /** Removes what was written; idempotent. */
  discard(): Promise<void>;
  /** Preferred write size: remote sinks want few large writes. */
  readonly chunkSize: number | null;
}

/** How far ahead of the video the audio is written, seconds. */
const AUDIO_LEAD = 0.5;

export class Mp4Writer {
  private readonly output: Output;
  private readonly video = new EncodedVideoPacketSource('avc');
  private audioSource: EncodedAudioPacketSource | null = null;
  private audioPackets: AsyncGenerator<EncodedPacket, void, unknown> | null = null;
  private nextAudio: EncodedPacket | null = null;
  private audioConfig: AudioDecoderConfig | null = null;
  private firstAudio = true;
  private readonly writes = new SerialWrites();
  private started = false;
  private finished = false;
  audio: 'copied' | 'none' | 'dropped' = 'none';

  /** `timeline`: where source audio times land in the output (spans cut out by trim-empty are dropped). */
  constructor(
    private readonly sink: ByteSink,
    private readonly timeline: Timeline = new Timeline(),
  ) {
    const writable = new WritableStream<StreamTargetChunk>({
      write: (chunk) => sink.write(chunk.data, chunk.position),
    });
    this.output = new Output({
      format: new Mp4OutputFormat({ fastStart: false }),
      target: new StreamTarget(writable, sink.chunkSize ? { chunked: true, chunkSize: sink.chunkSize } : {}),
    });
    // No frameRate hint: Mediabunny would snap every timestamp to that rate, and the output must keep
    // the source's exact timestamps (variable frame rate included).
    this.output.addVideoTrack(this.video);
  }

  /** Adds the source's audio track to be copied, if MP4 can hold its codec. Call before start(). */
  async addAudio(track: InputAudioTrack): Promise<void> {
    const codec = await track.getCodec();
    const config = await track.getDecoderConfig();
    const supported = this.output.format.getSupportedAudioCodecs() as readonly AudioCodec[];
    if (!codec || !config || !supported.includes(codec)) {
      this.audio = 'dropped';
      return;
    }
    this.audioSource = new EncodedAudioPacketSource(codec);
    this.output.addAudioTrack(this.audioSource);
    this.audioPackets = new EncodedPacketSink(track).packets();
    this.audioConfig = config;
    this.audio = 'copied';
  }

  /** No-op: the MP4 is written as the chunks come (the packet log records source times for resuming). */
  willEncode(_outputMicros: number, _sourceMicros: number): void {}

  async start(): Promise<void> {
    await this.output.start();
    this.started = true;
  }

  /** Called from the encoder's output callback: queues the chunk in order; returns at once. */
  addVideoChunk(chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined): void {
    this.addVideoPacket(EncodedPacket.fromEncodedChunk(chunk), meta);
  }

  /** The same for a packet read back from a packet log (no WebCodecs needed: the command line muxes in Node). */
  addVideoPacket(packet: EncodedPacket, meta: EncodedVideoChunkMetadata | undefined): void {
    this.writes.add(async () => {
      await this.writeAudioUntil(packet.timestamp + AUDIO_LEAD);
      await this.video.add(packet, meta);
    });
  }

  /** Waits until few chunks are queued (backpressure for the encode loop); a cancel ends the wait. */
  async ready(signal: AbortSignal, maxPending = 8): Promise<void> {
    await this.writes.below(maxPending, signal);
    this.check();
  }

  private async writeAudioUntil(t: number): Promise<void> {
    if (!this.audioPackets || !this.audioSource) return;
    for (;;) {
      if (!this.nextAudio) {
        const next = await this.audioPackets.next();
        if (next.done) {
          this.audioPackets = null;
          return;
        }
        this.nextAudio = next.value;
      }
      const outputTime = this.timeline.outputTime(this.nextAudio.timestamp);
      if (outputTime !== null && outputTime > t) return;
      const packet = this.nextAudio;
      this.nextAudio = null;
      if (outputTime === null) continue;
      const retimed = this.timeline.isIdentity ? packet : packet.clone({ timestamp: outputTime });
      await this.audioSource.add(retimed, this.firstAudio && this.audioConfig ? { decoderConfig: this.audioConfig } : undefined);
      this.firstAudio = false;
    }
  }

  private check(): void {
    if (this.writes.failure) {
      const detail = messageOf(this.writes.failure);
      throw new DualFaceError('OutputError', `writing the MP4 failed (${detail})`);
    }
  }

  /** Writes the rest of the audio and the MP4 index, and closes the sink. */
  async finish(): Promise<void> {
    await this.writes.done();
    this.check();
    await this.writeAudioUntil(Infinity);
    await this.output.finalize();
    await this.sink.close();
    this.finished = true;
  }

  /** Stops writing, leaving the sink to its owner (to reset for another attempt, or discard). Idempotent. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.audioPackets?.return().catch(() => undefined);
    if (this.started) await this.output.cancel().catch(() => undefined);
  }
}
