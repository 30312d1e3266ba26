// Builds the development tools (benchmarks, scoring), apart from the product: their page into
// dist-tools/web (with the app's public/ for the MediaPipe files) and their commands into
// dist-tools/node. Neither is in the npm package. `vite build -c vite.tools.config.ts --mode node`
// builds the commands.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
// @ts-expect-error -- a build script in plain JavaScript
import { watPlugin } from './scripts/wat-plugin.mjs';

export default defineConfig(({ mode }) =>
  mode === 'node'
    ? {
        publicDir: false,
        build: {
          ssr: true,
          outDir: 'dist-tools/node',
          target: 'node20',
          emptyOutDir: true,
          rollupOptions: {
            input: {
              bench: 'tools/bench.ts',
              'bench-memory': 'tools/bench-memory.ts',
              'bench-resume': 'tools/bench-resume.ts',
              'bench-review': 'tools/bench-review.ts',
              'bench-preview': 'tools/bench-preview.ts',
              score: 'tools/score.ts',
              likeness: 'tools/likeness.ts',
            },
            output: { format: 'es', entryFileNames: '[name].js' },
          },
        },
      }
    : {
        root: resolve(import.meta.dirname, 'tools', 'web'),
        // As in vite.config.ts (see src/detect/face-api.d.ts).
        resolve: { alias: { 'face-api-bundle': resolve(import.meta.dirname, 'node_modules/@vladmandic/face-api/dist/face-api.esm.js') } },
        base: './',
        publicDir: resolve(import.meta.dirname, 'public'),
        build: { target: 'es2022', outDir: resolve(import.meta.dirname, 'dist-tools', 'web'), emptyOutDir: true, assetsInlineLimit: 0 },
        worker: { format: 'es', plugins: () => [watPlugin()] },
        plugins: [watPlugin()],
      },
);
