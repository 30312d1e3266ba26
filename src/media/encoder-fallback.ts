// Hardware first, software when it must: take a slot, try the hardware encoder, and on an encoder
// failure (or no slot in time) run the same work again with a software encoder (again, if the browser
// reclaims that one too, up to MAX_RECLAIMS times). The attempt continues
// into the same output (from the last checkpoint of a packet log, else from the beginning), so a
// fallback never splits the file.
import type { EncoderKind, SlotGrant } from './encoder-slots';
import { EncoderFailure } from './encoder';

export interface Fallback {
  reason: string;
  /** Frames the attempt before had written that the next one kept (it took up after them). */
  keptFrames?: number;
}

export interface FallbackOutcome<T> {
  value: T;
  encoder: EncoderKind;
  fallbacks: Fallback[];
}

export async function withEncoderFallback<T>(
  acquire: (signal: AbortSignal) => Promise<SlotGrant>,
  attempt: (preference: 'prefer-hardware' | 'prefer-software') => Promise<T>,
  signal: AbortSignal,
  /** Told of each fallback as it happens (the page's live view). */
  onFallback: (fallback: Fallback) => void = () => undefined,
): Promise<FallbackOutcome<T>> {
  const fallbacks: Fallback[] = [];
  const grant = await acquire(signal);
  if (grant.kind === 'hardware') {
    try {
      return { value: await attempt('prefer-hardware'), encoder: 'hardware', fallbacks };
    } catch (error) {
      if (!(error instanceof EncoderFailure)) throw error;
      fallbacks.push({ reason: `hardware encoder failed: ${error.message}` });
      onFallback(fallbacks[fallbacks.length - 1]!);
    } finally {
      grant.release();
    }
  } else {
    fallbacks.push({ reason: grant.reason ?? 'no hardware encoder' });
    onFallback(fallbacks[fallbacks.length - 1]!);
  }
  // A software encoder the browser reclaims (a background tab) is opened again, from the checkpoint.
  for (let reclaims = 0; ; reclaims++) {
    signal.throwIfAborted();
    try {
      return { value: await attempt('prefer-software'), encoder: 'software', fallbacks };
    } catch (error) {
      if (!(error instanceof EncoderFailure && error.reclaimed) || reclaims >= MAX_RECLAIMS) throw error;
      fallbacks.push({ reason: `software encoder reclaimed by the browser, opened again: ${error.message}` });
      onFallback(fallbacks[fallbacks.length - 1]!);
    }
  }
}

/** Software encoders reclaimed in one job before it gives up. */
export const MAX_RECLAIMS = 3;
