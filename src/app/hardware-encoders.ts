// `encoders: auto` in the page: how many hardware encoders this browser opens at once, measured once
// and remembered per browser (its user agent: an update or another GPU driver may change the answer).
import { countHardwareEncoders } from '../media/encoder-probe';
import type { EncoderSlots } from '../media/encoder-slots';

const KEY = 'dualface.hardwareEncoders';

interface Remembered {
  browser: string;
  count: number;
}

let measuring: Promise<number> | null = null;

/** The number measured before in this browser, if any. */
export function rememberedHardwareEncoders(): number | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Remembered | null;
    return stored && stored.browser === navigator.userAgent && Number.isInteger(stored.count) ? stored.count : null;
  } catch {
    return null;
  }
}

/** Measured once per page, or remembered (`known`: a count the caller remembers, e.g. the command line's). */
export function hardwareEncoders(known: number | null = null): Promise<number> {
  const remembered = known ?? rememberedHardwareEncoders();
  if (remembered !== null) return Promise.resolve(remembered);
  measuring ??= countHardwareEncoders().then((count) => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ browser: navigator.userAgent, count } satisfies Remembered));
    } catch {
      // Storage refused (a private window): measured again next time.
    }
    return count;
  });
  return measuring;
}

/** Sets the encoder slots' limit from the setting (`auto`: measured); gives the limit. */
export async function applyEncoderSetting(slots: EncoderSlots, setting: number | 'auto', known: number | null = null): Promise<number> {
  if (setting !== 'auto') {
    slots.setLimit(setting);
    return setting;
  }
  const limit = await hardwareEncoders(known);
  slots.setLimit(limit, 'this browser opens no hardware H.264 encoder (measured by --encoders auto)');
  return limit;
}
