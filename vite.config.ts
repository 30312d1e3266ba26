import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
// @ts-expect-error -- a build script in plain JavaScript
import { serviceWorkerSource } from './scripts/service-worker.mjs';
// @ts-expect-error -- a build script in plain JavaScript
import { watPlugin } from './scripts/wat-plugin.mjs';

/** Every file under a folder, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((f) => `${name}/${f}`) : [name];
  });
}

/** Writes sw.js with the list of every file of the build (bundle and public/) to precache. */
function serviceWorker(): Plugin {
  return {
    name: 'dualface-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = ['./', 'index.html', ...Object.keys(bundle), ...filesUnder(join(import.meta.dirname, 'public'))]
        .filter((f, i, all) => f !== 'sw.js' && !f.endsWith('.map') && all.indexOf(f) === i)
        .sort();
      // DUALFACE_BUILD_ID marks a build as new even with the same files (the update test uses it).
      const version = createHash('sha256')
        .update(process.env['DUALFACE_BUILD_ID'] ?? '')
        .update(JSON.stringify(files))
        .update(JSON.stringify(Object.values(bundle).map((b) => ('code' in b ? b.code : b.source.toString().length))))
        .digest('hex')
        .slice(0, 12);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(files, version) });
    },
  };
}

export default defineConfig({
  base: './',
  resolve: {
    // See src/face-api.d.ts.
    alias: { 'face-api-bundle': join(import.meta.dirname, 'node_modules/@vladmandic/face-api/dist/face-api.esm.js') },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    // The MediaPipe wasm is served from public/vendor as is, never inlined.
    assetsInlineLimit: 0,
  },
  worker: {
    format: 'es',
    plugins: () => [watPlugin()],
  },
  plugins: [watPlugin(), serviceWorker()],
});
