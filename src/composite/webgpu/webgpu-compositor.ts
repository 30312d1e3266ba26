// Composite with WebGPU: the decoded frame is imported as an external texture (no copy), both panels
// are drawn in one pass straight into the encoder's I420 layout (one 8-bit texture holding the Y, U
// and V planes; see composite.wgsl), and that is read back into an I420 VideoFrame: 1.5 bytes a
// pixel to read instead of 4, and no RGB-to-YUV conversion left for the encoder's CPU. We read back
// rather than hand a WebGPU canvas to `new VideoFrame`, because that was seen to give black frames on
// a real NVIDIA adapter. Read-backs are pipelined over a ring of buffers so the GPU and the encoder
// overlap.
import shaderSource from './composite.wgsl?raw';
import { panelRects, placeCrops, type Layout } from '../../geometry/layout';
import { colourKey, MAX_OVERLAY_BOXES, OVERLAY_RGB, overlayThickness, type OverlayBox } from '../overlay';
import type { Rect, Size } from '../../geometry/rect';
import type { Compositor } from '../compositor';
import type { Rotation } from '../../geometry/rotation';
import { DualFaceError } from '../../core/errors';

// Two panels (2 x 2 vec4), `shown`, the overlay header, MAX_OVERLAY_BOXES boxes and colours, `planes`, `yuv`.
const PLANES_AT = 2 * 8 + 4 + 4 + MAX_OVERLAY_BOXES * 8;
const UNIFORM_BYTES = (PLANES_AT + 4 + 4) * 4;
// Read-backs in flight, so the GPU, the mapping and the encoder overlap (3 MiB each at 1080x1920).
const RING = 6;
/** Matrices with BT.601 coefficients; anything else (bt709, unknown) is converted with BT.709's. */
const BT601_MATRICES = new Set(['smpte170m', 'bt470bg']);

export async function requestAdapter(): Promise<GPUAdapter | null> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) return null;
  return navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
}

/** True for a software adapter (SwiftShader and the like), where a CPU path is faster. */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info;
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return fallback || /swiftshader|llvmpipe|software/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

export class WebGpuCompositor implements Compositor {
  readonly depth = RING;
  readonly releasesInputEarly = true;
  private closed = false;
  private failure: string | null = null;
  private next = 0;
  /** Row pitch of the target texture and of the read-back (a multiple of 256, as copies need). */
  private readonly bytesPerRow: number;
  /** Texture rows holding the U plane (two chroma rows each); the V plane takes as many after it. */
  private readonly chromaRows: number;
  /** Rows of the target texture and of each read-back: the Y plane's, then the U and V planes'. */
  private readonly textureRows: number;
  private readonly target: GPUTexture;
  private readonly targetView: GPUTextureView;
  private readonly uniforms: GPUBuffer;
  private readonly uniformData = new Float32Array(UNIFORM_BYTES / 4);
  private readonly readbacks: GPUBuffer[];
  private readonly pipeline: GPURenderPipeline;
  private readonly sharedBindGroup: GPUBindGroup;
  private readonly sampler: GPUSampler;

  readonly name: string;

  private constructor(
    private readonly device: GPUDevice,
    adapterName: string,
    private readonly layout: Layout,
    private readonly output: Size,
    private readonly source: Size,
    private readonly rotation: Rotation,
  ) {
    this.name = `webgpu (${adapterName})`;
    void device.lost.then((info) => {
      if (!this.closed) this.failure = `the GPU device was lost (${info.message || info.reason})`;
    });
    device.addEventListener('uncapturederror', (event) => {
      this.failure ??= `GPU error: ${event.error.message}`;
    });
    this.bytesPerRow = Math.ceil(output.width / 256) * 256;
    this.chromaRows = Math.ceil(output.height / 4);
    this.textureRows = output.height + 2 * this.chromaRows;
    this.target = device.createTexture({
      size: [this.bytesPerRow, this.textureRows],
      format: 'r8unorm',
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
    this.targetView = this.target.createView();
    this.uniforms = device.createBuffer({ size: UNIFORM_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.readbacks = Array.from({ length: RING }, () =>
      device.createBuffer({ size: this.bytesPerRow * this.textureRows, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
    );
    const module = device.createShaderModule({ code: shaderSource });
    this.pipeline = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module, entryPoint: 'vertexMain' },
      fragment: { module, entryPoint: 'fragmentMain', targets: [{ format: 'r8unorm' }] },
      primitive: { topology: 'triangle-list' },
    });
    this.sampler = device.createSampler({ magFilter: 'linear', minFilter: 'linear' });
    this.sharedBindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.uniforms } },
        { binding: 1, resource: this.sampler },
      ],
    });
  }

  /** `source`: the upright picture's size (crops are given in it); `rotation`: how the stored frame is turned. */
  static async create(adapter: GPUAdapter, layout: Layout, output: Size, source: Size, rotation: Rotation = 0): Promise<WebGpuCompositor> {
    const device = await adapter.requestDevice();
    const info = adapter.info;
    const adapterName = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
    device.pushErrorScope('validation');
    const compositor = new WebGpuCompositor(device, adapterName, layout, output, source, rotation);
    const error = await device.popErrorScope();
    if (error) {
      compositor.close();
      throw new DualFaceError('GpuError', `the WebGPU compositor could not be set up (${error.message})`);
    }
    return compositor;
  }

  composite(frame: VideoFrame, crops: readonly [Rect | null, Rect | null], overlay: readonly OverlayBox[] = []): Promise<VideoFrame> {
    if (this.closed) return Promise.reject(new DualFaceError('InternalError', 'compositor used after close'));
    if (this.failure) return Promise.reject(new DualFaceError('GpuError', this.failure));
    const timestamp = frame.timestamp;
    const duration = frame.duration ?? undefined;
    // The output keeps the source's colour description; the shader converts with its matrix and range.
    const colorSpace = frame.colorSpace.toJSON();
    this.writeUniforms(crops, overlay, colorSpace);
    const external = this.device.importExternalTexture({ source: frame });
    // External textures live for one task, so this bind group is the only per-frame object.
    const frameBindGroup = this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(1),
      entries: [{ binding: 0, resource: external }],
    });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: this.targetView, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.sharedBindGroup);
    pass.setBindGroup(1, frameBindGroup);
    pass.draw(3);
    pass.end();
    const readback = this.readbacks[this.next++ % RING]!;
    const { width, height } = this.output;
    encoder.copyTextureToBuffer({ texture: this.target }, { buffer: readback, bytesPerRow: this.bytesPerRow }, [this.bytesPerRow, this.textureRows]);
    this.device.queue.submit([encoder.finish()]);
    return readback.mapAsync(GPUMapMode.READ).then(
      () => {
        try {
          const pixels = new Uint8Array(readback.getMappedRange());
          const stride = this.bytesPerRow;
          // The VideoFrame constructor copies the pixels, so the buffer can be unmapped at once.
          return new VideoFrame(pixels, {
            format: 'I420',
            codedWidth: width,
            codedHeight: height,
            layout: [
              { offset: 0, stride },
              { offset: height * stride, stride: stride / 2 },
              { offset: (height + this.chromaRows) * stride, stride: stride / 2 },
            ],
            colorSpace,
            timestamp,
            ...(duration !== undefined ? { duration } : {}),
          });
        } finally {
          readback.unmap();
        }
      },
      (error: unknown) => {
        throw new DualFaceError('GpuError', this.failure ?? `reading the composited frame back failed (${String(error)})`);
      },
    );
  }

  private writeUniforms(crops: readonly [Rect | null, Rect | null], overlay: readonly OverlayBox[], colorSpace: VideoColorSpaceInit): void {
    // No crop at all: the usual panels, both painted black (an empty rectangle would divide by zero).
    // A crop that pads is cut to the picture and drawn into the part of its panel it fills; the
    // shader paints black whatever lies outside a panel's fill.
    const placed = crops[0] || crops[1] ? placeCrops(this.layout, this.output, crops, this.source) : null;
    const panels = placed ? placed.map((p) => p.fill) : panelRects(this.layout, this.output);
    const shown = placed ? placed.map((p) => p.crop) : [null, null];
    const data = this.uniformData;
    for (let p = 0; p < 2; p++) {
      const panel = panels[p]!;
      const crop = shown[p];
      data.set([panel.x, panel.y, panel.w, panel.h], p * 8);
      if (crop) {
        data.set([crop.x / this.source.width, crop.y / this.source.height, crop.w / this.source.width, crop.h / this.source.height], p * 8 + 4);
      } else {
        data.set([0, 0, 1, 1], p * 8 + 4);
      }
    }
    data.set([shown[0] ? 1 : 0, shown[1] ? 1 : 0, this.rotation / 90, 0], 16);
    const boxes = overlay.slice(0, MAX_OVERLAY_BOXES);
    data.set([boxes.length, 0, 0, 0], 20);
    boxes.forEach((box, i) => {
      data.set([box.rect.x, box.rect.y, box.rect.w, box.rect.h], 24 + i * 4);
      // The box's outline thickness rides in its colour's fourth component.
      data.set([...OVERLAY_RGB[colourKey(box)], box.thickness ?? overlayThickness(this.output)], 24 + MAX_OVERLAY_BOXES * 4 + i * 4);
    });
    data.set([this.output.width, this.output.height, this.bytesPerRow, this.chromaRows], PLANES_AT);
    const [kr, kb] = BT601_MATRICES.has(colorSpace.matrix ?? '') ? [0.299, 0.114] : [0.2126, 0.0722];
    data.set([kr, kb, colorSpace.fullRange ? 1 : 0, 0], PLANES_AT + 4);
    this.device.queue.writeBuffer(this.uniforms, 0, data);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.target.destroy();
    this.uniforms.destroy();
    for (const buffer of this.readbacks) buffer.destroy();
    this.device.destroy();
  }
}
