// Composites two crops of one decoded frame into the output: each output pixel belongs to one panel
// and samples the source at the matching point of that panel's crop. The crop and the panel have the
// same aspect ratio (decided on the CPU), so nothing is stretched.
//
// The target is the encoder's I420 frame itself, in one 8-bit texture `stride` texels wide (the
// read-back's row pitch, a multiple of 256): rows 0..H-1 are the Y plane; below them the U plane,
// then the V plane, each with a row pitch of stride/2, so two chroma rows share one texture row.
// Reading back 1.5 bytes a pixel instead of 4, and the encoder gets no RGB to convert.

struct Panel {
  // Output pixels: x, y, width, height.
  rect: vec4f,
  // Source, normalised to 0..1: x, y, width, height.
  crop: vec4f,
}

struct Uniforms {
  panels: array<Panel, 2>,
  // x: 1 when panel 0 shows a crop, y: same for panel 1 (0 paints the panel black);
  // z: the source's rotation in quarter turns clockwise (crops are in the upright picture).
  shown: vec4f,
  // Overlay (debug faces, the speaker highlight): x = number of boxes.
  overlay: vec4f,
  // Output pixels x, y, width, height of each box; its RGB colour and, in w, its outline thickness
  // in output pixels. 8 = MAX_OVERLAY_BOXES.
  boxes: array<vec4f, 8>,
  boxColours: array<vec4f, 8>,
  // Output width W, height H, texture width (stride), texture rows holding the U plane.
  planes: vec4f,
  // The output's YUV: Kr, Kb of its matrix (BT.709 or BT.601), 1 for full range (0: limited).
  yuv: vec4f,
}

@group(0) @binding(0) var<uniform> uniforms: Uniforms;
@group(0) @binding(1) var sourceSampler: sampler;
@group(1) @binding(0) var source: texture_external;

@vertex
fn vertexMain(@builtin(vertex_index) index: u32) -> @builtin(position) vec4f {
  // One triangle that covers the whole target.
  let corners = array<vec2f, 3>(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  return vec4f(corners[index], 0.0, 1.0);
}

/** The composited picture's RGB (0..1) at output point `p` (pixels, y down). */
fn compositeAt(p: vec2f) -> vec3f {
  let p0 = uniforms.panels[0].rect;
  let inPanel0 = p.x >= p0.x && p.x < p0.x + p0.z && p.y >= p0.y && p.y < p0.y + p0.w;
  let index = select(1u, 0u, inPanel0);
  let panel = uniforms.panels[index];
  // max(): an empty fill (nothing drawn there) must not divide by zero.
  let within = (p - panel.rect.xy) / max(panel.rect.zw, vec2f(1.0));
  let upright = panel.crop.xy + within * panel.crop.zw;
  let turns = u32(uniforms.shown.z + 0.5);
  var uv = upright;
  if (turns == 1u) { uv = vec2f(upright.y, 1.0 - upright.x); }
  if (turns == 2u) { uv = vec2f(1.0 - upright.x, 1.0 - upright.y); }
  if (turns == 3u) { uv = vec2f(1.0 - upright.y, upright.x); }
  let colour = textureSampleBaseClampToEdge(source, sourceSampler, uv);
  // Outside its panel's fill (a crop that pads, or the other panel's black): black.
  let inFill = p.x >= panel.rect.x && p.x < panel.rect.x + panel.rect.z && p.y >= panel.rect.y && p.y < panel.rect.y + panel.rect.w;
  let visible = select(uniforms.shown.y, uniforms.shown.x, inPanel0);
  var result = select(vec3f(0.0), colour.rgb * visible, inFill);
  let count = u32(uniforms.overlay.x + 0.5);
  for (var i = 0u; i < count; i++) {
    let box = uniforms.boxes[i];
    let thickness = uniforms.boxColours[i].a;
    let inside = p.x >= box.x && p.x < box.x + box.z && p.y >= box.y && p.y < box.y + box.w;
    let inner = p.x >= box.x + thickness && p.x < box.x + box.z - thickness && p.y >= box.y + thickness && p.y < box.y + box.w - thickness;
    if (inside && !inner) { result = uniforms.boxColours[i].rgb; }
  }
  return result;
}

fn luma(rgb: vec3f) -> f32 {
  let kr = uniforms.yuv.x;
  let kb = uniforms.yuv.y;
  return kr * rgb.r + (1.0 - kr - kb) * rgb.g + kb * rgb.b;
}

@fragment
fn fragmentMain(@builtin(position) position: vec4f) -> @location(0) vec4f {
  let width = uniforms.planes.x;
  let height = uniforms.planes.y;
  let full = uniforms.yuv.z > 0.5;
  if (position.y < height) {
    if (position.x >= width) { return vec4f(0.0); }
    let y = luma(compositeAt(position.xy));
    return vec4f(select((16.0 + 219.0 * y) / 255.0, y, full), 0.0, 0.0, 1.0);
  }
  // Chroma: which plane, which of the two rows sharing this texture row, which sample.
  let half = uniforms.planes.z * 0.5;
  var row = floor(position.y - height);
  let isV = row >= uniforms.planes.w;
  if (isV) { row -= uniforms.planes.w; }
  let second = position.x >= half;
  let cx = floor(select(position.x, position.x - half, second));
  let cy = 2.0 * row + select(0.0, 1.0, second);
  if (cx >= width * 0.5 || cy >= height * 0.5) { return vec4f(0.0); }
  // One chroma sample covers 2x2 output pixels: take the picture at their centre.
  let rgb = compositeAt(vec2f(2.0 * cx + 1.0, 2.0 * cy + 1.0));
  let y = luma(rgb);
  let c = select((rgb.r - y) / (2.0 * (1.0 - uniforms.yuv.x)), (rgb.b - y) / (2.0 * (1.0 - uniforms.yuv.y)), !isV);
  return vec4f(select((128.0 + 224.0 * c) / 255.0, 0.5 + c, full), 0.0, 0.0, 1.0);
}
