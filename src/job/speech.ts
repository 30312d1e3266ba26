// Who is speaking, for a job with the speech setting: the voice found on the audio track (Silero
// VAD, running beside the scan) and the mouths' activity from the scan. In two passes the plan gives
// the mouths to the people (framing/talkers.ts); in one pass they are given to the panels as the
// framing is planned, and joined into speaker turns at the end (framing/speakers.ts).
import type { InputAudioTrack } from 'mediabunny';
import { findVoice } from '../detect/voice';
import { MouthPanels, type MouthSample } from '../framing/mouths';
import { attributeSpeech, voiceSpans, type SpeechTurn, type VoiceSpan } from '../framing/speakers';
import type { Rect } from '../geometry/rect';

/** When anyone speaks, or may, from the audio track (`audio` null: no audio track, no speech). */
export function voiceOf(audio: InputAudioTrack | null, baseUrl: string, signal: AbortSignal): Promise<VoiceSpan[]> {
  const voice = audio ? findVoice(audio, baseUrl, signal).then((found) => voiceSpans(found.intervals, found.faint)) : Promise.resolve([]);
  // Awaited later; settled here so a failure before then is not unhandled.
  voice.catch(() => undefined);
  return voice;
}

/** The one-pass job's speaker turns, per panel. */
export class SpeechFinder {
  private readonly panels = new MouthPanels();
  private readonly voice: Promise<VoiceSpan[]>;

  constructor(audio: InputAudioTrack | null, baseUrl: string, signal: AbortSignal) {
    this.voice = voiceOf(audio, baseUrl, signal);
  }

  mouth(sample: MouthSample): void {
    this.panels.addSample(sample);
  }

  /** A planned frame, in time order. */
  frame(t: number, panels: readonly [Rect | null, Rect | null]): void {
    this.panels.addFrame(t, panels);
  }

  async finish(duration: number): Promise<SpeechTurn[]> {
    return attributeSpeech(await this.voice, this.panels.series(), duration);
  }
}
