// Voice activity on the source's audio: Silero VAD (the ONNX model shipped by the npm package
// @ricky0123/vad-web) run with onnxruntime-web's WebAssembly build, both served by us from
// vendor/ (nothing is fetched from elsewhere). The audio is decoded with WebCodecs through
// Mediabunny, mixed to mono and brought to 16 kHz as it comes, one model frame (96 ms) at a time,
// so memory stays flat however long the video. Worker side.
import * as ort from 'onnxruntime-web/wasm';
import { AudioSampleSink, type InputAudioTrack } from 'mediabunny';
import type { Interval } from '../core/intervals';
import { faintIntervals, voiceIntervals, type VoiceFrames } from './voice-intervals';

/** Samples per model frame at 16 kHz (the legacy Silero model's frame). */
export const FRAME_SAMPLES = 1536;
const RATE = 16_000;

class Silero {
  private h: ort.Tensor;
  private c: ort.Tensor;
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([16000n]));

  private constructor(private readonly session: ort.InferenceSession) {
    this.h = Silero.zeroState();
    this.c = Silero.zeroState();
  }

  private static zeroState(): ort.Tensor {
    return new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]);
  }

  static async create(baseUrl: string): Promise<Silero> {
    ort.env.wasm.wasmPaths = `${baseUrl}vendor/onnx/`;
    // No cross-origin isolation: one thread.
    ort.env.wasm.numThreads = 1;
    const response = await fetch(`${baseUrl}vendor/models/silero_vad_legacy.onnx`);
    if (!response.ok) throw new Error(`the voice model could not be loaded (${response.status})`);
    return new Silero(await ort.InferenceSession.create(new Uint8Array(await response.arrayBuffer()), { executionProviders: ['wasm'] }));
  }

  /** The probability that a frame of FRAME_SAMPLES at 16 kHz holds speech. */
  async speech(frame: Float32Array): Promise<number> {
    const out = await this.session.run({ input: new ort.Tensor('float32', frame, [1, FRAME_SAMPLES]), h: this.h, c: this.c, sr: this.sr });
    this.h = out['hn']!;
    this.c = out['cn']!;
    return (out['output']!.data as Float32Array)[0]!;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Mono at 16 kHz from decoded samples, by averaging each output sample's span of input samples. */
class Downmix {
  private readonly frame = new Float32Array(FRAME_SAMPLES);
  private filled = 0;
  private position = 0;
  private sum = 0;
  private count = 0;

  constructor(private readonly inputRate: number) {}

  /** Feeds mono samples; calls `onFrame` with each full 16 kHz frame (reused: copy to keep). */
  async push(mono: Float32Array, onFrame: (frame: Float32Array) => Promise<void>): Promise<void> {
    const step = this.inputRate / RATE;
    for (let i = 0; i < mono.length; i++) {
      this.sum += mono[i]!;
      this.count++;
      this.position += 1;
      if (this.position >= step) {
        this.position -= step;
        this.frame[this.filled++] = this.sum / this.count;
        this.sum = 0;
        this.count = 0;
        if (this.filled === FRAME_SAMPLES) {
          this.filled = 0;
          await onFrame(this.frame);
        }
      }
    }
  }
}

/**
 * Where anyone speaks in the track, as intervals of source seconds; where someone may speak (the
 * model unsure: `faint`, outside `intervals`); the speech probability per frame too.
 */
export async function findVoice(
  track: InputAudioTrack,
  baseUrl: string,
  signal: AbortSignal,
): Promise<{ intervals: Interval[]; faint: Interval[]; frames: VoiceFrames }> {
  const model = await Silero.create(baseUrl);
  const probabilities: number[] = [];
  let downmix: Downmix | null = null;
  let start: number | null = null;
  try {
    for await (const sample of new AudioSampleSink(track).samples()) {
      try {
        signal.throwIfAborted();
        start ??= sample.timestamp;
        downmix ??= new Downmix(sample.sampleRate);
        const channels = sample.numberOfChannels;
        const mono = new Float32Array(sample.numberOfFrames);
        const plane = new Float32Array(sample.numberOfFrames);
        for (let c = 0; c < channels; c++) {
          sample.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
          for (let i = 0; i < plane.length; i++) mono[i]! += plane[i]! / channels;
        }
        await downmix.push(mono, async (frame) => {
          probabilities.push(await model.speech(frame));
        });
      } finally {
        sample.close();
      }
    }
  } finally {
    await model.close();
  }
  const frames: VoiceFrames = { start: start ?? 0, hop: FRAME_SAMPLES / RATE, probabilities: Float32Array.from(probabilities) };
  const intervals = voiceIntervals(frames);
  return { intervals, faint: faintIntervals(frames, intervals), frames };
}
