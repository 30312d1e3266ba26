// Builds the command line (Node) from src/cli into dist-node/: bundled, so source imports need no extensions.
import { defineConfig } from 'vite';

export default defineConfig({
  // The app's public/ folder belongs to dist/, not to the CLI bundle.
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist-node/cli',
    target: 'node20',
    emptyOutDir: true,
    rollupOptions: {
      input: { main: 'src/cli/main.ts', serve: 'src/cli/serve.ts' },
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
