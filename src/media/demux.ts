// Demux: open the input with Mediabunny, lazily (BlobSource/UrlSource read only the ranges needed).
import { ALL_FORMATS, BlobSource, Input, UrlSource, type InputAudioTrack, type InputVideoTrack } from 'mediabunny';
import { asRotation, type Rotation } from '../geometry/rotation';
import { videoTrackOf } from './video-track';
import { inputError, unsupportedInput, messageOf } from '../core/errors';
import type { JobInput } from './io';

export interface OpenedVideo {
  name: string;
  input: Input;
  video: InputVideoTrack;
  audio: InputAudioTrack | null;
  decoderConfig: VideoDecoderConfig;
  width: number;
  height: number;
  durationSeconds: number;
  /** How the stored frames are turned (clockwise) to show them upright. */
  rotation: Rotation;
  /** Which video track is used, in words, when the file has several (else null). */
  trackNote: string | null;
  /** Idempotent. */
  close(): void;
}

export function inputName(input: JobInput): string {
  return input.kind === 'file' ? input.file.name : input.name;
}

export async function openVideo(jobInput: JobInput): Promise<OpenedVideo> {
  const name = inputName(jobInput);
  const source = jobInput.kind === 'file' ? new BlobSource(jobInput.file) : new UrlSource(jobInput.url, { maxCacheSize: 16 * 1024 * 1024 });
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
      const detail = messageOf(error);
      if (/416/.test(detail)) throw inputError(name, 'the file is empty');
      throw inputError(name, `the file could not be read (${detail})`);
    }
    if (!readable) throw inputError(name, 'not a video file in a format DualFace reads (MP4, MOV, WebM, MKV)');
    const { video, note: trackNote } = await videoTrackOf(input);
    if (!video) {
      const tracks = await input.getTracks();
      if (tracks.length === 0) throw inputError(name, 'the file is incomplete or damaged: it holds no playable tracks (an interrupted recording or download?)');
      throw inputError(name, 'the file has no video track (audio only)');
    }
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
      rotation: asRotation(await video.getRotation()),
      trackNote,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
