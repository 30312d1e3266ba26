import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addNormalisationMetadata } from '../../scripts/tflite-metadata.mjs';

// A tiny FlatBuffer reader, independent of the writer, to check the result.
function reader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = (at: number) => {
    const vtable = at - view.getInt32(at, true);
    const size = view.getUint16(vtable, true);
    const field = (id: number) => (4 + 2 * id < size ? view.getUint16(vtable + 4 + 2 * id, true) : 0);
    return {
      has: (id: number) => field(id) !== 0,
      u32: (id: number) => view.getUint32(at + field(id), true),
      ref: (id: number) => at + field(id) + view.getUint32(at + field(id), true),
    };
  };
  const vector = (at: number) => ({
    length: view.getUint32(at, true),
    ref: (i: number) => at + 4 + 4 * i + view.getUint32(at + 4 + 4 * i, true),
  });
  const string = (at: number) => new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + view.getUint32(at, true)));
  const root = () => view.getUint32(0, true);
  return { view, table, vector, string, root };
}

describe('model metadata', () => {
  const original = new Uint8Array(readFileSync('node_modules/@mediapipe/face_detection/face_detection_short_range.tflite'));
  const model: Uint8Array = addNormalisationMetadata(original, { name: 'face', mean: 127.5, std: 127.5 });

  it('adds a TFLITE_METADATA entry pointing to an M001 buffer with mean and std 127.5', () => {
    const r = reader(model);
    expect(new TextDecoder().decode(model.subarray(4, 8))).toBe('TFL3');
    const root = r.table(r.root());
    const metadata = r.vector(root.ref(6));
    expect(metadata.length).toBe(1);
    const entry = r.table(metadata.ref(0));
    expect(r.string(entry.ref(0))).toBe('TFLITE_METADATA');
    const buffers = r.vector(root.ref(4));
    const buffer = r.table(buffers.ref(entry.u32(1)));
    const data = buffer.ref(0);
    const length = r.view.getUint32(data, true);
    const meta = model.subarray(data + 4, data + 4 + length);
    expect((data + 4) % 16).toBe(0);
    const m = reader(meta);
    expect(new TextDecoder().decode(meta.subarray(4, 8))).toBe('M001');
    const subgraph = m.table(m.vector(m.table(m.root()).ref(3)).ref(0));
    const tensor = m.table(m.vector(subgraph.ref(2)).ref(0));
    const unit = m.table(m.vector(tensor.ref(4)).ref(0));
    expect(unit.u32(0) & 0xff).toBe(1); // NormalizationOptions
    const options = m.table(unit.ref(1));
    const mean = options.ref(0);
    const std = options.ref(1);
    expect(m.view.getFloat32(mean + 4, true)).toBe(127.5);
    expect(m.view.getFloat32(std + 4, true)).toBe(127.5);
  });

  it('keeps the original model bytes intact and aligned, and every original buffer reachable', () => {
    const prefix = model.byteLength - original.byteLength;
    expect(prefix % 16).toBe(0);
    expect(Buffer.compare(Buffer.from(model.subarray(prefix)), Buffer.from(original))).toBe(0);
    const before = reader(original);
    const after = reader(model);
    const oldBuffers = before.vector(before.table(before.root()).ref(4));
    const newBuffers = after.vector(after.table(after.root()).ref(4));
    expect(newBuffers.length).toBe(oldBuffers.length + 1);
    for (let i = 0; i < oldBuffers.length; i++) expect(newBuffers.ref(i)).toBe(oldBuffers.ref(i) + prefix);
    expect(after.table(after.root()).ref(2)).toBe(before.table(before.root()).ref(2) + prefix);
  });
});
