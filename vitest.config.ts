import { defineConfig } from 'vitest/config';
// @ts-expect-error -- a build script in plain JavaScript
import { watPlugin } from './scripts/wat-plugin.mjs';

export default defineConfig({
  plugins: [watPlugin()],
  test: {
    include: ['tests/**/*.test.ts'],
    // Files side by side: a browser test waits on its browser, ffmpeg and the CLI's start much of
    // the time. On 2 cores, no GPU (2026-12-03): one file at a time 15.5 min, two or three at a time
    // 11.3 min.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
