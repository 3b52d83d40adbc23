/** Reference channel shuffle: a copy of each channel plane to its shuffled place. */
import type { Tensor } from '../../ir/tensor.ts';
import type { ChannelShuffleAttrs } from './def.ts';

export function channelShuffleInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: ChannelShuffleAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const plane = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const g = attrs.groups;
  const perGroup = c / g;
  const out = new Float32Array(x.data.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < perGroup; j++) {
        const src = (b * c + i * perGroup + j) * plane;
        out.set(x.data.subarray(src, src + plane), (b * c + j * g + i) * plane);
      }
    }
  }
  return { shape: [...outShape], data: out };
}
