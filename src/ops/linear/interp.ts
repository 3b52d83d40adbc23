/**
 * Reference linear layer over the last axis: y = x W^T + b with weight [out, in], each
 * output a float64 dot product of two contiguous rows.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { LinearAttrs } from '../attrs.ts';

export function linearInterp(inputs: Tensor[], params: Record<string, Tensor>, attrs: LinearAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const w = params['weight']!.data;
  const bias = params['bias']?.data;
  const inF = x.shape[x.shape.length - 1]!;
  const outF = attrs.outFeatures;
  const rows = inF === 0 ? 0 : x.data.length / inF;
  const xd = x.data;
  const out = new Float32Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    const xBase = r * inF;
    for (let o = 0; o < outF; o++) {
      const wBase = o * inF;
      let sum = bias ? bias[o]! : 0;
      for (let i = 0; i < inF; i++) sum += xd[xBase + i]! * w[wBase + i]!;
      out[r * outF + o] = sum;
    }
  }
  return { shape: [...outShape], data: out };
}
