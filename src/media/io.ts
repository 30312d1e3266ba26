// Where a job reads its video and writes its MP4, as plain data (it crosses to the worker).

/** A File the user chose, or a URL that answers range requests (the command line). */
export type JobInput = { kind: 'file'; file: File } | { kind: 'url'; url: string; name: string };

/**
 * A URL taking positioned PUTs of the MP4 (the benchmarks); a URL taking a packet log and its
 * checkpoints (the command line, which makes the MP4 itself); or a packet log in the origin-private
 * file system (the page: `base`.packets and its journal, then `base`.mp4 made in the worker). The
 * last two resume.
 */
export type JobOutput = { kind: 'http'; url: string } | { kind: 'log'; url: string } | { kind: 'opfs-log'; base: string };
