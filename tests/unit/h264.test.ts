import { describe, expect, it } from 'vitest';
import { avcLengthSize, isNonReferencePicture } from '../../src/media/h264';

const nal = (header: number, size = 4) => [0, 0, 0, size + 1, header, ...Array.from({ length: size }, () => 0x88)];

describe('H.264 reference pictures', () => {
  it('reads the NAL length size from avcC', () => {
    expect(avcLengthSize(new Uint8Array([1, 0x64, 0, 0x28, 0xff]))).toBe(4);
    expect(avcLengthSize(new Uint8Array([1, 0x64, 0, 0x28, 0xfd]))).toBe(2);
    expect(avcLengthSize(null)).toBeNull();
    expect(avcLengthSize(new Uint8Array([0, 0, 0, 1, 0x67]))).toBeNull(); // Annex B, not avcC
  });

  it('finds pictures no other picture refers to', () => {
    expect(isNonReferencePicture(new Uint8Array(nal(0x01)), 4)).toBe(true); // slice, nal_ref_idc 0
    expect(isNonReferencePicture(new Uint8Array([...nal(0x06), ...nal(0x01), ...nal(0x01)]), 4)).toBe(true); // SEI + two non-ref slices
    expect(isNonReferencePicture(new Uint8Array(nal(0x41)), 4)).toBe(false); // nal_ref_idc 2
    expect(isNonReferencePicture(new Uint8Array(nal(0x65)), 4)).toBe(false); // IDR
    expect(isNonReferencePicture(new Uint8Array([...nal(0x01), ...nal(0x21)]), 4)).toBe(false); // one slice is a reference
    expect(isNonReferencePicture(new Uint8Array(nal(0x06)), 4)).toBe(false); // no slice at all
    expect(isNonReferencePicture(new Uint8Array([0, 0, 0, 99, 0x01]), 4)).toBe(false); // damaged length
  });
});
