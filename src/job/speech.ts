// Who is speaking, for a job with the speech setting: the voice found on the audio track (Silero
// VAD, running beside the scan), the mouths' activity from the scan, given to the panels as the
// framing is planned, and the two joined into speaker turns at the end (framing/speakers.ts).
import type { InputAudioTrack } from 'mediabunny';
import { findVoice } from '../detect/voice';
import { MouthPanels, type MouthSample } from '../framing/mouths';
import { attributeSpeech, type Interval, type SpeechTurn } from '../framing/speakers';
import type { Rect } from '../geometry/rect';

export class SpeechFinder {
  private readonly panels = new MouthPanels();
  private readonly voice: Promise<Interval[]>;

  /** `audio` null: no audio track, no speech (said as an empty list). */
  constructor(audio: InputAudioTrack | null, baseUrl: string, signal: AbortSignal) {
    this.voice = audio ? findVoice(audio, baseUrl, signal).then((found) => found.intervals) : Promise.resolve([]);
    // Awaited in finish(); settled here so a failure before then is not unhandled.
    this.voice.catch(() => undefined);
  }

  /** When anyone speaks, from the audio track. */
  voiceIntervals(): Promise<Interval[]> {
    return this.voice;
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
