// The review's keyboard, as editors know it (J/K/L, frame steps, shots). Pure: a key in, an action out.

export type KeyAction =
  | { kind: 'play-pause' }
  | { kind: 'shuttle'; direction: -1 | 0 | 1 }
  | { kind: 'step-frames'; frames: number }
  | { kind: 'step-seconds'; seconds: number }
  | { kind: 'shot'; direction: -1 | 1 }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'help' };

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** What a key does in the review, or null (the key is left to the page). */
export function keyAction(e: KeyPress): KeyAction | null {
  if (e.altKey) return null;
  const command = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (command) return null;
  switch (key) {
    case ' ':
      return { kind: 'play-pause' };
    case 'j':
      return { kind: 'shuttle', direction: -1 };
    case 'k':
      return { kind: 'shuttle', direction: 0 };
    case 'l':
      return { kind: 'shuttle', direction: 1 };
    case 'ArrowLeft':
      return e.shiftKey ? { kind: 'step-seconds', seconds: -1 } : { kind: 'step-frames', frames: -1 };
    case 'ArrowRight':
      return e.shiftKey ? { kind: 'step-seconds', seconds: 1 } : { kind: 'step-frames', frames: 1 };
    case '[':
      return { kind: 'shot', direction: -1 };
    case ']':
      return { kind: 'shot', direction: 1 };
    case '?':
      return { kind: 'help' };
    default:
      return null;
  }
}

/** The keys, for the "?" overlay. */
export const KEYS: readonly [string, string][] = [
  ['Space', 'play or pause'],
  ['J / K / L', 'play backwards, stop, play forwards (press again: faster)'],
  ['← / →', 'one frame back or on'],
  ['Shift + ← / →', 'one second back or on'],
  ['[ / ]', 'previous or next shot'],
  ['Z', 'undo the last edit'],
  ['Shift + Z', 'redo'],
  ['drag a crop', 'move that panel (the whole shot, or from here on)'],
  ['wheel over a crop', 'zoom that panel'],
  ['?', 'show or hide these keys'],
];
