// Which of a file's video tracks DualFace reads: the one a player shows.
import type { Input, InputVideoTrack } from 'mediabunny';
import type { VideoFacts } from '../framing/tracks-file';
import { rotatedSize, type Rotation } from '../geometry/rotation';

/**
 * Pure: the video track a player shows: the first flagged default, else the first. (Mediabunny's
 * primary track prefers the higher bitrate, which is not what a player of the file shows.)
 */
export function chooseVideoTrack(tracks: readonly { isDefault: boolean }[]): number {
  const flagged = tracks.findIndex((t) => t.isDefault);
  return flagged >= 0 ? flagged : 0;
}

/** The video track to use, and a note saying which when the file has several. */
export async function videoTrackOf(input: Input): Promise<{ video: InputVideoTrack | null; note: string | null }> {
  const tracks = await input.getVideoTracks();
  if (tracks.length === 0) return { video: null, note: null };
  const flags = await Promise.all(tracks.map(async (t) => ({ isDefault: (await t.getDisposition()).default })));
  const index = chooseVideoTrack(flags);
  const video = tracks[index]!;
  if (tracks.length === 1) return { video, note: null };
  const which = flags.filter((f) => f.isDefault).length === 1 ? 'the one flagged default' : 'the first';
  const size = `${await video.getCodedWidth()}x${await video.getCodedHeight()}`;
  return { video, note: `the file has ${tracks.length} video tracks: DualFace uses track ${index + 1} of them (${size}, ${which}), as a player shows it` };
}

/** What a tracks file is checked against: the track's upright sizes (coded and square-pixel) and its frame count. */
export async function trackFacts(track: InputVideoTrack, rotation: Rotation): Promise<VideoFacts> {
  const sizes = [
    rotatedSize(await track.getCodedWidth(), await track.getCodedHeight(), rotation),
    rotatedSize(await track.getSquarePixelWidth(), await track.getSquarePixelHeight(), rotation),
  ];
  const { packetCount } = await track.computePacketStats();
  return { sizes, frames: packetCount };
}
