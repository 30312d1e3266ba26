// The benchmarks' default input and their statistics.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's folder: the nearest one above this module with a package.json (the bundler may put this module in a chunk folder). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const root = projectRoot();

/** The default input: a 60 s 1080p30 two-person clip with slow zoom and audio, made from a fixture still. */
export function defaultInput(): string {
  const cache = join(root, 'bench', '.cache');
  const path = join(cache, 'two-people-1080p30-60s.mp4');
  if (existsSync(path)) return path;
  const fixtures = resolve(process.env['DUALFACE_FIXTURES'] ?? join(root, '..', 'shared', 'fixtures'));
  const still = join(fixtures, 'stills', 'two-people-1126x661.jpg');
  if (!existsSync(still)) throw new Error(`bench: ${still} is missing (set DUALFACE_FIXTURES)`);
  mkdirSync(cache, { recursive: true });
  process.stderr.write(`bench: generating ${path} with ffmpeg (once)...\n`);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    still,
    '-f',
    'lavfi',
    '-i',
    'sine=f=220:r=48000',
    '-t',
    '60',
    '-vf',
    "scale=1920:1080,zoompan=z='1+0.05*sin(on/40)':d=1:s=1920x1080:fps=30",
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    path,
  ]);
  return path;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
