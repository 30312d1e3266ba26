// Just enough H.264 bitstream reading: to skip what analysis does not need (a picture whose slices
// all have nal_ref_idc == 0 is never used to predict another, so it need not be decoded at all), and
// to put an encoder's parameter sets in band (a packet log whose encoder changed midway). Pure:
// unit-tested.

/** A decoder config's description as bytes, or null when it has none. */
export function descriptionBytes(description: AllowSharedBufferSource | undefined): Uint8Array | null {
  if (!description) return null;
  // SharedArrayBuffer is undefined on pages that are not cross-origin isolated: test views first.
  if (ArrayBuffer.isView(description)) return new Uint8Array(description.buffer, description.byteOffset, description.byteLength);
  return new Uint8Array(description);
}

/** NAL unit length-prefix size from an avcC record (the decoder config's description). */
export function avcLengthSize(description: Uint8Array | null): number | null {
  if (!description || description.byteLength < 5 || description[0] !== 1) return null;
  return (description[4]! & 0x3) + 1;
}

/**
 * True when the access unit (length-prefixed NAL units) holds slices and none of them is a
 * reference. Anything unexpected counts as a reference (it is decoded).
 */
export function isNonReferencePicture(data: Uint8Array, lengthSize: number): boolean {
  let offset = 0;
  let slices = 0;
  while (offset + lengthSize <= data.byteLength) {
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + data[offset + i]!;
    offset += lengthSize;
    if (length === 0 || offset + length > data.byteLength) return false;
    const header = data[offset]!;
    const type = header & 0x1f;
    const refIdc = (header >> 5) & 0x3;
    if (type === 5) return false; // IDR
    if (type === 1 || type === 2) {
      if (refIdc !== 0) return false;
      slices++;
    }
    offset += length;
  }
  return slices > 0 && offset === data.byteLength;
}

/** avcC's parameter sets as length-prefixed NAL units (the form the samples use). */
export function parameterSetsInBand(avcC: Uint8Array): Uint8Array {
  const lengthSize = avcLengthSize(avcC) ?? 4;
  const units: Uint8Array[] = [];
  let at = 5;
  const readSets = (count: number) => {
    for (let i = 0; i < count; i++) {
      const size = (avcC[at]! << 8) | avcC[at + 1]!;
      units.push(avcC.subarray(at + 2, at + 2 + size));
      at += 2 + size;
    }
  };
  readSets(avcC[at++]! & 0x1f);
  readSets(avcC[at++]!);
  const out = new Uint8Array(units.reduce((sum, unit) => sum + lengthSize + unit.length, 0));
  let put = 0;
  for (const unit of units) {
    for (let b = lengthSize - 1; b >= 0; b--) out[put++] = (unit.length >>> (8 * b)) & 0xff;
    out.set(unit, put);
    put += unit.length;
  }
  return out;
}
