// Build-time assets that come from npm packages rather than from our sources:
// - the MediaPipe tasks-vision wasm (served by us: no request leaves the machine);
// - the BlazeFace short-range model with the metadata FaceDetector needs (see tflite-metadata.mjs).
// Written to public/vendor/ (git-ignored), which vite copies into dist/.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addNormalisationMetadata } from './tflite-metadata.mjs';
import { encodePng, iconPixels } from './icons.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const vendor = join(root, 'public', 'vendor');

const tasksVision = join(modules, '@mediapipe', 'tasks-vision');
// Only the module-worker build: the worker loads it with FilesetResolver.forVisionTasks(path, true).
await rm(join(vendor, 'mediapipe'), { recursive: true, force: true });
await mkdir(join(vendor, 'mediapipe'), { recursive: true });
for (const file of await readdir(join(tasksVision, 'wasm'))) {
  if (!file.startsWith('vision_wasm_module_internal.')) continue;
  await copyFile(join(tasksVision, 'wasm', file), join(vendor, 'mediapipe', file));
}

const faceDetection = join(modules, '@mediapipe', 'face_detection');
const model = await readFile(join(faceDetection, 'face_detection_short_range.tflite'));
const withMetadata = addNormalisationMetadata(new Uint8Array(model), {
  name: 'face_detection_short_range',
  mean: 127.5,
  std: 127.5,
});
await mkdir(join(vendor, 'models'), { recursive: true });
await writeFile(join(vendor, 'models', 'face_detection_short_range.tflite'), withMetadata);
console.error(`prepare-assets: mediapipe wasm and model (${withMetadata.byteLength} bytes) in public/vendor/`);

// Voice activity: Silero VAD (the legacy model, as shipped by @ricky0123/vad-web) and the WebAssembly
// build of onnxruntime-web that runs it (its loader module and wasm, loaded from vendor/onnx/).
await copyFile(join(modules, '@ricky0123', 'vad-web', 'dist', 'silero_vad_legacy.onnx'), join(vendor, 'models', 'silero_vad_legacy.onnx'));
await rm(join(vendor, 'onnx'), { recursive: true, force: true });
await mkdir(join(vendor, 'onnx'), { recursive: true });
for (const file of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
  await copyFile(join(modules, 'onnxruntime-web', 'dist', file), join(vendor, 'onnx', file));
}

// Raster icons for the web app manifest (public/icons/, git-ignored like vendor/).
const icons = join(root, 'public', 'icons');
await mkdir(icons, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
]) {
  await writeFile(join(icons, name), encodePng(iconPixels(size, maskable), size, size));
}

// Face likeness (see src/detect/likeness.ts): face-api's recognition network and the WebAssembly
// builds of TensorFlow.js' backend that run it (the backend insists on knowing all three).
await rm(join(vendor, 'models', 'face-recognition'), { recursive: true, force: true });
await mkdir(join(vendor, 'models', 'face-recognition'), { recursive: true });
for (const file of ['face_recognition_model-weights_manifest.json', 'face_recognition_model.bin']) {
  await copyFile(join(modules, '@vladmandic', 'face-api', 'model', file), join(vendor, 'models', 'face-recognition', file));
}
await rm(join(vendor, 'tfjs'), { recursive: true, force: true });
await mkdir(join(vendor, 'tfjs'), { recursive: true });
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  await copyFile(join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist', file), join(vendor, 'tfjs', file));
}
