/** Deterministic random test data, shared by every test that needs it. */
import { numel, type Tensor } from '../../src/ir/tensor.ts';

/** xorshift32: deterministic test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function randomTensor(shape: number[], next: () => number, lo = -1, hi = 1): Tensor {
  const data = new Float32Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * next();
  return { shape: [...shape], data };
}
