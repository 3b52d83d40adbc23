/**
 * `slice`: a contiguous range of channels (axis 1) of a tensor. Not spelled in the language:
 * passes/fuse-1x1-horizontal.ts creates it to split the output of a fused conv; the memory
 * planner makes it a view, so it costs no copy.
 */
import { dimConst, type Dim } from '../../ir/dim/dim.ts';
import type { Tensor } from '../../ir/tensor.ts';
import type { SliceAttrs } from '../attrs.ts';
import type { OpDef } from '../types.ts';

export type { SliceAttrs } from '../attrs.ts';

export function sliceInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: SliceAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const outer = x.shape.slice(0, attrs.axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(attrs.axis + 1).reduce((a, b) => a * b, 1);
  const total = x.shape[attrs.axis]!;
  const data = new Float32Array(outer * attrs.length * inner);
  for (let o = 0; o < outer; o++) {
    const src = (o * total + attrs.start) * inner;
    data.set(x.data.subarray(src, src + attrs.length * inner), o * attrs.length * inner);
  }
  return { shape: [...outShape], data };
}

export const sliceDef: OpDef<'slice'> = {
  name: 'slice',
  spellings: [],
  doc: 'a contiguous range of channels of a tensor (created by optimisation passes)',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: (args) => args as unknown as SliceAttrs,
  shape(attrs, inputs): Dim[] {
    const s = [...inputs[0]!];
    s[attrs.axis] = dimConst(attrs.length);
    return s;
  },
  label: (a) => [`ch ${a.start}..${a.start + a.length}`],
  macs: () => 0,
  interp: sliceInterp,
  view: { kind: 'channels', start: (a) => (a.axis === 1 ? a.start : undefined) },
};

