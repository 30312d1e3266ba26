// Adds TFLite model metadata (input normalisation) to a model that ships without it.
//
// MediaPipe's FaceDetector task refuses a model without `NormalizationOptions` metadata. The BlazeFace
// short-range model in the `@mediapipe/face_detection` npm package is the right network but carries
// none, so at build time we write a copy with a `TFLITE_METADATA` entry.
//
// FlatBuffers only point forward (unsigned offsets), so rather than re-serialising the whole model we
// PREPEND a new root `Model` table whose fields point into the untouched original bytes that follow it.
// The prefix is padded to 16 bytes so every buffer in the original keeps its alignment.

/** Minimal forward-writing FlatBuffer serialiser: a parent is always written before its children. */
class ForwardWriter {
  constructor() {
    this.bytes = [];
    /** Offsets to positions outside this buffer, resolved once the prefix length is known. */
    this.externalPatches = [];
  }
  get pos() {
    return this.bytes.length;
  }
  align(n, extra = 0) {
    while ((this.pos + extra) % n !== 0) this.bytes.push(0);
  }
  u8(v) {
    this.bytes.push(v & 0xff);
  }
  u16(v) {
    this.u8(v);
    this.u8(v >> 8);
  }
  u32(v) {
    this.u16(v & 0xffff);
    this.u16((v >>> 16) & 0xffff);
  }
  f32(v) {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    for (const x of b) this.u8(x);
  }
  setU32(at, v) {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >> 8) & 0xff;
    this.bytes[at + 2] = (v >> 16) & 0xff;
    this.bytes[at + 3] = (v >>> 24) & 0xff;
  }

  /**
   * node: {table: [[fieldId, value], ...]} | {string} | {vector: [node...]} | {f32: [..]} | {bytes, align}
   * value: {u8} | {u32} | node | {external: absolutePositionInTheFollowingBlock}
   * Returns the node's position.
   */
  emit(node) {
    if (node.string !== undefined) {
      const data = new TextEncoder().encode(node.string);
      this.align(4);
      const at = this.pos;
      this.u32(data.length);
      for (const b of data) this.u8(b);
      this.u8(0);
      return at;
    }
    if (node.f32 !== undefined) {
      this.align(4);
      const at = this.pos;
      this.u32(node.f32.length);
      for (const v of node.f32) this.f32(v);
      return at;
    }
    if (node.bytes !== undefined) {
      this.align(node.align ?? 4, 4);
      const at = this.pos;
      this.u32(node.bytes.length);
      for (const b of node.bytes) this.u8(b);
      return at;
    }
    if (node.vector !== undefined) {
      this.align(4);
      const at = this.pos;
      this.u32(node.vector.length);
      const slots = node.vector.map((child) => {
        const slot = this.pos;
        this.u32(0);
        return [slot, child];
      });
      for (const [slot, child] of slots) this.link(slot, child);
      return at;
    }
    if (node.table !== undefined) {
      const fields = [...node.table].sort((a, b) => a[0] - b[0]);
      const maxId = fields.length ? fields[fields.length - 1][0] : -1;
      // Table layout: soffset, then 4-byte slots (u8 fields padded to 4 for simplicity).
      const fieldOffset = new Map(fields.map(([id], i) => [id, 4 + 4 * i]));
      const tableSize = 4 + 4 * fields.length;
      this.align(2);
      const vtableAt = this.pos;
      this.u16(4 + 2 * (maxId + 1));
      this.u16(tableSize);
      for (let id = 0; id <= maxId; id++) this.u16(fieldOffset.get(id) ?? 0);
      this.align(4);
      const tableAt = this.pos;
      this.u32(tableAt - vtableAt); // soffset: vtable = table - soffset
      const pending = [];
      for (const [, value] of fields) {
        const slot = this.pos;
        if (value.u8 !== undefined) this.u32(value.u8);
        else if (value.u32 !== undefined) this.u32(value.u32);
        else {
          this.u32(0);
          pending.push([slot, value]);
        }
      }
      for (const [slot, child] of pending) this.link(slot, child);
      return tableAt;
    }
    throw new Error(`unknown node ${JSON.stringify(node)}`);
  }

  link(slot, child) {
    if (child.external !== undefined) {
      this.externalPatches.push([slot, child.external]);
      return;
    }
    const at = this.emit(child);
    this.setU32(slot, at - slot);
  }
}

/** Reads the root `Model` table of a .tflite file. */
function readModel(model) {
  const view = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const identifier = new TextDecoder().decode(model.subarray(4, 8));
  if (identifier !== 'TFL3') throw new Error(`not a TFLite model (identifier ${identifier})`);
  const rootAt = view.getUint32(0, true);
  const vtableAt = rootAt - view.getInt32(rootAt, true);
  const vtableSize = view.getUint16(vtableAt, true);
  const fieldAt = (id) => {
    const slot = 4 + 2 * id;
    if (slot >= vtableSize) return 0;
    const off = view.getUint16(vtableAt + slot, true);
    return off === 0 ? 0 : rootAt + off;
  };
  const deref = (at) => at + view.getUint32(at, true);
  return { view, fieldAt, deref };
}

/** ModelMetadata (metadata_schema.fbs, identifier M001) with one normalised image input. */
function normalisationMetadata({ name, mean, std }) {
  const processUnit = {
    table: [
      [0, { u8: 1 /* NormalizationOptions */ }],
      [
        1,
        {
          table: [
            [0, { f32: [mean] }],
            [1, { f32: [std] }],
          ],
        },
      ],
    ],
  };
  const inputTensor = {
    table: [
      [0, { string: 'image' }],
      [4, { vector: [processUnit] }],
    ],
  };
  const subgraph = {
    table: [
      [0, { string: name }],
      [2, { vector: [inputTensor] }],
    ],
  };
  const root = {
    table: [
      [0, { string: name }],
      [3, { vector: [subgraph] }],
      [7, { string: '1.0.0' }],
    ],
  };
  const w = new ForwardWriter();
  w.u32(0);
  for (const c of 'M001') w.u8(c.charCodeAt(0));
  const at = w.emit(root);
  w.setU32(0, at);
  return Uint8Array.from(w.bytes);
}

/**
 * Returns a copy of `model` (a .tflite file) with input normalisation metadata added.
 * @param {Uint8Array} model
 * @param {{name: string, mean: number, std: number}} options
 */
export function addNormalisationMetadata(model, options) {
  const { view, fieldAt, deref } = readModel(model);
  if (fieldAt(6) !== 0) throw new Error('model already has metadata');
  const buffersAt = deref(fieldAt(4));
  const bufferCount = view.getUint32(buffersAt, true);
  const oldBuffers = [];
  for (let i = 0; i < bufferCount; i++) oldBuffers.push({ external: deref(buffersAt + 4 + 4 * i) });

  const metadataBytes = normalisationMetadata(options);
  const fields = [];
  // Model: 0 version (u32), 1 operator_codes, 2 subgraphs, 3 description, 4 buffers,
  // 5 metadata_buffer, 6 metadata, 7 signature_defs.
  fields.push([0, { u32: fieldAt(0) ? view.getUint32(fieldAt(0), true) : 3 }]);
  for (const id of [1, 2, 3, 5, 7]) if (fieldAt(id)) fields.push([id, { external: deref(fieldAt(id)) }]);
  fields.push([4, { vector: [...oldBuffers, { table: [[0, { bytes: metadataBytes, align: 16 }]] }] }]);
  fields.push([
    6,
    {
      vector: [
        {
          table: [
            [0, { string: 'TFLITE_METADATA' }],
            [1, { u32: bufferCount }],
          ],
        },
      ],
    },
  ]);

  const w = new ForwardWriter();
  w.u32(0);
  for (const c of 'TFL3') w.u8(c.charCodeAt(0));
  const rootAt = w.emit({ table: fields });
  w.setU32(0, rootAt);
  w.align(16);
  const prefixLength = w.pos;
  for (const [slot, target] of w.externalPatches) w.setU32(slot, prefixLength + target - slot);

  const out = new Uint8Array(prefixLength + model.byteLength);
  out.set(w.bytes, 0);
  out.set(model, prefixLength);
  return out;
}
