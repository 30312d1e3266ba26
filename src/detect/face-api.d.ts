// `import('face-api-bundle')`: face-api's browser bundle with TensorFlow.js inside (an alias in
// vite.config.ts). Declared here, narrowly, for what detect/likeness.ts uses: the package's own
// types declare WebGPU globals of their own, which clash with @webgpu/types.
declare module 'face-api-bundle' {
  interface Tensor {
    dataSync(): Float32Array;
  }
  interface WeightSpec {
    name: string;
    shape: number[];
    dtype: string;
  }
  export const tf: {
    setWasmPaths(prefix: string): void;
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    env(): { set(flag: string, value: boolean): void };
    tidy<T>(fn: () => T): T;
    tensor3d(values: Float32Array, shape: [number, number, number]): Tensor;
    io: { decodeWeights(data: ArrayBuffer, specs: WeightSpec[]): Record<string, Tensor> };
  };
  interface NetInputInstance {
    readonly batchSize: number;
  }
  export const NetInput: new (inputs: Tensor[]) => NetInputInstance;
  export class FaceRecognitionNet {
    loadFromWeightMap(weights: Record<string, Tensor>): void;
    forwardInput(input: NetInputInstance): Tensor;
    dispose(): void;
  }
}
