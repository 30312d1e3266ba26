// Speech intervals from a voice-activity model's per-frame probabilities: hysteresis (speech begins
// above one threshold and ends only after staying below a lower one for a while), short blips
// dropped. Pure.
import { subtractIntervals, type Interval } from '../core/intervals';

export interface VoiceFrames {
  /** Source time of the first frame, seconds. */
  start: number;
  /** Seconds per frame. */
  hop: number;
  probabilities: ArrayLike<number>;
}

export interface VoiceOptions {
  /** Speech starts at a frame this likely. */
  begin: number;
  /** And ends once frames stay below this... */
  end: number;
  /** ...for this long, seconds. */
  hangover: number;
  /** Shorter speech is dropped, seconds. */
  minSpeech: number;
}

/** Silero's own defaults (0.5, 0.35), with its recommended grace and minimum. */
export const DEFAULT_VOICE: VoiceOptions = { begin: 0.5, end: 0.35, hangover: 0.3, minSpeech: 0.25 };

export function voiceIntervals({ start, hop, probabilities }: VoiceFrames, o: VoiceOptions = DEFAULT_VOICE): Interval[] {
  const found: Interval[] = [];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  let open: number | null = null;
  let lastSpeech = 0;
  const close = (at: number) => {
    if (open !== null && at - open >= o.minSpeech) found.push({ start: round(start + open), end: round(start + at) });
    open = null;
  };
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    const t = i * hop;
    if (open === null) {
      if (p >= o.begin) {
        open = t;
        lastSpeech = t + hop;
      }
      continue;
    }
    if (p >= o.end) lastSpeech = t + hop;
    else if (t + hop - lastSpeech >= o.hangover) close(lastSpeech);
  }
  close(lastSpeech);
  return found;
}

/**
 * Where the model is unsure (0.3 to begin, below 0.2 to end): speech over music, singing, a quiet
 * voice. The attribution asks a clearer mouth there (framing/speakers.ts).
 */
export const FAINT_VOICE: VoiceOptions = { begin: 0.3, end: 0.2, hangover: 0.3, minSpeech: 0.25 };

/** The faint voice's intervals less the sure ones (both in time order): where there may be speech. */
export function faintIntervals(frames: VoiceFrames, sure: readonly Interval[]): Interval[] {
  return subtractIntervals(voiceIntervals(frames, FAINT_VOICE), sure);
}
