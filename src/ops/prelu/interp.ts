/** Reference PReLU: x > 0 ? x : weight[c] * x, as PyTorch's kernel writes it (NaN stays NaN). */
import type { Tensor } from '../../ir/tensor.ts';
import type { PReluAttrs } from './def.ts';

export function preluInterp(inputs: Tensor[], params: Record<string, Tensor>, attrs: PReluAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const w = params['weight']!.data;
  const channels = attrs.slopes === 1 ? 1 : x.shape[1]!;
  // Elements per channel: the product of the axes after the channel axis.
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const slope = channels === 1 ? w[0]! : w[Math.floor(i / inner) % channels]!;
    out[i] = v > 0 ? v : slope * v;
  }
  return { shape: [...outShape], data: out };
}
