// Composites two crops of one decoded frame into the output: each output pixel belongs to one panel
// and samples the source at the matching point of that panel's crop. The crop and the panel have the
// same aspect ratio (decided on the CPU), so nothing is stretched.

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
  // Debug overlay: x = number of boxes, y = outline thickness in output pixels.
  overlay: vec4f,
  // Output pixels x, y, width, height of each box, and its RGBA colour. 8 = MAX_OVERLAY_BOXES.
  boxes: array<vec4f, 8>,
  boxColours: array<vec4f, 8>,
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

@fragment
fn fragmentMain(@builtin(position) position: vec4f) -> @location(0) vec4f {
  let p0 = uniforms.panels[0].rect;
  let inPanel0 = position.x >= p0.x && position.x < p0.x + p0.z && position.y >= p0.y && position.y < p0.y + p0.w;
  let index = select(1u, 0u, inPanel0);
  let panel = uniforms.panels[index];
  let within = (position.xy - panel.rect.xy) / panel.rect.zw;
  let upright = panel.crop.xy + within * panel.crop.zw;
  let turns = u32(uniforms.shown.z + 0.5);
  var uv = upright;
  if (turns == 1u) { uv = vec2f(upright.y, 1.0 - upright.x); }
  if (turns == 2u) { uv = vec2f(1.0 - upright.x, 1.0 - upright.y); }
  if (turns == 3u) { uv = vec2f(1.0 - upright.y, upright.x); }
  let colour = textureSampleBaseClampToEdge(source, sourceSampler, uv);
  let visible = select(uniforms.shown.y, uniforms.shown.x, inPanel0);
  var result = vec4f(colour.rgb * visible, 1.0);
  let count = u32(uniforms.overlay.x + 0.5);
  let thickness = uniforms.overlay.y;
  for (var i = 0u; i < count; i++) {
    let box = uniforms.boxes[i];
    let inside = position.x >= box.x && position.x < box.x + box.z && position.y >= box.y && position.y < box.y + box.w;
    let inner = position.x >= box.x + thickness && position.x < box.x + box.z - thickness && position.y >= box.y + thickness && position.y < box.y + box.w - thickness;
    if (inside && !inner) { result = uniforms.boxColours[i]; }
  }
  return result;
}
