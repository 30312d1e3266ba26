// A face's likeness: a 128-number description from a face-recognition network (dlib's ResNet as
// ported by face-api, 6.4 MB, MIT), so one person is known again across cuts, light and angle, where
// colours change. Runs in the detection worker on TensorFlow.js' WebAssembly backend; computed a few
// times a second per face, not per frame (about 30 ms a face on 2 cores).
import { DualFaceError } from '../core/errors';
import type { Face } from '../framing/types';
import type { FramePlanes } from '../media/frame-planes';

/** The network's input side, pixels. */
const INPUT = 150;
/** Context around the detector's box (it starts at the brow, the network was trained on whole-head chips). */
const MARGIN = 0.15;
/** Faces smaller than this (pixels high) say too little to be described. */
export const MIN_LIKENESS_FACE = 20;
/**
 * Detections the detector is less sure of are not described: on real footage its false faces
 * (flowers, a hand) scored 0.61–0.69 and real ones 0.72–0.98 (tracklet medians), and the network describes a
 * false face as someone plain, near a real person (0.37–0.49 from a host seen small).
 */
export const MIN_LIKENESS_SCORE = 0.7;

type FaceApi = typeof import('face-api-bundle');

export class LikenessModel {
  private readonly rgba = new Uint8ClampedArray(INPUT * INPUT * 4);
  private readonly rgb = new Float32Array(INPUT * INPUT * 3);
  private closed = false;

  private constructor(
    private readonly api: FaceApi,
    private readonly net: InstanceType<FaceApi['FaceRecognitionNet']>,
  ) {}

  /** Loads TensorFlow.js, its WebAssembly backend and the network's weights, all from the app's vendor/ folder. */
  static async create(baseUrl: string): Promise<LikenessModel> {
    const api = await import('face-api-bundle');
    const { tf } = api;
    const vendor = (path: string) => new URL(`vendor/${path}`, baseUrl).href;
    tf.setWasmPaths(vendor('tfjs/'));
    // One thread: each detection worker is a thread of its own already.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new DualFaceError('InternalError', 'the face-likeness network could not start WebAssembly');
    await tf.ready();
    const [manifest, weights] = await Promise.all([
      fetchOk(vendor('models/face-recognition/face_recognition_model-weights_manifest.json')).then(
        (r) => r.json() as Promise<{ weights: Parameters<typeof tf.io.decodeWeights>[1] }[]>,
      ),
      fetchOk(vendor('models/face-recognition/face_recognition_model.bin')).then((r) => r.arrayBuffer()),
    ]);
    const net = new api.FaceRecognitionNet();
    net.loadFromWeightMap(
      tf.io.decodeWeights(
        weights,
        manifest.flatMap((group) => group.weights),
      ),
    );
    return new LikenessModel(api, net);
  }

  /** The likeness of a face (picture pixels), or null for one too small or too doubtful to describe. */
  describe(planes: FramePlanes, { box, score }: Face): Float32Array | null {
    if (this.closed) throw new DualFaceError('InternalError', 'LikenessModel used after close');
    if (box.h < MIN_LIKENESS_FACE || score < MIN_LIKENESS_SCORE) return null;
    const side = Math.max(box.w, box.h) * (1 + 2 * MARGIN);
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    planes.renderRgba({ x: cx - side / 2, y: cy - side / 2, w: side, h: side }, this.rgba, INPUT, INPUT, INPUT);
    for (let i = 0, o = 0; i < this.rgba.length; i += 4, o += 3) {
      this.rgb[o] = this.rgba[i]!;
      this.rgb[o + 1] = this.rgba[i + 1]!;
      this.rgb[o + 2] = this.rgba[i + 2]!;
    }
    const { tf } = this.api;
    return tf.tidy(() => {
      const input = tf.tensor3d(this.rgb, [INPUT, INPUT, 3]);
      return new Float32Array(this.net.forwardInput(new this.api.NetInput([input])).dataSync());
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.net.dispose();
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new DualFaceError('InternalError', `the face-likeness network could not be loaded: ${url} answered ${response.status}`);
  return response;
}
