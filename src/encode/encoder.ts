// Encode: WebCodecs VideoEncoder, H.264 High, with backpressure on `dequeue`.
import { DualFaceError } from '../pipeline/errors';
import { avcCodecString } from '../pipeline/timing';

export interface EncoderSettings {
  width: number;
  height: number;
  fps: number;
  bitrate: number;
}

export type ChunkHandler = (chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined) => void;

/** A bitrate that keeps talking heads clean: ~0.12 bits per pixel per frame (8 Mbit/s for 1080p30). */
export function defaultBitrate(width: number, height: number, fps: number): number {
  return Math.round(Math.min(40e6, Math.max(1e6, width * height * Math.min(fps, 60) * 0.12)));
}

export function encoderConfig(settings: EncoderSettings): VideoEncoderConfig {
  return {
    codec: avcCodecString(settings.fps),
    width: settings.width,
    height: settings.height,
    bitrate: settings.bitrate,
    framerate: settings.fps,
    avc: { format: 'avc' },
    hardwareAcceleration: 'no-preference',
  };
}

export class FrameEncoder {
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private closed = false;
  readonly name: string;

  private constructor(
    private readonly encoder: VideoEncoder,
    readonly config: VideoEncoderConfig,
    private readonly maxQueue: number,
  ) {
    this.name = `${config.codec} (${config.hardwareAcceleration ?? 'no-preference'})`;
    encoder.addEventListener('dequeue', () => this.notify());
  }

  static async create(file: string, settings: EncoderSettings, onChunk: ChunkHandler, maxQueue = 4): Promise<FrameEncoder> {
    const config = encoderConfig(settings);
    const support = await VideoEncoder.isConfigSupported(config).catch(() => ({ supported: false }));
    if (!support.supported) {
      throw new DualFaceError('EncodeError', `${file}: this browser cannot encode H.264 ${config.codec} at ${settings.width}x${settings.height}`);
    }
    let self: FrameEncoder | null = null;
    const encoder = new VideoEncoder({
      output: (chunk, meta) => onChunk(chunk, meta),
      error: (error) => {
        if (self) {
          self.failure = error;
          self.notify();
        }
      },
    });
    encoder.configure(config);
    self = new FrameEncoder(encoder, config, maxQueue);
    return self;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private check(): void {
    if (this.failure) {
      const detail = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new DualFaceError('EncodeError', `the video encoder failed (${detail})`);
    }
  }

  /** Queues a frame (the caller still owns and closes it); waits while the encoder is busy. */
  async encode(frame: VideoFrame, keyFrame: boolean, signal: AbortSignal): Promise<void> {
    this.check();
    this.encoder.encode(frame, { keyFrame });
    while (this.encoder.encodeQueueSize > this.maxQueue) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      signal.throwIfAborted();
      this.check();
    }
  }

  async flush(): Promise<void> {
    this.check();
    try {
      await this.encoder.flush();
    } catch (error) {
      this.failure ??= error;
    }
    this.check();
  }

  /** Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.encoder.state !== 'closed') this.encoder.close();
  }
}
