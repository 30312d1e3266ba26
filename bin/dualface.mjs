#!/usr/bin/env node
// Entry point of `dualface` / `npm run dualface`: builds the app and the CLI first when they are
// missing or older than the sources, then runs the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = [join(root, 'dist', 'index.html'), join(root, 'dist-node', 'cli', 'main.js')];

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// An installed package ships its build; only a checkout (with .git) is rebuilt when sources change.
const missing = built.some((file) => !existsSync(file));
const checkout = existsSync(join(root, '.git'));
const sources = checkout ? Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'shaders')), statSync(join(root, 'index.html')).mtimeMs) : 0;
const stale = missing || (checkout && built.some((file) => statSync(file).mtimeMs < sources));
if (stale) {
  process.stderr.write('dualface: building the app first (npm run build)...\n');
  // A production build whatever environment this runs in (a test runner sets NODE_ENV=test).
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) {
    process.stderr.write('dualface: the build failed\n');
    process.exit(1);
  }
}
await import(join(root, 'dist-node', 'cli', 'main.js'));
