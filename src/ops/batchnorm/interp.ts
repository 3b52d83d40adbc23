/**
 * Reference batch normalisation in inference mode, per channel (axis 1):
 * y = (x - running_mean) / sqrt(running_var + eps) * weight + bias, in float64.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { BatchNormAttrs } from '../attrs.ts';

export function batchnormInterp(inputs: Tensor[], params: Record<string, Tensor>, attrs: BatchNormAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const [batch = 1, channels = 1] = x.shape;
  const inner = channels === 0 || batch === 0 ? 0 : x.data.length / (batch * channels);
  const mean = params['running_mean']!.data;
  const variance = params['running_var']!.data;
  const gamma = params['weight']?.data;
  const beta = params['bias']?.data;
  const out = new Float32Array(x.data.length);
  for (let c = 0; c < channels; c++) {
    const scale = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + attrs.eps);
    const shift = beta ? beta[c]! : 0;
    const m = mean[c]!;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) out[i] = (x.data[i]! - m) * scale + shift;
    }
  }
  return { shape: [...outShape], data: out };
}
