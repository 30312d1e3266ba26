// Scoring who is speaking: a tracks file's "speech" against ground truth in RTTM. Pure.
// The truth's speakers are matched to the panels as the user says (`--map A=0,B=1`), or by their
// face boxes (`--faces BOXES.csv`: a speaker goes to the panel whose crops hold their face in most of
// the frames they are boxed in), or else each panel takes the truth speaker its turns overlap most
// (the two panels different speakers). Time is
// judged on a 10 ms grid:
// - where exactly one matched speaker speaks: the share of it with that speaker's panel marked
//   (right) and with the other panel marked (wrong);
// - where only speakers matched to no panel speak (off screen, a narrator): the share given to a panel;
// - the diarization error rate: missed, falsely marked and confused speaker time over the truth's
//   speaker time (overlaps counted per speaker, no collar).
import { pointInRect, rectCentre } from '../src/geometry/rect';
import { overlapSeconds } from '../src/core/intervals';
import type { SpeechTurn } from '../src/framing/speakers';
import type { TracksFrame } from '../src/framing/tracks-file';
import type { TruthBox } from './scoring';

export interface RttmTurn {
  speaker: string;
  start: number;
  end: number;
}

/** SPEAKER lines of an RTTM file (other lines are left out). */
export function parseRttm(text: string): RttmTurn[] {
  const turns: RttmTurn[] = [];
  for (const [n, line] of text.split('\n').entries()) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== 'SPEAKER') continue;
    const start = Number(fields[3]);
    const duration = Number(fields[4]);
    const speaker = fields[7];
    if (!Number.isFinite(start) || !Number.isFinite(duration) || duration < 0 || !speaker) throw new Error(`RTTM line ${n + 1} is not a SPEAKER turn: ${line}`);
    turns.push({ speaker, start, end: start + duration });
  }
  return turns;
}

export type PanelMapping = Record<string, 0 | 1>;

export interface SpeechScore {
  mapping: PanelMapping;
  singleSpeakerSeconds: number;
  right: number;
  wrong: number;
  offScreenSeconds: number;
  offScreenGiven: number;
  der: number;
}

const STEP = 0.01;

/** Each panel takes the truth speaker its turns overlap most, never both the same one. */
export function matchSpeakers(turns: readonly SpeechTurn[], truth: readonly RttmTurn[]): PanelMapping {
  const speakers = [...new Set(truth.map((t) => t.speaker))];
  const shared = (panel: 0 | 1, speaker: string) =>
    turns
      .filter((t) => t.panel === panel)
      .reduce((sum, t) => sum + truth.filter((r) => r.speaker === speaker).reduce((s, r) => s + overlapSeconds(t, r), 0), 0);
  let best: { score: number; mapping: PanelMapping } = { score: 0, mapping: {} };
  for (const a of [...speakers, null]) {
    for (const b of [...speakers, null]) {
      if (a !== null && a === b) continue;
      const sa = a === null ? 0 : shared(0, a);
      const sb = b === null ? 0 : shared(1, b);
      // A panel whose turns meet no one's is matched to no one.
      if (sa + sb > best.score)
        best = { score: sa + sb, mapping: { ...(a !== null && sa > 0 ? { [a]: 0 as const } : {}), ...(b !== null && sb > 0 ? { [b]: 1 as const } : {}) } };
    }
  }
  return best.mapping;
}

/** Whether a box's person is this RTTM speaker: its id (`label:id`), or either part of it, is the speaker's name. */
function isSpeaker(box: TruthBox, speaker: string): boolean {
  if (box.id === speaker) return true;
  const [label, id] = box.id.split(':');
  return label === speaker || id === speaker;
}

/**
 * Truth speakers matched to panels by their face boxes: each speaker to the panel whose crop holds
 * their box's centre in most of the frames both exist, if that is at least half of the frames they
 * are boxed in (else no panel: they are off screen or not shown); two speakers never the same panel
 * (the one held more often keeps it).
 */
export function matchSpeakersByFaces(frames: readonly Pick<TracksFrame, 'panels'>[], truth: readonly RttmTurn[], boxes: readonly TruthBox[]): PanelMapping {
  const votes: { speaker: string; panel: 0 | 1; share: number }[] = [];
  for (const speaker of new Set(truth.map((t) => t.speaker))) {
    const mine = boxes.filter((b) => isSpeaker(b, speaker) && frames[b.frame]);
    if (mine.length === 0) continue;
    for (const panel of [0, 1] as const) {
      const held = mine.filter((b) => {
        const crop = frames[b.frame]!.panels[panel];
        return crop !== null && pointInRect(rectCentre(b.box), crop);
      }).length;
      if (held >= mine.length / 2) votes.push({ speaker, panel, share: held / mine.length });
    }
  }
  const mapping: PanelMapping = {};
  const taken = new Set<0 | 1>();
  for (const vote of votes.sort((a, b) => b.share - a.share)) {
    if (taken.has(vote.panel) || mapping[vote.speaker] !== undefined) continue;
    mapping[vote.speaker] = vote.panel;
    taken.add(vote.panel);
  }
  return mapping;
}

export function scoreSpeech(turns: readonly SpeechTurn[], truth: readonly RttmTurn[], given?: PanelMapping): SpeechScore {
  const mapping = given ?? matchSpeakers(turns, truth);
  const end = Math.max(0, ...truth.map((t) => t.end), ...turns.map((t) => t.end));
  let single = 0;
  let right = 0;
  let wrong = 0;
  let off = 0;
  let offGiven = 0;
  let truthTime = 0;
  let errors = 0;
  for (let t = STEP / 2; t < end; t += STEP) {
    const speaking = [...new Set(truth.filter((r) => r.start <= t && t < r.end).map((r) => r.speaker))];
    const marked = new Set(turns.filter((h) => h.start <= t && t < h.end).map((h) => h.panel));
    const panels = speaking.map((s) => mapping[s]).filter((p) => p !== undefined);
    if (speaking.length === 1 && panels.length === 1) {
      single++;
      if (marked.has(panels[0]!)) right++;
      if (marked.has(panels[0] === 0 ? 1 : 0)) wrong++;
    } else if (speaking.length > 0 && panels.length === 0) {
      off++;
      if (marked.size > 0) offGiven++;
    }
    const correct = panels.filter((p) => marked.has(p)).length;
    truthTime += speaking.length;
    errors += Math.max(speaking.length, marked.size) - correct;
  }
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return {
    mapping,
    singleSpeakerSeconds: single * STEP,
    right: share(right, single),
    wrong: share(wrong, single),
    offScreenSeconds: off * STEP,
    offScreenGiven: share(offGiven, off),
    der: share(errors, truthTime),
  };
}

/** `A=0,B=1` → { A: 0, B: 1 }. */
export function parseMapping(text: string): PanelMapping {
  const mapping: PanelMapping = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [speaker, panel] = pair.split('=');
    if (!speaker || (panel !== '0' && panel !== '1')) throw new Error(`--map takes SPEAKER=0,SPEAKER=1 (got ${pair})`);
    mapping[speaker] = panel === '0' ? 0 : 1;
  }
  return mapping;
}
