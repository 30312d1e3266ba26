// Looks at a chosen file before any work starts: can this browser read and decode it, how long and
// how large is it, and a thumbnail. Uses the same demux as the pipeline, so a file refused here would
// be refused by the job with the same words.
import { CanvasSink, type InputVideoTrack } from 'mediabunny';
import { openVideo } from '../media/demux';
import { messageOf } from '../core/errors';

export interface FileFacts {
  durationSeconds: number;
  width: number;
  height: number;
  codec: string;
  hasAudio: boolean;
}

export type ProbeResult = { ok: true; facts: FileFacts; thumbnail: string | null } | { ok: false; reason: string };

export async function probeFile(file: File): Promise<ProbeResult> {
  let video;
  try {
    video = await openVideo({ kind: 'file', file });
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
  try {
    const upright = video.rotation === 90 || video.rotation === 270;
    const facts: FileFacts = {
      durationSeconds: video.durationSeconds,
      width: upright ? video.height : video.width,
      height: upright ? video.width : video.height,
      codec: video.decoderConfig.codec,
      hasAudio: video.audio !== null,
    };
    let thumbnail: string | null = null;
    try {
      const [url] = await thumbnails(video.video, [Math.min(1, video.durationSeconds / 2)], 192);
      thumbnail = url ?? null;
    } catch {
      // A thumbnail is a nicety; the job itself will say if the video cannot be decoded.
    }
    return { ok: true, facts, thumbnail };
  } finally {
    video.close();
  }
}

/** Object URLs of JPEG thumbnails `width` wide at the given times (null where none could be made). */
export async function thumbnails(track: InputVideoTrack, times: readonly number[], width: number): Promise<(string | null)[]> {
  const sink = new CanvasSink(track, { width, fit: 'contain', poolSize: 1 });
  // One picture per distinct time, asked in time order (the decoder goes forward), answered in the
  // caller's order: the face chips' times come in the order of the people, often out of time order,
  // and some the same.
  const distinct = [...new Set(times)].sort((a, b) => a - b);
  const byTime = new Map<number, string | null>();
  for (const t of distinct) {
    // A time before the first frame (rounding, an edit list) still means the first frame.
    const wrapped = (await sink.getCanvas(t)) ?? (await sink.getCanvas(await track.getFirstTimestamp()));
    if (!wrapped) {
      byTime.set(t, null);
      continue;
    }
    const canvas = wrapped.canvas;
    const blob =
      'convertToBlob' in canvas
        ? await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 })
        : await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.8));
    byTime.set(t, blob ? URL.createObjectURL(blob) : null);
  }
  const urls = times.map((t) => byTime.get(t) ?? null);
  return urls;
}

/** Thumbnails of a file at the given times (opened and closed here). */
export async function fileThumbnails(file: File, times: readonly number[], width: number): Promise<(string | null)[]> {
  const video = await openVideo({ kind: 'file', file });
  try {
    return await thumbnails(video.video, times, width);
  } finally {
    video.close();
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
