// The source's layers, kept true: each folder of src/ imports only from folders of its own layer or
// below, and no file imports itself back through others (no cycles). What each layer is for is in
// docs/layout.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/** Lower layers first. A folder may import from its own layer and those before it. */
const LAYERS: readonly (readonly string[])[] = [['core', 'geometry'], ['framing'], ['media', 'detect', 'composite'], ['job'], ['app', 'cli'], ['main.ts']];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to files of src/ (types and dynamic imports too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*)'(\.{1,2}\/[^'?]+)/g)].map((m) => m[1]!);
  return specs.flatMap((spec) => {
    const base = normalize(join(dirname(file), spec));
    const found = [base, `${base}.ts`].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    return found && found.endsWith('.ts') ? [found] : [];
  });
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0]!;
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('layers', () => {
  it('every folder of src/ has a layer', () => {
    expect([...new Set(files.map(folderOf))].filter((folder) => layerOf(folder) < 0 && folder !== 'wat.d.ts')).toEqual([]);
  });

  it('the product imports nothing from the development tools (tools/) or the tests', () => {
    const specs = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^'?]+)/g)].map((m) => ({
        file,
        target: normalize(join(dirname(file), m[1]!)),
      })),
    );
    expect(specs.filter(({ target }) => !target.startsWith(SRC)).map(({ file, target }) => `${relative(SRC, file)} -> ${relative(SRC, target)}`)).toEqual([]);
  });

  it('nothing imports from a layer above its own', () => {
    const upward = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((target) => layerOf(folderOf(target)) > layerOf(folderOf(file)))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('folders of one layer do not import each other both ways', () => {
    const edges = new Set(files.flatMap((file) => graph.get(file)!.map((target) => `${folderOf(file)}>${folderOf(target)}`)));
    const both = [...edges].filter((edge) => {
      const [a, b] = edge.split('>');
      return a !== b && edges.has(`${b}>${a}`);
    });
    expect(both).toEqual([]);
  });

  it('no file imports itself back through others (no cycles)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map((f) => relative(SRC, f)).join(' -> '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
