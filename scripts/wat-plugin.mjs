// Vite plugin: `import bytes from './x.wat'` compiles the WebAssembly text with wabt at build time and
// gives the module's bytes (inlined: the kernels are a few hundred bytes, and inlining keeps them in
// the worker bundle, precached and offline, with no fetch to wait for).
import { readFile } from 'node:fs/promises';
import wabtModule from 'wabt';

let wabt = null;

export async function compileWat(path) {
  wabt ??= await wabtModule();
  const text = await readFile(path, 'utf8');
  const parsed = wabt.parseWat(path, text, { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

export function watPlugin() {
  return {
    name: 'dualface-wat',
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      const bytes = await compileWat(id);
      const base64 = Buffer.from(bytes).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));\n`;
    },
  };
}
