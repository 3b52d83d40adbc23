/** Softmax along one axis (torch.nn.functional.softmax), computed with the maximum subtracted. */
import { axisArg } from '../def-helpers.ts';
import { intArg as intCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const softmaxDef: Omit<OpDef<'softmax'>, 'interp'> = {
  name: 'softmax',
  spellings: [{ name: 'softmax' }],
  doc: 'exp(x) / sum(exp(x)) along an axis (default 1, the channels).',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'axis', aliases: ['dim'], type: 'int', default: 1, doc: 'Axis to normalise; negative counts from the end.' }],
  attrs(args, inputs, ctx) {
    const axis = axisArg(ctx, 'axis', args.axis, inputs[0]?.length ?? 0);
    return axis === undefined ? undefined : { axis };
  },
  call: (a) => ({ callee: 'softmax', args: [intCallArg('axis', a.axis, 1)] }),
  shape: (_a, inputs) => [...inputs[0]!],
};
