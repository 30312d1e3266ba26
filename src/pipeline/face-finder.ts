// Face detection with MediaPipe's FaceDetector (BlazeFace short range), on the whole frame and on
// tiles: the network sees a 128x128 image, so a face of 1/8 of the frame height in a 16:9 frame is
// only ~10 px there and is missed; on a tile of half the frame height it is a quarter of the input.
//
// Every region is drawn small into a CPU-backed 2D canvas and handed over as ImageData: measured in
// headless Chromium without a GPU, that is ~6 ms a detection, against 10-20 ms for a canvas and
// 80+ ms for a GPU-backed canvas or a full-size frame (MediaPipe uploads its input through WebGL).
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import type { Rect } from '../geometry/rect';
import { rotatedSize, type Rotation } from '../geometry/rotation';
import { squareTiles } from '../geometry/tiles';
import { mergeDetections } from '../tracking/merge';
import type { Face } from '../tracking/types';
import { DualFaceError } from './errors';

export interface FaceFinderOptions {
  /** Base URL of the app (where vendor/ is served). */
  baseUrl: string;
  minConfidence?: number;
}

/** Tile side (in the network's input) we draw each region at: small enough to be cheap, larger than 128. */
const TILE_PIXELS = 256;
/** Working resolution (frame height) the frame is converted at before tiles are cut from it. */
const WORKING_HEIGHT = 720;

export class FaceFinder {
  private closed = false;
  private lastCloseUpT: number | null = null;
  private readonly closeUpEverySeconds = 1.5;
  private readonly canvas = new OffscreenCanvas(TILE_PIXELS, TILE_PIXELS);
  private readonly context: OffscreenCanvasRenderingContext2D;
  /** The frame, converted to RGB once per call at a working resolution; regions are cut from it. */
  private readonly working = new OffscreenCanvas(1, 1);
  private readonly workingContext: OffscreenCanvasRenderingContext2D;
  private workingScale = 1;

  private constructor(private readonly detector: FaceDetector) {
    // willReadFrequently keeps the canvas in CPU memory, so getImageData is a plain copy.
    const context = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new DualFaceError('DetectorError', 'no 2D canvas for face detection tiles');
    this.context = context;
    const workingContext = this.working.getContext('2d', { willReadFrequently: true });
    if (!workingContext) throw new DualFaceError('DetectorError', 'no 2D canvas for face detection');
    this.workingContext = workingContext;
  }

  static async create(options: FaceFinderOptions): Promise<FaceFinder> {
    try {
      const fileset = await FilesetResolver.forVisionTasks(new URL('vendor/mediapipe', options.baseUrl).href, true);
      const detector = await FaceDetector.createFromOptions(fileset, {
        baseOptions: {
          modelAssetPath: new URL('vendor/models/face_detection_short_range.tflite', options.baseUrl).href,
          delegate: 'CPU',
        },
        runningMode: 'IMAGE',
        // 0.6 rather than 0.5: tiles show the network more of the body, where it sometimes sees a face at ~0.55.
        minDetectionConfidence: options.minConfidence ?? 0.6,
      });
      return new FaceFinder(detector);
    } catch (error) {
      throw new DualFaceError('DetectorError', `the face detector could not start (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * Faces in a decoded frame or image, in its pixels. Does not close the image. `t` (seconds) paces
   * the costly close-up search, which runs at most every `closeUpEverySeconds` while fewer than two
   * faces are found; pass null to always run it (single images).
   */
  find(image: VideoFrame | ImageBitmap, t: number | null = null, tiles = true, rotation: Rotation = 0): Face[] {
    if (this.closed) throw new DualFaceError('InternalError', 'FaceFinder used after close');
    const storedWidth = image instanceof VideoFrame ? image.displayWidth : image.width;
    const storedHeight = image instanceof VideoFrame ? image.displayHeight : image.height;
    // Faces are found in the upright picture: the detector only knows upright faces.
    const { width, height } = rotatedSize(storedWidth, storedHeight, rotation);
    // One conversion of the frame; close-up tiles of half the frame height still get >= 256 px.
    this.workingScale = Math.min(1, WORKING_HEIGHT / height);
    const workW = Math.max(1, Math.round(width * this.workingScale));
    const workH = Math.max(1, Math.round(height * this.workingScale));
    if (this.working.width !== workW || this.working.height !== workH) {
      this.working.width = workW;
      this.working.height = workH;
    }
    const context = this.workingContext;
    context.save();
    context.translate(workW / 2, workH / 2);
    context.rotate((rotation * Math.PI) / 180);
    const [drawW, drawH] = rotation === 90 || rotation === 270 ? [workH, workW] : [workW, workH];
    context.drawImage(image, -drawW / 2, -drawH / 2, drawW, drawH);
    context.restore();
    const found: Face[] = [...this.detectWhole(width, height)];
    if (!tiles) return mergeDetections(found);
    for (const tile of squareTiles(width, height, Math.min(width, height), 0.25)) found.push(...this.detectRegion(tile));
    let merged = mergeDetections(found);
    const closeUpDue = t === null || this.lastCloseUpT === null || t - this.lastCloseUpT >= this.closeUpEverySeconds;
    if (merged.length < 2 && closeUpDue) {
      this.lastCloseUpT = t;
      // Fewer than two people found: look closer, for small faces.
      for (const tile of squareTiles(width, height, Math.min(width, height) / 2, 0.25)) found.push(...this.detectRegion(tile));
      merged = mergeDetections(found);
    }
    return merged;
  }

  private detectWhole(width: number, height: number): Face[] {
    return this.detectRegion({ x: 0, y: 0, w: width, h: height });
  }

  /** Draws `region` (frame pixels) at most TILE_PIXELS a side (aspect kept) and detects in it. */
  private detectRegion(region: Rect): Face[] {
    const scale = Math.min(1, TILE_PIXELS / Math.max(region.w, region.h));
    const w = Math.max(1, Math.round(region.w * scale));
    const h = Math.max(1, Math.round(region.h * scale));
    const k = this.workingScale;
    this.context.drawImage(this.working, region.x * k, region.y * k, region.w * k, region.h * k, 0, 0, w, h);
    const pixels = this.context.getImageData(0, 0, w, h);
    return this.toFaces(this.detector.detect(pixels).detections, region, region.w / w);
  }

  private toFaces(
    detections: { boundingBox?: { originX: number; originY: number; width: number; height: number }; categories: { score: number }[] }[],
    region: Rect,
    scale: number,
  ): Face[] {
    const faces: Face[] = [];
    for (const d of detections) {
      const box = d.boundingBox;
      if (!box) continue;
      faces.push({
        box: { x: region.x + box.originX * scale, y: region.y + box.originY * scale, w: box.width * scale, h: box.height * scale },
        score: d.categories[0]?.score ?? 0,
      });
    }
    return faces;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detector.close();
  }
}

