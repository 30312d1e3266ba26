// What a tracks file is checked against, read from the input file here, before any job starts.
import { ALL_FORMATS, FilePathSource, Input } from 'mediabunny';
import { asRotation } from '../geometry/rotation';
import type { VideoFacts } from '../framing/tracks-file';
import { trackFacts, videoTrackOf } from '../media/video-track';

/** The upright sizes and frame count of the video track a job would read; null when there is none. */
export async function videoFacts(path: string): Promise<VideoFacts | null> {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const { video } = await videoTrackOf(input);
    return video ? await trackFacts(video, asRotation(await video.getRotation())) : null;
  } finally {
    input.dispose();
  }
}
