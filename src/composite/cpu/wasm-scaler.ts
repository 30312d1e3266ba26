// The CPU compositor's frame memory and its SIMD scaler (scale.wat). The decoded frame is copied
// straight into WebAssembly memory, scaled there into the output I420 frame, and the encoder's
// VideoFrame is made from that memory: the same sampling as scale.ts (texel centres, edges clamped,
// 8-bit weights), ~20x faster than the JavaScript loop, which stays as the path for what the kernel
// does not cover (outputs under 8 samples wide, interleaved chroma shrunk, rotated video).
import scaleWasm from './scale.wat';
import { samplePositions, type PlaneView, type Region } from './scale';

interface ScaleExports {
  memory: WebAssembly.Memory;
  scalePlane(rows: number, count: number, span: number, scratch: number, groups: number, groupCount: number): void;
  scaleColumns(rows: number, count: number, into: number, width: number, groups: number, groupCount: number): void;
  blendRows(rows: number, count: number, width: number): void;
}

const PAGE = 65536;
/** Slack after every region: the kernel reads whole 16-byte vectors past the last sample it uses. */
const PAD = 64;
const ROW_RECORD = 16;
const GROUP_RECORD = 64;
const MAX_ROWS = 8192;
const MAX_GROUPS = 2048;
const MAX_SPAN = 32768;
// Fixed regions at the start of memory; the frames follow.
const ROWS_AT = 0;
const GROUPS_AT = ROWS_AT + MAX_ROWS * ROW_RECORD;
const SCRATCH_AT = GROUPS_AT + MAX_GROUPS * GROUP_RECORD;
const FRAMES_AT = SCRATCH_AT + MAX_SPAN + PAD;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where this engine has no WebAssembly SIMD. */
function kernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(scaleWasm);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Whether scaling horizontally first (once per source row used, then blending output rows) does less
 * work than vertically first (blending `span` source samples per output row, then scaling each
 * horizontally): when enlarging (face panels, usually), or shrinking across only. A horizontal sample
 * costs about two vertical ones. Measured in Node, a stacked frame from two ~1.9x face crops: 0.68 ms
 * against 0.83 ms vertically first; side by side from ~1.1x crops, 0.91 against 0.92 ms.
 */
export function horizontalFirst(sourceRows: number, span: number, outW: number, outH: number): boolean {
  return 2 * sourceRows * outW + outH * outW < outH * (2 * outW + span);
}

export class WasmScaler {
  private readonly exports: ScaleExports;
  private rowsTable: Int32Array;
  private groupsTable: DataView;
  private intermediateAt = 0;
  private intermediateBytes = 0;

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as ScaleExports;
    this.rowsTable = new Int32Array(0);
    this.groupsTable = new DataView(new ArrayBuffer(0));
    this.reserve(FRAMES_AT);
  }

  /** A scaler with its own memory, or null where WebAssembly SIMD is not available. */
  static create(): WasmScaler | null {
    const module = kernel();
    return module ? new WasmScaler(new WebAssembly.Instance(module)) : null;
  }

  /** Grows the memory to at least `end` bytes; views are remade, as growing detaches the old ones. */
  private reserve(end: number): void {
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    const buffer = memory.buffer;
    if (this.rowsTable.buffer === buffer) return;
    this.rowsTable = new Int32Array(buffer, ROWS_AT, MAX_ROWS * (ROW_RECORD / 4));
    this.groupsTable = new DataView(buffer, GROUPS_AT, MAX_GROUPS * GROUP_RECORD);
  }

  /**
   * Room for a source frame of `sourceBytes` and an output frame of `outputBytes`, and after them
   * the intermediate of the horizontal-first order (never more than a panel of the output). The
   * views stay valid until the next call (growing the memory detaches the old ones).
   */
  frames(sourceBytes: number, outputBytes: number): { source: Uint8Array<ArrayBuffer>; output: Uint8Array<ArrayBuffer> } {
    const outputAt = FRAMES_AT + align(sourceBytes) + PAD;
    this.intermediateAt = outputAt + align(outputBytes) + PAD;
    this.intermediateBytes = outputBytes;
    this.reserve(this.intermediateAt + align(outputBytes) + PAD);
    const memory = this.exports.memory;
    return {
      source: new Uint8Array(memory.buffer, FRAMES_AT, sourceBytes),
      output: new Uint8Array(memory.buffer, outputAt, outputBytes),
    };
  }

  /**
   * Samples `region` of `source` into `target` of `destination`, both views from frames(). Returns
   * false, having written nothing, when the kernel cannot do it (the caller then uses scale.ts).
   */
  scale(source: PlaneView, region: Region, destination: PlaneView, target: Region): boolean {
    const buffer = this.exports.memory.buffer;
    const outW = Math.round(target.w);
    const outH = Math.round(target.h);
    if (source.data.buffer !== buffer || destination.data.buffer !== buffer || destination.step !== 1) return false;
    if (outW < 8 || outH < 1 || outH > MAX_ROWS || Math.ceil(outW / 8) > MAX_GROUPS) return false;
    const step = source.step;
    const columns = samplePositions(region.x, region.w, outW, source.width - 1);
    const firstColumn = columns.first[0]!;
    const span = align((columns.second[outW - 1]! - firstColumn + 1) * step);
    if (span > MAX_SPAN) return false;

    const rows = samplePositions(region.y, region.h, outH, source.height - 1);
    // Source rows the crop reads (sample positions only grow down the panel): see horizontalFirst.
    const top = rows.first[0]!;
    const used = rows.second[outH - 1]! - top + 1;
    const columnsFirst = outW >= 16 && used <= MAX_ROWS && used * outW <= this.intermediateBytes && horizontalFirst(used, span, outW, outH);

    // Groups of 8 output samples; the last one ends exactly at the panel's edge (overlapping the one
    // before it) so no write crosses into the next panel or plane.
    const groups = this.groupsTable;
    const groupCount = Math.ceil(outW / 8);
    const outputColumn = columnsFirst ? 0 : target.x;
    for (let g = 0; g < groupCount; g++) {
      const start = Math.min(g * 8, outW - 8);
      const base = (columns.first[start]! - firstColumn) * step;
      const record = g * GROUP_RECORD;
      for (let k = 0; k < 8; k++) {
        const left = (columns.first[start + k]! - firstColumn) * step - base;
        const right = (columns.second[start + k]! - firstColumn) * step - base;
        // Eight samples shrunk too far apart for one 16-byte shuffle: not for this kernel.
        if (right > 15) return false;
        const weight = columns.weight[start + k]!;
        groups.setUint8(record + k, left);
        groups.setUint8(record + 8 + k, right);
        groups.setInt16(record + 16 + 2 * k, 256 - weight, true);
        groups.setInt16(record + 32 + 2 * k, weight, true);
      }
      groups.setInt32(record + 48, base, true);
      groups.setInt32(record + 52, outputColumn + start, true);
    }

    const sourceAt = source.data.byteOffset + source.offset + firstColumn * step;
    const outputAt = destination.data.byteOffset + destination.offset + (columnsFirst ? target.x : 0);
    const table = this.rowsTable;
    if (columnsFirst) {
      // Rows used, as a table of addresses (in the row table's space: it is written again below,
      // after scaleColumns has read it).
      for (let r = 0; r < used; r++) table[r] = sourceAt + (top + r) * source.stride;
      this.exports.scaleColumns(ROWS_AT, used, this.intermediateAt, outW, GROUPS_AT, groupCount);
    }
    const firstAt = columnsFirst ? this.intermediateAt - top * outW : sourceAt;
    const rowStride = columnsFirst ? outW : source.stride;
    for (let j = 0; j < outH; j++) {
      table[4 * j] = firstAt + rows.first[j]! * rowStride;
      table[4 * j + 1] = firstAt + rows.second[j]! * rowStride;
      table[4 * j + 2] = rows.weight[j]!;
      table[4 * j + 3] = outputAt + (target.y + j) * destination.stride;
    }
    if (columnsFirst) this.exports.blendRows(ROWS_AT, outH, outW);
    else this.exports.scalePlane(ROWS_AT, outH, span, SCRATCH_AT, GROUPS_AT, groupCount);
    return true;
  }
}
