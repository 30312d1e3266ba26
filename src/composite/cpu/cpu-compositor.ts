// Composite on the CPU, straight from the decoder's YUV planes into an I420 frame for the encoder:
// no RGB conversion, no GPU, no read-back. Picked when WebGPU is missing or only a software adapter
// (SwiftShader) is there, where it is many times faster than rendering through WebGPU.
import { placeCrops, type Layout } from '../../geometry/layout';
import { scaleRect, type Rect, type Size } from '../../geometry/rect';
import { DualFaceError } from '../../core/errors';
import type { Compositor } from '../compositor';
import { colourKey, OVERLAY_YUV, overlayThickness, type OverlayBox } from '../overlay';
import { displayToFrame, rotatedSize, type Rotation } from '../../geometry/rotation';
import { fillPlane, sampleAffine, scalePlane, type PlaneView, type Region } from './scale';
import { WasmScaler } from './wasm-scaler';
import { copyAsI420, CONVERTED_COLOR_SPACE, i420Size, RgbaScratch } from '../../media/frame-convert';

const SUPPORTED = new Set<VideoPixelFormat>(['I420', 'I420A', 'NV12']);

/** Where compositing time goes, milliseconds summed over `frames` (the compositing benchmark prints it). */
export interface CpuCompositeTimings {
  frames: number;
  /** Reading the decoded frame's planes (copyTo). */
  copy: number;
  /** Scaling the crops into the panels, filling and outlines. */
  scale: number;
  /** Making the output VideoFrame (a copy out of WebAssembly memory). */
  wrap: number;
}

export class CpuCompositor implements Compositor {
  readonly depth = 1;
  readonly releasesInputEarly = false;
  readonly name = 'cpu (YUV planes)';
  private source = new Uint8Array(0);
  private closed = false;
  /** Frame memory and SIMD kernel; null (plain JavaScript) where WebAssembly SIMD is missing. */
  private wasm: WasmScaler | null = WasmScaler.create();
  /** RGBA in between, for frames that are converted. */
  private rgba: RgbaScratch | null = null;
  readonly timings: CpuCompositeTimings = { frames: 0, copy: 0, scale: 0, wrap: 0 };

  /**
   * `cropSpace`: the picture size the crops are given in (the tracks file's). A frame of another size
   * (a video whose resolution changes midway) has the crops scaled to it.
   */
  constructor(
    private readonly layout: Layout,
    private readonly output: Size,
    private readonly rotation: Rotation = 0,
    private readonly cropSpace: Size | null = null,
  ) {}

  async composite(frame: VideoFrame, given: readonly [Rect | null, Rect | null], overlay: readonly OverlayBox[] = []): Promise<VideoFrame> {
    if (this.closed) throw new DualFaceError('InternalError', 'compositor used after close');
    const upright = rotatedSize(frame.displayWidth, frame.displayHeight, this.rotation);
    const crops = this.cropSpace ? cropsFor(given, this.cropSpace, upright) : given;
    // Formats it does not read as they are (10-bit, 4:4:4) are converted to 8-bit I420 first.
    const direct = frame.format !== null && SUPPORTED.has(frame.format);
    const format = direct ? frame.format : 'I420';
    const visibleRect = frame.visibleRect;
    // A converted picture starts at the visible rectangle's corner.
    const visible = {
      x: direct ? (visibleRect?.x ?? 0) : 0,
      y: direct ? (visibleRect?.y ?? 0) : 0,
      width: visibleRect?.width ?? frame.codedWidth,
      height: visibleRect?.height ?? frame.codedHeight,
    };
    const scaleX = visible.width / frame.displayWidth;
    const scaleY = visible.height / frame.displayHeight;
    // Only the part of the frame the crops read is copied (upright video): two faces side by side
    // cover about half a 16:9 frame, so about half the bytes go through copyTo.
    const placed = placeCrops(this.layout, this.output, crops, upright);
    const read = direct && this.rotation === 0 ? readRect([placed[0].crop, placed[1].crop], visible, scaleX, scaleY) : null;
    const copyRect = read ?? visible;
    const size = direct ? frame.allocationSize() : i420Size(visible.width, visible.height);
    const W = this.output.width;
    const H = this.output.height;
    const outputSize = W * H + 2 * (W / 2) * (H / 2);
    // With the kernel, both frames live in its memory (reused, sized for the whole frame); without,
    // the output is a new buffer handed over to the VideoFrame.
    const frames = this.wasm?.frames(size, outputSize);
    if (frames) this.source = frames.source;
    else if (this.source.byteLength !== size) this.source = new Uint8Array(size);
    const copyStarted = performance.now();
    const layout = direct
      ? await frame.copyTo(this.source, read ? { rect: read } : {})
      : await copyAsI420(frame, this.source, (this.rgba ??= new RgbaScratch()));
    const scaleStarted = performance.now();
    this.timings.copy += scaleStarted - copyStarted;
    // The planes start at the copied rectangle's origin; crops are moved by the same amount below.
    const width = copyRect.width;
    const height = copyRect.height;
    const originX = copyRect.x - visible.x;
    const originY = copyRect.y - visible.y;
    const chromaWidth = Math.ceil(width / 2);
    const chromaHeight = Math.ceil(height / 2);
    const plane = (index: number, w: number, h: number, step: number, extra = 0): PlaneView => ({
      data: this.source,
      offset: layout[index]!.offset + extra,
      stride: layout[index]!.stride,
      width: w,
      height: h,
      step,
    });
    const y = plane(0, width, height, 1);
    const [u, v] =
      format === 'NV12'
        ? [plane(1, chromaWidth, chromaHeight, 2), plane(1, chromaWidth, chromaHeight, 2, 1)]
        : [plane(1, chromaWidth, chromaHeight, 1), plane(2, chromaWidth, chromaHeight, 1)];

    const out = frames?.output ?? new Uint8Array(outputSize);
    const outY: PlaneView = { data: out, offset: 0, stride: W, width: W, height: H, step: 1 };
    const outU: PlaneView = { data: out, offset: W * H, stride: W / 2, width: W / 2, height: H / 2, step: 1 };
    const outV: PlaneView = { data: out, offset: W * H + (W / 2) * (H / 2), stride: W / 2, width: W / 2, height: H / 2, step: 1 };

    if (!crops[0] && !crops[1]) {
      fillPlane(outY, { x: 0, y: 0, w: W, h: H }, 16);
      fillPlane(outU, { x: 0, y: 0, w: W / 2, h: H / 2 }, 128);
      fillPlane(outV, { x: 0, y: 0, w: W / 2, h: H / 2 }, 128);
    }
    const black = (rect: Rect) => {
      const half = { x: rect.x / 2, y: rect.y / 2, w: rect.w / 2, h: rect.h / 2 };
      fillPlane(outY, rect, 16);
      fillPlane(outU, half, 128);
      fillPlane(outV, half, 128);
    };
    for (let p = 0; p < 2; p++) {
      // `panel` is the part the picture fills: all of the panel unless the crop pads (black around).
      const { panel: whole, fill: panel, crop } = placed[p]!;
      if (whole.w === 0 || whole.h === 0) continue;
      if (!crop || panel.w < whole.w || panel.h < whole.h) black(whole);
      if (!crop) continue;
      const half = { x: panel.x / 2, y: panel.y / 2, w: panel.w / 2, h: panel.h / 2 };
      if (this.rotation !== 0) {
        // Crops are in the upright picture: map each panel pixel back into the stored frame.
        const [rax, rbx, rcx, ray, rby, rcy] = displayToFrame(this.rotation, frame.displayWidth, frame.displayHeight);
        const psx = crop.w / panel.w;
        const psy = crop.h / panel.h;
        for (const [plane, target, destination, f] of [
          [y, panel, outY, 1],
          [u, half, outU, 2],
          [v, half, outV, 2],
        ] as const) {
          sampleAffine(plane, destination, target, [
            scaleX * rax * psx,
            scaleX * rbx * psy,
            (scaleX * (rax * crop.x + rbx * crop.y + rcx)) / f,
            scaleY * ray * psx,
            scaleY * rby * psy,
            (scaleY * (ray * crop.x + rby * crop.y + rcy)) / f,
          ]);
        }
        continue;
      }
      // Crops are in display pixels; with non-square pixels the visible rectangle has another size.
      const region = { x: crop.x * scaleX - originX, y: crop.y * scaleY - originY, w: crop.w * scaleX, h: crop.h * scaleY };
      const chromaRegion = { x: region.x / 2, y: region.y / 2, w: region.w / 2, h: region.h / 2 };
      this.scale(y, region, outY, panel);
      this.scale(u, chromaRegion, outU, half);
      this.scale(v, chromaRegion, outV, half);
    }
    const thickness = overlayThickness(this.output);
    for (const box of overlay) drawOutline([outY, outU, outV], box.rect, box.thickness ?? thickness, OVERLAY_YUV[colourKey(box)]);
    const init: VideoFrameBufferInit & { transfer?: ArrayBuffer[] } = {
      format: 'I420',
      codedWidth: W,
      codedHeight: H,
      timestamp: frame.timestamp,
      colorSpace: direct ? frame.colorSpace.toJSON() : CONVERTED_COLOR_SPACE,
    };
    // WebAssembly memory cannot be handed over: the VideoFrame copies it (0.6–0.7 ms for 1080x1920 on 2 cores).
    if (!frames) init.transfer = [out.buffer];
    if (frame.duration !== null) init.duration = frame.duration;
    const wrapStarted = performance.now();
    const made = new VideoFrame(out, init);
    const timings = this.timings;
    timings.scale += wrapStarted - scaleStarted;
    timings.wrap += performance.now() - wrapStarted;
    timings.frames++;
    return made;
  }

  private scale(source: PlaneView, region: Region, destination: PlaneView, target: Region): void {
    if (!this.wasm?.scale(source, region, destination, target)) scalePlane(source, region, destination, target);
  }

  /** Idempotent. */
  close(): void {
    this.closed = true;
    this.source = new Uint8Array(0);
    this.wasm = null;
  }
}

/** Pixels of margin around the crops in what is copied: more than the bilinear taps reach. */
const READ_MARGIN = 4;

/** Crops given in a picture of size `from`, for a frame of size `to`. */
function cropsFor(crops: readonly [Rect | null, Rect | null], from: Size, to: Size): readonly [Rect | null, Rect | null] {
  const k = { x: to.width / from.width, y: to.height / from.height };
  return [crops[0] && scaleRect(crops[0], k), crops[1] && scaleRect(crops[1], k)];
}

/**
 * The rectangle (coded pixels, even edges as 4:2:0 needs) of the frame that the crops read, with a
 * margin; null when that is (nearly) the whole picture or there are no crops.
 */
export function readRect(
  crops: readonly [Rect | null, Rect | null],
  visible: { x: number; y: number; width: number; height: number },
  scaleX: number,
  scaleY: number,
): { x: number; y: number; width: number; height: number } | null {
  const present = crops.filter((c): c is Rect => c !== null);
  if (present.length === 0) return null;
  const even = (n: number) => 2 * Math.floor(n / 2);
  const left = Math.max(visible.x, even(visible.x + Math.min(...present.map((c) => c.x * scaleX)) - READ_MARGIN));
  const top = Math.max(visible.y, even(visible.y + Math.min(...present.map((c) => c.y * scaleY)) - READ_MARGIN));
  const right = Math.min(visible.x + visible.width, even(visible.x + Math.max(...present.map((c) => (c.x + c.w) * scaleX)) + READ_MARGIN + 2));
  const bottom = Math.min(visible.y + visible.height, even(visible.y + Math.max(...present.map((c) => (c.y + c.h) * scaleY)) + READ_MARGIN + 2));
  // copyTo takes 4:2:0 rectangles on even pixels only (an odd-sized picture's edge is not).
  if (right - left <= 0 || bottom - top <= 0 || (left | top | (right - left) | (bottom - top)) & 1) return null;
  // Not worth a partial copy when it would save little.
  if ((right - left) * (bottom - top) > 0.9 * visible.width * visible.height) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** A rectangle's outline (inside it) in I420 planes; corners snapped to even pixels so chroma lines up. */
function drawOutline(planes: [PlaneView, PlaneView, PlaneView], rect: Rect, thickness: number, yuv: readonly [number, number, number]): void {
  const [y, u, v] = planes;
  const even = (n: number) => 2 * Math.round(n / 2);
  const x0 = Math.max(0, even(rect.x));
  const y0 = Math.max(0, even(rect.y));
  const x1 = Math.min(y.width, even(rect.x + rect.w));
  const y1 = Math.min(y.height, even(rect.y + rect.h));
  const t = Math.min(thickness, x1 - x0, y1 - y0);
  if (t <= 0) return;
  const bars = [
    { x: x0, y: y0, w: x1 - x0, h: t },
    { x: x0, y: y1 - t, w: x1 - x0, h: t },
    { x: x0, y: y0, w: t, h: y1 - y0 },
    { x: x1 - t, y: y0, w: t, h: y1 - y0 },
  ];
  for (const bar of bars) {
    fillPlane(y, bar, yuv[0]);
    const half = { x: bar.x / 2, y: bar.y / 2, w: bar.w / 2, h: bar.h / 2 };
    fillPlane(u, half, yuv[1]);
    fillPlane(v, half, yuv[2]);
  }
}
