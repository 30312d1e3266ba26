// Demux: open the input with Mediabunny, lazily (BlobSource/UrlSource read only the ranges needed).
import {
  ALL_FORMATS,
  BlobSource,
  Input,
  UrlSource,
  type InputAudioTrack,
  type InputVideoTrack,
} from 'mediabunny';
import { inputError, unsupportedInput } from './errors';
import type { JobInput } from './protocol';

export interface OpenedVideo {
  name: string;
  input: Input;
  video: InputVideoTrack;
  audio: InputAudioTrack | null;
  decoderConfig: VideoDecoderConfig;
  width: number;
  height: number;
  durationSeconds: number;
  /** Idempotent. */
  close(): void;
}

export function inputName(input: JobInput): string {
  return input.kind === 'file' ? input.file.name : input.name;
}

export async function openVideo(jobInput: JobInput): Promise<OpenedVideo> {
  const name = inputName(jobInput);
  const source = jobInput.kind === 'file' ? new BlobSource(jobInput.file) : new UrlSource(jobInput.url);
  const input = new Input({ source, formats: ALL_FORMATS });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.dispose();
  };
  try {
    let readable: boolean;
    try {
      readable = await input.canRead();
    } catch (error) {
      throw inputError(name, `the file could not be read (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!readable) throw inputError(name, 'not a video file in a format DualFace reads (MP4, MOV, WebM, MKV)');
    const video = await input.getPrimaryVideoTrack();
    if (!video) throw inputError(name, 'the file has no video track');
    const codec = await video.getCodec();
    const decoderConfig = await video.getDecoderConfig();
    if (!decoderConfig || !(await video.canDecode())) {
      throw unsupportedInput(name, `this browser cannot decode its video (codec ${codec ?? 'unknown'})`);
    }
    const support = await VideoDecoder.isConfigSupported(decoderConfig);
    if (!support.supported) throw unsupportedInput(name, `this browser cannot decode its video (codec ${decoderConfig.codec})`);
    const audio = await input.getPrimaryAudioTrack();
    const durationSeconds = await input.computeDuration();
    return {
      name,
      input,
      video,
      audio,
      decoderConfig,
      width: await video.getCodedWidth(),
      height: await video.getCodedHeight(),
      durationSeconds,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
