// A job's progress as one line: a bar, the percentage, the speed and the time left in this phase,
// for a terminal (redrawn in place) or a log (a plain line every few seconds). Pure.
import type { JobProgress } from '../job/protocol';

export function progressLine(position: string, input: string, p: JobProgress, barWidth = 24): string {
  const total = Math.max(1, p.framesTotal);
  const fraction = Math.min(1, Math.max(0, p.framesDone / total));
  const filled = Math.round(fraction * barWidth);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}`;
  const left = p.fps > 0 ? (total - Math.min(total, p.framesDone)) / p.fps : null;
  const eta = left === null ? '' : `, ${formatDuration(left)} left`;
  return `${position} ${input}: ${p.phase} [${bar}] ${Math.floor(fraction * 100)}% ${p.framesDone}/${p.framesTotal} frames, ${p.fps.toFixed(1)} fps${eta}`;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
