// A decoded frame's YUV planes, copied once (one copyTo) into a reused buffer and read in upright
// display coordinates: what the analysis pass looks at (frame signatures, face detection tiles,
// appearance of people) without converting the whole frame to RGB.
import type { Rect } from '../geometry/rect';
import { displayToFrame, rotatedSize, type Rotation } from '../geometry/rotation';
import { copyAsI420, i420Size, RgbaScratch } from './frame-convert';
import { APPEARANCE_LENGTH, appearanceRegions, colourBin, skinBin } from '../framing/appearance';
import { SIGNATURE_GRID, SIGNATURE_HISTOGRAM_BINS, SIGNATURE_LENGTH } from '../framing/shots';

const READABLE = new Set<VideoPixelFormat>(['I420', 'I420A', 'NV12']);

/**
 * Where a frame's planes lie in `data` and how the upright picture maps onto them: upright (u, v) →
 * stored visible-plane pixel (x, y) with x = (ax u + bx v + cx) sx, y = (ay u + by v + cy) sy.
 * Plain data, so it can go to another worker with the planes.
 */
export interface PlanesLayout {
  /** The upright picture's size (display pixels, rotation applied). */
  width: number;
  height: number;
  ax: number;
  bx: number;
  cx: number;
  ay: number;
  by: number;
  cy: number;
  sx: number;
  sy: number;
  visibleW: number;
  visibleH: number;
  yOffset: number;
  yStride: number;
  uOffset: number;
  uStride: number;
  vOffset: number;
  vStride: number;
  chromaStep: number;
}

/** FramePlanes as plain data: the planes and their layout. */
export interface PlanesSnapshot {
  data: ArrayBuffer;
  layout: PlanesLayout;
}

export class FramePlanes {
  data = new Uint8Array(0);
  /** RGBA in between, for frames that are converted. */
  private rgba: RgbaScratch | null = null;
  private layout: PlanesLayout = {
    width: 0,
    height: 0,
    ax: 1,
    bx: 0,
    cx: 0,
    ay: 0,
    by: 1,
    cy: 0,
    sx: 1,
    sy: 1,
    visibleW: 0,
    visibleH: 0,
    yOffset: 0,
    yStride: 0,
    uOffset: 0,
    uStride: 0,
    vOffset: 0,
    vStride: 0,
    chromaStep: 1,
  };

  /** The upright picture's size (display pixels, rotation applied). */
  get width(): number {
    return this.layout.width;
  }

  get height(): number {
    return this.layout.height;
  }

  /**
   * A copy of what was read, to hand to another worker (the detector's) with its buffer transferred;
   * written into `reuse` (a buffer handed back) when that is the right size.
   */
  snapshot(reuse?: ArrayBuffer): PlanesSnapshot {
    const data = reuse?.byteLength === this.data.byteLength ? reuse : new ArrayBuffer(this.data.byteLength);
    new Uint8Array(data).set(this.data);
    return { data, layout: { ...this.layout } };
  }

  static fromSnapshot(snapshot: PlanesSnapshot): FramePlanes {
    const planes = new FramePlanes();
    planes.data = new Uint8Array(snapshot.data);
    planes.layout = snapshot.layout;
    return planes;
  }

  /** Whether read() takes the frame: 8-bit 4:2:0 as it is, other known formats converted (10-bit, 4:4:4). */
  static readable(frame: VideoFrame): boolean {
    return frame.format !== null;
  }

  /** Copies the frame's planes (converted to 8-bit I420 where they are not); the frame can be closed afterwards. */
  async read(frame: VideoFrame, rotation: Rotation): Promise<void> {
    const direct = frame.format !== null && READABLE.has(frame.format);
    const visibleW = frame.visibleRect?.width ?? frame.codedWidth;
    const visibleH = frame.visibleRect?.height ?? frame.codedHeight;
    const size = direct ? frame.allocationSize() : i420Size(visibleW, visibleH);
    if (this.data.byteLength !== size) this.data = new Uint8Array(size);
    const planes = direct ? await frame.copyTo(this.data) : await copyAsI420(frame, this.data, (this.rgba ??= new RgbaScratch()));
    this.describePlanes(frame, rotation, planes, direct && frame.format === 'NV12', visibleW, visibleH);
  }

  private describePlanes(frame: VideoFrame, rotation: Rotation, planes: PlaneLayout[], nv12: boolean, visibleW: number, visibleH: number): void {
    const [ax, bx, cx, ay, by, cy] = displayToFrame(rotation, frame.displayWidth, frame.displayHeight);
    this.layout = {
      ...rotatedSize(frame.displayWidth, frame.displayHeight, rotation),
      ax,
      bx,
      cx,
      ay,
      by,
      cy,
      sx: visibleW / frame.displayWidth,
      sy: visibleH / frame.displayHeight,
      visibleW,
      visibleH,
      yOffset: planes[0]!.offset,
      yStride: planes[0]!.stride,
      uOffset: planes[1]!.offset,
      uStride: planes[1]!.stride,
      vOffset: nv12 ? planes[1]!.offset + 1 : planes[2]!.offset,
      vStride: nv12 ? planes[1]!.stride : planes[2]!.stride,
      chromaStep: nv12 ? 2 : 1,
    };
  }

  /** Y, U, V (0..255) at upright point (u, v), nearest pixel, written into `out`. */
  sample(u: number, v: number, out: Uint8Array | number[]): void {
    const l = this.layout;
    const x = Math.min(l.visibleW - 1, Math.max(0, Math.floor((l.ax * u + l.bx * v + l.cx) * l.sx)));
    const y = Math.min(l.visibleH - 1, Math.max(0, Math.floor((l.ay * u + l.by * v + l.cy) * l.sy)));
    const data = this.data;
    out[0] = data[l.yOffset + y * l.yStride + x]!;
    const cx = (x >> 1) * l.chromaStep;
    out[1] = data[l.uOffset + (y >> 1) * l.uStride + cx]!;
    out[2] = data[l.vOffset + (y >> 1) * l.vStride + cx]!;
  }

  /** Luma at cols x rows points spread over `region` (upright coordinates), nearest pixel. */
  lumaGrid(region: Rect, cols: number, rows: number): Uint8Array {
    const grid = new Uint8Array(cols * rows);
    const yuv = [0, 0, 0];
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        this.sample(region.x + ((i + 0.5) * region.w) / cols, region.y + ((j + 0.5) * region.h) / rows, yuv);
        grid[j * cols + i] = yuv[0]!;
      }
    }
    return grid;
  }

  /** `region` scaled to w x h as RGBA into `pixels` (row stride `rowPixels`), BT.601 limited range. */
  renderRgba(region: Rect, pixels: Uint8ClampedArray, rowPixels: number, w: number, h: number): void {
    const yuv = [0, 0, 0];
    for (let j = 0; j < h; j++) {
      const v = region.y + ((j + 0.5) * region.h) / h;
      for (let i = 0; i < w; i++) {
        this.sample(region.x + ((i + 0.5) * region.w) / w, v, yuv);
        const luma = 1.164 * (yuv[0]! - 16);
        const cb = yuv[1]! - 128;
        const cr = yuv[2]! - 128;
        const o = (j * rowPixels + i) * 4;
        pixels[o] = luma + 1.596 * cr;
        pixels[o + 1] = luma - 0.392 * cb - 0.813 * cr;
        pixels[o + 2] = luma + 2.017 * cb;
      }
    }
  }

  /** The frame signature shots.ts compares: grid means of Y, U, V and a luma histogram. */
  signature(): Float32Array {
    const values = new Float32Array(SIGNATURE_LENGTH);
    const per = 12;
    const yuv = [0, 0, 0];
    const histogram = SIGNATURE_GRID * SIGNATURE_GRID * 3;
    const total = SIGNATURE_GRID * SIGNATURE_GRID * per * per;
    for (let gy = 0; gy < SIGNATURE_GRID; gy++) {
      for (let gx = 0; gx < SIGNATURE_GRID; gx++) {
        let sy = 0;
        let su = 0;
        let sv = 0;
        for (let j = 0; j < per; j++) {
          const v = ((gy * per + j + 0.5) * this.height) / (SIGNATURE_GRID * per);
          for (let i = 0; i < per; i++) {
            this.sample(((gx * per + i + 0.5) * this.width) / (SIGNATURE_GRID * per), v, yuv);
            sy += yuv[0]!;
            su += yuv[1]!;
            sv += yuv[2]!;
            values[histogram + Math.min(SIGNATURE_HISTOGRAM_BINS - 1, (yuv[0]! * SIGNATURE_HISTOGRAM_BINS) >> 8)]! += 1 / total;
          }
        }
        const cell = (gy * SIGNATURE_GRID + gx) * 3;
        values[cell] = sy / (per * per * 255);
        values[cell + 1] = su / (per * per * 255);
        values[cell + 2] = sv / (per * per * 255);
      }
    }
    return values;
  }

  /**
   * What a person looks like (see framing/appearance.ts): chroma of the face's skin, colours of the
   * hair above it and of the clothes below it where the frame shows them, sampled on a 16 x 16 grid
   * over each region, so the cost is the same whatever the face's size.
   */
  appearance(face: Rect): Float32Array {
    // Float32Array: kept for every face of the whole video until identities are decided, so small.
    const out = new Float32Array(APPEARANCE_LENGTH);
    const regions = appearanceRegions(face, this);
    const yuv = [0, 0, 0];
    this.grid(regions.skin, yuv, () => out[skinBin(yuv[1]!, yuv[2]!)]!++);
    for (const part of ['hair', 'body'] as const) {
      const region = regions[part];
      if (region) this.grid(region, yuv, () => out[colourBin(part, yuv[0]!, yuv[1]!, yuv[2]!)]!++);
    }
    return out;
  }

  /** Calls `take` for each point of a 16 x 16 grid over `region`, its pixel's Y, U, V in `yuv`. */
  private grid(region: Rect, yuv: number[], take: () => void): void {
    const per = 16;
    for (let j = 0; j < per; j++) {
      for (let i = 0; i < per; i++) {
        this.sample(region.x + ((i + 0.5) * region.w) / per, region.y + ((j + 0.5) * region.h) / per, yuv);
        take();
      }
    }
  }
}
