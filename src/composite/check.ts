// Compositor self-check: compare the luma of two composited frames (any of the pixel formats the
// compositors produce), so a path that silently gives black or wrong frames is caught on frame one.

const STEP = 4;

async function lumaSamples(frame: VideoFrame): Promise<Float32Array> {
  const buffer = new Uint8Array(frame.allocationSize());
  const layout = await frame.copyTo(buffer);
  const w = frame.codedWidth;
  const h = frame.codedHeight;
  const out = new Float32Array(Math.ceil(w / STEP) * Math.ceil(h / STEP));
  const { offset, stride } = layout[0]!;
  const format = frame.format;
  let k = 0;
  for (let y = 0; y < h; y += STEP) {
    for (let x = 0; x < w; x += STEP) {
      if (format === 'RGBA' || format === 'RGBX' || format === 'BGRA' || format === 'BGRX') {
        const i = offset + y * stride + x * 4;
        const [r, b] = format.startsWith('RGB') ? [buffer[i]!, buffer[i + 2]!] : [buffer[i + 2]!, buffer[i]!];
        out[k++] = 0.2126 * r + 0.7152 * buffer[i + 1]! + 0.0722 * b;
      } else {
        // Limited-range luma to full range.
        out[k++] = ((buffer[offset + y * stride + x]! - 16) * 255) / 219;
      }
    }
  }
  return out;
}

/** Mean absolute luma difference, 0..255. */
export async function lumaDifference(a: VideoFrame, b: VideoFrame): Promise<number> {
  if (a.codedWidth !== b.codedWidth || a.codedHeight !== b.codedHeight) return 255;
  const [la, lb] = await Promise.all([lumaSamples(a), lumaSamples(b)]);
  let sum = 0;
  for (let i = 0; i < la.length; i++) sum += Math.abs(la[i]! - lb[i]!);
  return sum / la.length;
}
