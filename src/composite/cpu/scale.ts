// Bilinear crop-and-scale of one 8-bit plane, with the same sampling as the WebGPU shader
// (texel centres, edge clamped), so both compositors give the same picture. Pure: unit-tested in Node.

export interface PlaneView {
  data: Uint8Array;
  offset: number;
  stride: number;
  width: number;
  height: number;
  /** 1 for planar samples, 2 for one channel of interleaved chroma (NV12). */
  step: number;
}

/** A region in plane samples (fractional allowed). */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where each of `count` output samples reads along one axis: the two source samples and the weight of the second (0..256). */
export interface SamplePositions {
  first: Int32Array;
  second: Int32Array;
  weight: Int32Array;
}

/**
 * Output sample i reads the source at start + (i + 0.5) * length / count - 0.5, as a GPU sampler does
 * with normalised coordinates, clamped to [0, last]; weights are 8-bit fixed point.
 */
export function samplePositions(start: number, length: number, count: number, last: number): SamplePositions {
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  const weight = new Int32Array(count);
  const step = length / count;
  for (let i = 0; i < count; i++) {
    const s = Math.min(last, Math.max(0, start + (i + 0.5) * step - 0.5));
    const s0 = Math.floor(s);
    first[i] = s0;
    second[i] = Math.min(last, s0 + 1);
    weight[i] = Math.round((s - s0) * 256);
  }
  return { first, second, weight };
}

/** Samples `region` of `source` into the `target` rectangle (integer samples) of `destination`; see samplePositions. */
export function scalePlane(source: PlaneView, region: Region, destination: PlaneView, target: Region): void {
  const outW = Math.round(target.w);
  const outH = Math.round(target.h);
  const columns = samplePositions(region.x, region.w, outW, source.width - 1);
  const x0s = columns.first.map((x) => x * source.step);
  const x1s = columns.second.map((x) => x * source.step);
  const wxs = columns.weight;
  const rows = samplePositions(region.y, region.h, outH, source.height - 1);
  const src = source.data;
  const dst = destination.data;
  // Separable: each source row used is scaled horizontally once (kept at 8 extra bits), then output
  // rows blend two such rows. Upscaled crops reuse each horizontal row for several output rows.
  const rowA = new Uint16Array(outW);
  const rowB = new Uint16Array(outW);
  let cachedA = -1;
  let cachedB = -1;
  let first = rowA;
  let second = rowB;
  const horizontal = (y: number, into: Uint16Array) => {
    const row = source.offset + y * source.stride;
    for (let i = 0; i < outW; i++) {
      const wx = wxs[i]!;
      into[i] = src[row + x0s[i]!]! * (256 - wx) + src[row + x1s[i]!]! * wx;
    }
  };
  const outStep = destination.step;
  for (let j = 0; j < outH; j++) {
    const y0 = rows.first[j]!;
    const y1 = rows.second[j]!;
    const wy = rows.weight[j]!;
    // Keep `first` = row y0 and `second` = row y1, recomputing only what moved.
    if (cachedA !== y0) {
      if (cachedB === y0) {
        const t = first;
        first = second;
        second = t;
        cachedA = y0;
        cachedB = -1;
      } else {
        horizontal(y0, first);
        cachedA = y0;
      }
    }
    let out = destination.offset + (target.y + j) * destination.stride + target.x * outStep;
    if (wy === 0) {
      for (let i = 0; i < outW; i++, out += outStep) dst[out] = (first[i]! + 128) >> 8;
      continue;
    }
    if (cachedB !== y1) {
      horizontal(y1, second);
      cachedB = y1;
    }
    const iwy = 256 - wy;
    for (let i = 0; i < outW; i++, out += outStep) dst[out] = (first[i]! * iwy + second[i]! * wy + 32768) >> 16;
  }
}

/** Fills a rectangle of a plane with one value (black panels: Y 16, U and V 128). */
export function fillPlane(destination: PlaneView, target: Region, value: number): void {
  for (let j = 0; j < target.h; j++) {
    const row = destination.offset + (target.y + j) * destination.stride + target.x * destination.step;
    if (destination.step === 1) destination.data.fill(value, row, row + target.w);
    else for (let i = 0; i < target.w; i++) destination.data[row + i * destination.step] = value;
  }
}

/**
 * Samples with an affine map from target pixel centres (i + 0.5, j + 0.5) to continuous source
 * coordinates, bilinear at texel centres: the general path, for rotated video.
 */
export function sampleAffine(source: PlaneView, destination: PlaneView, target: Region, map: readonly [number, number, number, number, number, number]): void {
  const [ax, bx, cx, ay, by, cy] = map;
  const maxX = source.width - 1;
  const maxY = source.height - 1;
  const src = source.data;
  const dst = destination.data;
  for (let j = 0; j < target.h; j++) {
    let out = destination.offset + (target.y + j) * destination.stride + target.x * destination.step;
    for (let i = 0; i < target.w; i++, out += destination.step) {
      const u = i + 0.5;
      const v = j + 0.5;
      const sx = Math.min(maxX, Math.max(0, ax * u + bx * v + cx - 0.5));
      const sy = Math.min(maxY, Math.max(0, ay * u + by * v + cy - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(maxX, x0 + 1);
      const y1 = Math.min(maxY, y0 + 1);
      const wx = sx - x0;
      const wy = sy - y0;
      const r0 = source.offset + y0 * source.stride;
      const r1 = source.offset + y1 * source.stride;
      const a = src[r0 + x0 * source.step]! * (1 - wx) + src[r0 + x1 * source.step]! * wx;
      const b = src[r1 + x0 * source.step]! * (1 - wx) + src[r1 + x1 * source.step]! * wx;
      dst[out] = Math.round(a * (1 - wy) + b * wy);
    }
  }
}
