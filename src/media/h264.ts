// Just enough H.264 bitstream reading to skip what analysis does not need: a picture whose slices
// all have nal_ref_idc == 0 is never used to predict another, so it need not be decoded at all.
// Pure: unit-tested.

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
