// `import bytes from './x.wat'`: the compiled WebAssembly module (scripts/wat-plugin.mjs).
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
