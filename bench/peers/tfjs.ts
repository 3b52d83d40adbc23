/**
 * @tensorflow/tfjs-backend-wasm, one thread, wasm files from node_modules. Layers run in
 * NHWC (XNNPACK for 2-D convolutions; its transposed and 3-D convolutions are plain loops).
 * A timed run is the op plus `dataSync()`, i.e. it includes copying the output out; the
 * input tensor (already in NHWC) is created once, outside the timing.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Contender } from '../contender.ts';

type Tf = typeof import('@tensorflow/tfjs-core');
let tfPromise: Promise<Tf> | undefined;

export async function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    wasm.setThreadsCount(1);
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  })();
  return tfPromise;
}

/** Transpose [N, C, ...sp] to [N, ...sp, C]. */
export function toChannelsLast(data: Float32Array, shape: number[]): Float32Array {
  const [N, C] = shape as [number, number];
  const plane = shape.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let p = 0; p < plane; p++) out[(n * plane + p) * C + c] = data[(n * C + c) * plane + p]!;
  return out;
}

/** Transpose [N, ...sp, C] back to [N, C, ...sp]. */
export function toChannelsFirst(data: Float32Array, shape: number[]): Float32Array {
  const [N, C] = shape as [number, number];
  const plane = shape.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let p = 0; p < plane; p++) out[(n * C + c) * plane + p] = data[(n * plane + p) * C + c]!;
  return out;
}

/**
 * A contender from a function of the tf namespace that returns the output tensor
 * (channels last); `outShape` is the NCHW output shape, for converting the result back.
 */
export async function tfContender(build: (tf: Tf) => () => import('@tensorflow/tfjs-core').Tensor, outShape: number[]): Promise<Contender> {
  const tf = await loadTf();
  const op = build(tf);
  let last: Float32Array = new Float32Array(0);
  return {
    name: 'tfjs-wasm',
    run() {
      const y = op();
      last = y.dataSync() as Float32Array;
      y.dispose();
    },
    output: () => toChannelsFirst(last, outShape),
  };
}
