// Frames in a pixel format the 8-bit paths do not read (10-bit I420P10, 4:4:4 I444, ...) read as
// 8-bit I420 all the same: the browser converts the frame to RGBA (copyTo with a format), and the
// RGBA becomes BT.709 limited-range I420 here. Slower than reading the planes as they are (a whole
// RGB frame in between), so only for those formats.

/** The colour space of what copyAsI420 writes. */
export const CONVERTED_COLOR_SPACE: VideoColorSpaceInit = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false };

/** Bytes an I420 picture of this size takes (chroma planes of the rounded-up half size). */
export function i420Size(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** A reusable RGBA buffer for copyAsI420. */
export class RgbaScratch {
  data = new Uint8Array(0);
  take(bytes: number): Uint8Array {
    if (this.data.byteLength < bytes) this.data = new Uint8Array(bytes);
    return this.data.subarray(0, bytes);
  }
}

/**
 * Copies the frame's visible picture into `out` as I420 (tightly packed, `i420Size` bytes) and
 * returns the planes' layout, as VideoFrame.copyTo does.
 */
export async function copyAsI420(frame: VideoFrame, out: Uint8Array, scratch: RgbaScratch): Promise<PlaneLayout[]> {
  const width = frame.visibleRect?.width ?? frame.codedWidth;
  const height = frame.visibleRect?.height ?? frame.codedHeight;
  const rgba = scratch.take(width * height * 4);
  await frame.copyTo(rgba, { format: 'RGBA', colorSpace: 'srgb' });
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  rgbaToI420(rgba, width, height, out);
  return [
    { offset: 0, stride: width },
    { offset: width * height, stride: cw },
    { offset: width * height + cw * ch, stride: cw },
  ];
}

/** RGBA (sRGB) → BT.709 limited-range I420; chroma is the mean of each 2x2 block. Pure. */
export function rgbaToI420(rgba: Uint8Array, width: number, height: number, out: Uint8Array): void {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const uOffset = width * height;
  const vOffset = uOffset + cw * ch;
  for (let y = 0; y < height; y++) {
    let o = y * width * 4;
    for (let x = 0; x < width; x++, o += 4) {
      out[y * width + x] = 16 + ((0.2126 * rgba[o]! + 0.7152 * rgba[o + 1]! + 0.0722 * rgba[o + 2]!) * 219) / 255 + 0.5;
    }
  }
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let dy = 0; dy < 2; dy++) {
        const y = 2 * cy + dy;
        if (y >= height) continue;
        for (let dx = 0; dx < 2; dx++) {
          const x = 2 * cx + dx;
          if (x >= width) continue;
          const o = (y * width + x) * 4;
          r += rgba[o]!;
          g += rgba[o + 1]!;
          b += rgba[o + 2]!;
          n++;
        }
      }
      r /= n;
      g /= n;
      b /= n;
      out[uOffset + cy * cw + cx] = 128 + ((-0.1146 * r - 0.3854 * g + 0.5 * b) * 224) / 255 + 0.5;
      out[vOffset + cy * cw + cx] = 128 + ((0.5 * r - 0.4542 * g - 0.0458 * b) * 224) / 255 + 0.5;
    }
  }
}
