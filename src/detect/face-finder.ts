// Face detection with MediaPipe's FaceDetector (BlazeFace short range), on the whole frame and on
// tiles: the network sees a 128x128 image, so a face of 1/8 of the frame height in a 16:9 frame is
// only ~10 px there and is missed; on a tile of half the frame height it is a quarter of the input.
//
// Every region is drawn small into a CPU-backed 2D canvas and handed over as ImageData: measured in
// headless Chromium without a GPU, that is ~6 ms a detection, against 10-20 ms for a canvas and
// 80+ ms for a GPU-backed canvas or a full-size frame (MediaPipe uploads its input through WebGL).
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import { clamp } from '../geometry/crop';
import { rectCentre, type Rect } from '../geometry/rect';
import { rotatedSize, type Rotation } from '../geometry/rotation';
import { squareTiles } from '../geometry/tiles';
import { mergeDetections as mergeFaces } from '../framing/merge';
import type { Face } from '../framing/types';
import { DualFaceError, messageOf } from '../core/errors';
import { FramePlanes } from '../media/frame-planes';
import { noEffort, type DetectionEffort, type SearchOptions, type SearchResult, type SmallFaceSearch, WHOLE_SEARCH } from './search';

export interface FaceFinderOptions {
  /** Base URL of the app (where vendor/ is served). */
  baseUrl: string;
  minConfidence?: number;
}

/** Tile side (in the network's input) we draw each region at: small enough to be cheap, larger than 128. */
const TILE_PIXELS = 256;
/** Working resolution (frame height) the frame is converted at before tiles are cut from it. */
const WORKING_HEIGHT = 720;

/** The upright picture faces are looked for in; `render` puts a region of it, scaled to w x h, at the tile's top left. */
interface Picture {
  kind: 'pixels' | 'canvas';
  width: number;
  height: number;
  render(region: Rect, tile: ImageData, w: number, h: number): void;
}

export class FaceFinder {
  /** Since the last takeEffort(). */
  private effort = noEffort();
  private closed = false;
  private readonly canvas = new OffscreenCanvas(TILE_PIXELS, TILE_PIXELS);
  private readonly context: OffscreenCanvasRenderingContext2D;
  /** The frame, converted to RGB once per call at a working resolution; regions are cut from it. */
  private readonly working = new OffscreenCanvas(1, 1);
  private readonly workingContext: OffscreenCanvasRenderingContext2D;
  /** The decoded frame's planes (reused between calls) and the tile handed to the detector. */
  private readonly planes = new FramePlanes();
  private readonly tile = new ImageData(TILE_PIXELS, TILE_PIXELS);

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
      throw new DualFaceError('DetectorError', `the face detector could not start (${messageOf(error)})`);
    }
  }

  /** The effort spent since the last call (or since the start), and start counting again. */
  takeEffort(): DetectionEffort {
    const effort = this.effort;
    this.effort = noEffort();
    return effort;
  }

  /** Faces in a decoded frame or image, in the upright picture's pixels. Does not close the image. */
  async find(image: VideoFrame | ImageBitmap, search: SearchOptions = WHOLE_SEARCH, rotation: Rotation = 0): Promise<SearchResult> {
    if (this.closed) throw new DualFaceError('InternalError', 'FaceFinder used after close');
    if (image instanceof VideoFrame && FramePlanes.readable(image)) {
      await this.planes.read(image, rotation);
      return this.findInPlanes(this.planes, search);
    }
    return this.search(this.canvasPicture(image, rotation), search);
  }

  /** Faces in a frame already read into planes, each with its appearance (colours of face and upper body). */
  findInPlanes(planes: FramePlanes, search: SearchOptions = WHOLE_SEARCH): SearchResult {
    if (this.closed) throw new DualFaceError('InternalError', 'FaceFinder used after close');
    const picture: Picture = {
      kind: 'pixels',
      width: planes.width,
      height: planes.height,
      render: (region, out, w, h) => planes.renderRgba(region, out.data, TILE_PIXELS, w, h),
    };
    const result = this.search(picture, search);
    return { ...result, faces: result.faces.map((face) => ({ ...face, appearance: planes.appearance(face.box) })) };
  }

  private search(picture: Picture, { tiles, smallFaces, hints }: SearchOptions): SearchResult {
    const { width, height } = picture;
    // How finely each face was seen, for faces whole inside their view (see mergeDetections).
    const resolution = new Map<Face, number>();
    const detect = (region: Rect) => this.detectRegion(picture, region, resolution);
    const mergeDetections = (faces: readonly Face[]) => mergeFaces(faces, undefined, resolution);
    const found: Face[] = [...detect({ x: 0, y: 0, w: width, h: height })];
    if (!tiles) return { faces: mergeDetections(found), smallFaceSearch: 'not-run' };
    for (const tile of squareTiles(width, height, Math.min(width, height), 0.25)) found.push(...detect(tile));
    let merged = mergeDetections(found);
    let smallFaceSearch: SmallFaceSearch = 'not-run';
    if (merged.length < 2 && smallFaces) {
      const before = merged.length;
      // Fewer than two people found: look closer, for small faces (half, then a third of the height).
      for (const tile of squareTiles(width, height, Math.min(width, height) / 2, 0.25)) found.push(...detect(tile));
      merged = mergeDetections(found);
      if (merged.length < 2) {
        for (const tile of squareTiles(width, height, Math.min(width, height) / 3, 0.25)) found.push(...detect(tile));
        merged = mergeDetections(found);
      }
      smallFaceSearch = merged.length > before ? 'found' : 'fruitless';
    }
    for (const hint of hints) {
      const c = rectCentre(hint);
      if (merged.some((f) => Math.hypot(rectCentre(f.box).x - c.x, rectCentre(f.box).y - c.y) < hint.h)) continue;
      // A close-up four face heights across, where the face was: it may have turned or shrunk.
      const side = Math.min(width, height, Math.max(hint.h * 4, 64));
      const region = { x: clamp(c.x - side / 2, 0, width - side), y: clamp(c.y - side / 2, 0, height - side), w: side, h: side };
      found.push(...detect(region));
      merged = mergeDetections(found);
    }
    return { faces: merged, smallFaceSearch };
  }

  /** Any other image: drawn once, upright, into a CPU-backed canvas at a working resolution. */
  private canvasPicture(image: VideoFrame | ImageBitmap, rotation: Rotation): Picture {
    const storedWidth = image instanceof VideoFrame ? image.displayWidth : image.width;
    const storedHeight = image instanceof VideoFrame ? image.displayHeight : image.height;
    const { width, height } = rotatedSize(storedWidth, storedHeight, rotation);
    // Close-up tiles of half the picture height still get >= 256 px at this resolution.
    const k = Math.min(1, WORKING_HEIGHT / height);
    const workW = Math.max(1, Math.round(width * k));
    const workH = Math.max(1, Math.round(height * k));
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
    return {
      kind: 'canvas',
      width,
      height,
      render: (region, _out, w, h) => {
        this.context.drawImage(this.working, region.x * k, region.y * k, region.w * k, region.h * k, 0, 0, w, h);
      },
    };
  }

  /** `region` (picture pixels) scaled to fit TILE_PIXELS (aspect kept, the rest black), then detection. */
  private detectRegion(picture: Picture, region: Rect, resolution: Map<Face, number>): Face[] {
    const scale = Math.min(TILE_PIXELS / region.w, TILE_PIXELS / region.h);
    const w = Math.max(1, Math.min(TILE_PIXELS, Math.round(region.w * scale)));
    const h = Math.max(1, Math.min(TILE_PIXELS, Math.round(region.h * scale)));
    let pixels: ImageData;
    const drawStart = performance.now();
    if (picture.kind === 'canvas') {
      this.context.fillStyle = 'black';
      this.context.fillRect(0, 0, TILE_PIXELS, TILE_PIXELS);
      picture.render(region, this.tile, w, h);
      pixels = this.context.getImageData(0, 0, TILE_PIXELS, TILE_PIXELS);
    } else {
      const data = this.tile.data;
      data.fill(0);
      for (let a = 3; a < data.length; a += 4) data[a] = 255;
      picture.render(region, this.tile, w, h);
      pixels = this.tile;
    }
    const networkStart = performance.now();
    const detections = this.detector.detect(pixels).detections;
    this.effort.tiles++;
    this.effort.drawSeconds += (networkStart - drawStart) / 1000;
    this.effort.networkSeconds += (performance.now() - networkStart) / 1000;
    const faces = this.toFaces(detections, region, region.w / w);
    for (const face of faces) if (insideView(face.box, region)) resolution.set(face, w / region.w);
    return faces;
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

/** A box whole inside its view: not touching its edges (within 2 % of the view), so not a face cut in two. */
function insideView(box: Rect, view: Rect): boolean {
  const m = 0.02 * Math.max(view.w, view.h);
  return box.x >= view.x + m && box.y >= view.y + m && box.x + box.w <= view.x + view.w - m && box.y + box.h <= view.y + view.h - m;
}
