import { defineConfig } from 'vitest/config';
// @ts-expect-error -- a build script in plain JavaScript
import { watPlugin } from './scripts/wat-plugin.mjs';

export default defineConfig({
  plugins: [watPlugin()],
  test: {
    include: ['tests/**/*.test.ts'],
    // Browser tests drive one headless Chromium each and are CPU-heavy on 2 cores: run files one by one.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
