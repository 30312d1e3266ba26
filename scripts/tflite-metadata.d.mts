/** Returns a copy of `model` (a .tflite file) with input normalisation metadata added. */
export function addNormalisationMetadata(model: Uint8Array, options: { name: string; mean: number; std: number }): Uint8Array;
