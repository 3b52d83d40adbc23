/**
 * Channel shuffle: one memory.copy per channel plane (batch x groups x channels per group
 * copies in a loop nest), the planes being contiguous in the channels-first layout.
 */
import type { ChannelShuffleAttrs } from '../../ops/channel_shuffle/def.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

export function lowerChannelShuffle({ attrs, inputs, output, ctx }: LowerArgs<ChannelShuffleAttrs>): Expr[] {
  const m = ctx.m;
  const i32 = m.i32;
  const x = inputs[0]!;
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const planeBytes = x.shape.slice(2).reduce((a, b) => a * b, 1) * 4;
  const g = attrs.groups;
  const perGroup = c / g;
  const key = { n, c, g, planeBytes, inStride: x.batchStride, outStride: output.batchStride };
  const name = ctx.fn('channel_shuffle', key, ['i32', 'i32'], (f) => {
    const [src, dst] = [f.param(0), f.param(1)];
    const [b, i, j] = [f.local('i32'), f.local('i32'), f.local('i32')];
    // Input channel i*perGroup + j goes to output channel j*g + i.
    const from = i32.add(f.get(src), i32.add(i32.mul(f.get(b), i32.c(x.batchStride * 4)), i32.mul(i32.add(i32.mul(f.get(i), i32.c(perGroup)), f.get(j)), i32.c(planeBytes))));
    const to = i32.add(f.get(dst), i32.add(i32.mul(f.get(b), i32.c(output.batchStride * 4)), i32.mul(i32.add(i32.mul(f.get(j), i32.c(g)), f.get(i)), i32.c(planeBytes))));
    return [f.for(b, 0, n, 1, [f.for(i, 0, g, 1, [f.for(j, 0, perGroup, 1, [m.memCopy(to, from, i32.c(planeBytes))])])])];
  });
  return [m.call(name, [i32.c(x.ptr), i32.c(output.ptr)])];
}
