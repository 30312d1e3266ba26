// Face detection with MediaPipe's FaceDetector (BlazeFace short range), on the whole frame and on
// tiles: the network sees a 128x128 image, so a face of 1/8 of the frame height in a 16:9 frame is
// only ~10 px there and is missed; on a tile of half the frame height it is a quarter of the input.
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import type { Rect } from '../geometry/rect';
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

export class FaceFinder {
  private closed = false;
  private lastCloseUpT: number | null = null;
  private readonly closeUpEverySeconds = 1.5;
  private readonly canvas = new OffscreenCanvas(TILE_PIXELS, TILE_PIXELS);
  private readonly context: OffscreenCanvasRenderingContext2D;

  private constructor(private readonly detector: FaceDetector) {
    const context = this.canvas.getContext('2d', { willReadFrequently: false });
    if (!context) throw new DualFaceError('DetectorError', 'no 2D canvas for face detection tiles');
    this.context = context;
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
  find(image: VideoFrame | ImageBitmap, t: number | null = null): Face[] {
    if (this.closed) throw new DualFaceError('InternalError', 'FaceFinder used after close');
    const width = image instanceof VideoFrame ? image.displayWidth : image.width;
    const height = image instanceof VideoFrame ? image.displayHeight : image.height;
    const found: Face[] = [...this.detectWhole(image, width, height)];
    for (const tile of squareTiles(width, height, Math.min(width, height), 0.25)) found.push(...this.detectRegion(image, tile));
    let merged = mergeDetections(found);
    const closeUpDue = t === null || this.lastCloseUpT === null || t - this.lastCloseUpT >= this.closeUpEverySeconds;
    if (merged.length < 2 && closeUpDue) {
      this.lastCloseUpT = t;
      // Fewer than two people found: look closer, for small faces.
      for (const tile of squareTiles(width, height, Math.min(width, height) / 2, 0.25)) found.push(...this.detectRegion(image, tile));
      merged = mergeDetections(found);
    }
    return merged;
  }

  private detectWhole(image: VideoFrame | ImageBitmap, width: number, height: number): Face[] {
    return this.toFaces(this.detector.detect(image).detections, { x: 0, y: 0, w: width, h: height }, 1);
  }

  private detectRegion(image: VideoFrame | ImageBitmap, region: Rect): Face[] {
    this.context.drawImage(image, region.x, region.y, region.w, region.h, 0, 0, TILE_PIXELS, TILE_PIXELS);
    return this.toFaces(this.detector.detect(this.canvas).detections, region, region.w / TILE_PIXELS);
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

