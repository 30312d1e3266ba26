// Encode: WebCodecs VideoEncoder, H.264 High, with backpressure on `dequeue`. Failures of the
// encoder itself (unsupported configuration, an error callback before the first chunk, mid-stream,
// or right after flush, a reclaimed codec) are thrown as EncoderFailure so the job can fall back to
// a software encoder; see fallback.ts.
import { DualFaceError } from '../core/errors';
import { avcCodecString } from '../core/timing';
import { abortable } from '../core/abort';

export interface EncoderSettings {
  width: number;
  height: number;
  fps: number;
  bitrate: number;
  hardwareAcceleration: HardwareAcceleration;
}

export type ChunkHandler = (chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined) => void;

/** The WebCodecs surface we use: the real VideoEncoder, or a fake in unit tests. */
export interface EncoderApi {
  create(init: VideoEncoderInit): VideoEncoder;
  isConfigSupported(config: VideoEncoderConfig): Promise<VideoEncoderSupport>;
}

export const webCodecsEncoder: EncoderApi = {
  create: (init) => new VideoEncoder(init),
  isConfigSupported: (config) => VideoEncoder.isConfigSupported(config),
};

/** The encoder (not the input, not the output) failed: worth retrying with another encoder. */
export class EncoderFailure extends DualFaceError {
  constructor(
    message: string,
    /** The browser took the codec back (QuotaExceededError: a background tab, memory pressure): worth going on with another. */
    readonly reclaimed = false,
  ) {
    super('EncodeError', message);
  }
}

const isReclaim = (error: unknown) => error instanceof DOMException && error.name === 'QuotaExceededError';

/** A bitrate that keeps talking heads clean: ~0.12 bits per pixel per frame (8 Mbit/s for 1080p30). */
export function defaultBitrate(width: number, height: number, fps: number): number {
  return Math.round(Math.min(40e6, Math.max(1e6, width * height * Math.min(fps, 60) * 0.12)));
}

export function encoderConfig(settings: EncoderSettings): VideoEncoderConfig {
  const codec = avcCodecString(settings, settings.fps);
  if (!codec)
    throw new DualFaceError(
      'EncodeError',
      `H.264 has no level for ${settings.width}x${settings.height} at ${settings.fps.toFixed(2)} fps: choose a smaller output`,
    );
  return {
    codec,
    width: settings.width,
    height: settings.height,
    bitrate: settings.bitrate,
    framerate: settings.fps,
    avc: { format: 'avc' },
    hardwareAcceleration: settings.hardwareAcceleration,
  };
}

/**
 * Fails at once, naming the file, when this browser cannot encode the output at all (no H.264 level
 * holds it, or no encoder, hardware or software, takes it): before an analysis that would be wasted.
 */
export async function checkEncodable(file: string, size: { width: number; height: number }, fps: number, api: EncoderApi = webCodecsEncoder): Promise<void> {
  const settings: EncoderSettings = { ...size, fps, bitrate: defaultBitrate(size.width, size.height, fps), hardwareAcceleration: 'no-preference' };
  let config: VideoEncoderConfig;
  try {
    config = encoderConfig(settings);
  } catch (error) {
    throw new DualFaceError('EncodeError', `${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const support = await api.isConfigSupported(config).catch(() => ({ supported: false }));
  if (!support.supported)
    throw new DualFaceError(
      'EncodeError',
      `${file}: this browser cannot encode H.264 ${config.codec} at ${size.width}x${size.height}, ${fps.toFixed(2)} fps, in hardware or software: choose a smaller output`,
    );
}

function describe(error: unknown): string {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return `the browser reclaimed the encoder (QuotaExceededError: ${error.message})`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
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
    /** Names the job in messages (a failure that names its file passes up unwrapped, still an EncoderFailure). */
    private readonly file: string,
  ) {
    this.name = `${config.codec} (${config.hardwareAcceleration ?? 'no-preference'})`;
    encoder.addEventListener('dequeue', () => this.notify());
  }

  static async create(file: string, settings: EncoderSettings, onChunk: ChunkHandler, api: EncoderApi = webCodecsEncoder, maxQueue = 4): Promise<FrameEncoder> {
    const config = encoderConfig(settings);
    const support = await api.isConfigSupported(config).catch(() => ({ supported: false }));
    const what = `H.264 ${config.codec} at ${settings.width}x${settings.height} (${settings.hardwareAcceleration})`;
    if (!support.supported) throw new EncoderFailure(`${file}: this browser cannot encode ${what}`);
    let self: FrameEncoder | null = null;
    let early: unknown = null;
    const encoder = api.create({
      output: (chunk, meta) => onChunk(chunk, meta),
      error: (error) => {
        if (self) {
          self.failure ??= error;
          self.notify();
        } else early ??= error;
      },
    });
    try {
      encoder.configure(config);
    } catch (error) {
      encoder.close();
      throw new EncoderFailure(`${file}: the encoder refused ${what} (${describe(error)})`);
    }
    self = new FrameEncoder(encoder, config, maxQueue, file);
    self.failure = early;
    return self;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private check(): void {
    if (this.failure) throw new EncoderFailure(`${this.file}: the video encoder failed (${describe(this.failure)})`, isReclaim(this.failure));
  }

  /** Queues a frame (the caller still owns and closes it); waits while the encoder is busy. */
  async encode(frame: VideoFrame, keyFrame: boolean, signal: AbortSignal): Promise<void> {
    this.check();
    try {
      this.encoder.encode(frame, { keyFrame });
    } catch (error) {
      // encode() throws once the encoder has closed itself after an error.
      this.failure ??= error;
      this.check();
    }
    while (this.encoder.encodeQueueSize > this.maxQueue) {
      // A stalled encoder never emits dequeue: the cancel must still end the wait.
      await abortable(new Promise<void>((resolve) => (this.wake = resolve)), signal);
      this.check();
    }
  }

  /**
   * Emits everything queued. An error can still arrive just after flush() resolves (a hardware
   * encoder failing late, or reclaimed): wait one task and check again before trusting the output.
   */
  async flush(): Promise<void> {
    this.check();
    try {
      await this.encoder.flush();
    } catch (error) {
      this.failure ??= error;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.check();
  }

  /** Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.encoder.state !== 'closed') this.encoder.close();
  }
}
