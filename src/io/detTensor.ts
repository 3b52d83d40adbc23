/**
 * Deterministic tensors: the counter-based formula the PyTorch reference cases use for every
 * weight and input, so any implementation can rebuild them bit for bit from a name.
 *
 *   s   = FNV-1a 32-bit hash of the UTF-8 bytes of gen
 *   x_i = murmur3 finaliser of (i * 0x9E3779B1 + s) mod 2^32
 *   v_i = float32(lo + (hi - lo) * x_i / 2^32)      (computed in float64, rounded once)
 */
import { numel, type Tensor } from '../ir/tensor.ts';

/** FNV-1a, 32 bits, over the UTF-8 encoding of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The uniform 32-bit value of element `i` for seed hash `s`. */
export function detBits(i: number, s: number): number {
  let x = (Math.imul(i, 0x9e3779b1) + s) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export function detTensor(gen: string, shape: number[], lo: number, hi: number): Tensor {
  const n = numel(shape);
  const data = new Float32Array(n);
  const s = fnv1a32(gen);
  const span = hi - lo;
  // The store into the Float32Array is the single rounding to float32.
  for (let i = 0; i < n; i++) data[i] = lo + span * (detBits(i, s) / 4294967296);
  return { shape: [...shape], data };
}
