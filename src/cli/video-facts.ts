// What a tracks file is checked against, read from the input file here, before any job starts.
import { ALL_FORMATS, FilePathSource, Input } from 'mediabunny';
import { asRotation, rotatedSize } from '../geometry/rotation';
import type { VideoFacts } from '../framing/tracks-file';
import { videoTrackOf } from '../media/video-track';

/** The upright sizes and frame count of the video track a job would read; null when there is none. */
export async function videoFacts(path: string): Promise<VideoFacts | null> {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const { video } = await videoTrackOf(input);
    if (!video) return null;
    const rotation = asRotation(await video.getRotation());
    const sizes = [
      rotatedSize(await video.getCodedWidth(), await video.getCodedHeight(), rotation),
      rotatedSize(await video.getSquarePixelWidth(), await video.getSquarePixelHeight(), rotation),
    ];
    const { packetCount } = await video.computePacketStats();
    return { sizes, frames: packetCount };
  } finally {
    input.dispose();
  }
}
