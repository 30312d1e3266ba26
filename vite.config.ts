import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    // The MediaPipe wasm is served from public/vendor as is, never inlined.
    assetsInlineLimit: 0,
  },
  worker: {
    format: 'es',
  },
});
