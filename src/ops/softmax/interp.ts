/**
 * Reference softmax along one axis: subtract the maximum before exponentiating (so large
 * inputs do not overflow), sum in float64.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { AxisAttrs } from '../attrs.ts';

export function softmaxInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: AxisAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const shape = x.shape;
  const len = shape[attrs.axis]!;
  const inner = shape.slice(attrs.axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, attrs.axis).reduce((a, b) => a * b, 1);
  const src = x.data;
  const out = new Float32Array(src.length);
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let j = 0; j < len; j++) max = Math.max(max, src[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < len; j++) {
        e[j] = Math.exp(src[base + j * inner]! - max);
        sum += e[j]!;
      }
      for (let j = 0; j < len; j++) out[base + j * inner] = e[j]! / sum;
    }
  }
  return { shape: [...outShape], data: out };
}
