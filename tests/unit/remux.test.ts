// The MP4 made from a packet log whose second half came from another encoder (a fallback midway):
// two real H.264 streams with different parameter sets (made by ffmpeg), their packets logged as the
// render would, remuxed in Node, and judged by ffprobe and ffmpeg.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { encodeRecord, toBase64, type Checkpoint, type LogConfig } from '../../src/media/packet-log';
import { remuxLog } from '../../src/media/remux';
import { Timeline } from '../../src/framing/timeline';
import { FileSink } from '../../src/cli/file-sink';
import { scratchDir } from '../scratch';

const dir = scratchDir('remux');

function encode(name: string, x264: string, colour: string): string {
  const path = join(dir, name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=30,hue=h=${colour}`,
    '-t',
    '2',
    '-c:v',
    'libx264',
    '-bf',
    '0',
    '-g',
    '30',
    '-x264-params',
    x264,
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

async function packetsOf(path: string, offsetSeconds: number) {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  const config = await track.getDecoderConfig();
  const records: Uint8Array[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    records.push(encodeRecord(packet.data, Math.round((packet.timestamp + offsetSeconds) * 1e6), Math.round(packet.duration * 1e6), packet.type === 'key'));
  }
  input.dispose();
  return { config: config!, records };
}

describe('remux of a packet log', () => {
  it('two encoders in one file: the second one’s parameter sets go in band, and it all decodes', async () => {
    const a = await packetsOf(encode('a.mp4', 'ref=1:cabac=0', '0'), 0);
    const b = await packetsOf(encode('b.mp4', 'ref=4:cabac=1', '90'), 2);
    const description = (c: VideoDecoderConfig) => toBase64(new Uint8Array(c.description as ArrayBuffer | Uint8Array as ArrayBuffer));
    expect(description(a.config)).not.toBe(description(b.config));
    const log = new Uint8Array([...a.records, ...b.records].reduce<number[]>((all, r) => (all.push(...r), all), []));
    const aBytes = a.records.reduce((n, r) => n + r.length, 0);
    const configs: LogConfig[] = [
      { atBytes: 0, codec: a.config.codec, codedWidth: 320, codedHeight: 240, description: description(a.config) },
      { atBytes: aBytes, codec: b.config.codec, codedWidth: 320, codedHeight: 240, description: description(b.config) },
    ];
    const frames = a.records.length + b.records.length;
    const checkpoint: Checkpoint = { bytes: log.length, frames, outputMicros: 0, sourceMicros: 0, configs, complete: true };
    const out = join(dir, 'out.mp4');
    closeSync(openSync(out, 'w'));
    await remuxLog({
      read: async (s, e) => log.subarray(s, e),
      checkpoint,
      audio: null,
      timeline: new Timeline(),
      sink: new FileSink(out),
      signal: new AbortController().signal,
    });
    const count = execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      out,
    ])
      .toString()
      .trim();
    expect(Number(count)).toBe(frames);
    const errors = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(errors).toBe('');
    // The second half shows the second stream's picture (hue turned), not a misdecoded first one.
    const pictureB = execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      join(dir, 'b.mp4'),
      '-vf',
      'select=eq(n\\,10)',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ]);
    const pictureOut = execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      out,
      '-vf',
      `select=eq(n\\,${a.records.length + 10})`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ]);
    expect(pictureOut.length).toBe(320 * 240);
    let difference = 0;
    for (let i = 0; i < pictureOut.length; i++) difference += Math.abs(pictureOut[i]! - pictureB[i]!);
    expect(difference / pictureOut.length).toBeLessThan(1);
  });
});
