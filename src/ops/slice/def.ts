/**
 * `slice`: a contiguous range along one axis (channels by default) of a tensor: torch's
 * `x.narrow(axis, start, length)`, one part of `chunk`/`split`, ONNX Slice. Written by users
 * and the ONNX import, and created by passes/fuse-1x1-horizontal.ts to split the output of a
 * fused conv. A channel slice of a batch-1 tensor becomes a view of its input
 * (concat-in-place marks it; the memory planner follows it), so it costs no copy.
 */
import { constValue, dimAdd, dimConst, dimToString, type Dim } from '../../ir/dim/dim.ts';
import { axisArg, badValue, intArg } from '../def-helpers.ts';
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
  spellings: [{ name: 'slice' }],
  doc: 'A contiguous range of `length` elements from `start` along an axis (torch.narrow; one part of chunk/split).',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'start', type: 'int', doc: 'First element of the range.' },
    { name: 'length', type: 'int', doc: 'Number of elements.' },
    { name: 'axis', aliases: ['dim'], type: 'int', default: 1, doc: 'The axis; channels by default. The batch axis cannot be sliced.' },
  ],
  attrs(args, inputs, ctx) {
    const axis = axisArg(ctx, 'axis', args.axis, inputs[0]?.length ?? 0);
    const start = intArg(ctx, 'start', args.start, { min: 0, reason: 'the range cannot start before the first element' });
    const length = intArg(ctx, 'length', args.length, { min: 1, reason: 'the range must hold at least one element' });
    if (axis === undefined || start === undefined || length === undefined) return undefined;
    if (axis === 0) return badValue(ctx, 'axis', args.axis, 'the batch axis cannot be sliced');
    return { axis, start, length };
  },
  call: (a) => ({
    callee: 'slice',
    args: [{ value: { type: 'int', v: a.start } }, { value: { type: 'int', v: a.length } }, { name: 'axis', value: { type: 'int', v: a.axis }, dflt: { type: 'int', v: 1 } }],
  }),
  shape(attrs, inputs, ctx): Dim[] | undefined {
    const s = [...inputs[0]!];
    const size = s[attrs.axis]!;
    const n = constValue(size);
    // The range must end inside the axis: start + length <= size (a requirement when symbolic).
    const fits = n !== undefined ? attrs.start + attrs.length <= n : ctx.positiveDim(dimAdd(size, 1 - attrs.start - attrs.length));
    if (!fits) return badValue(ctx, 'length', attrs.length, `the range ends at ${attrs.start + attrs.length}, past the axis size ${dimToString(size)}`);
    s[attrs.axis] = dimConst(attrs.length);
    return s;
  },
  label: (a) => [`ch ${a.start}..${a.start + a.length}`],
  macs: () => 0,
  interp: sliceInterp,
  view: { kind: 'channels', start: (a) => (a.axis === 1 ? a.start : undefined) },
};

