/** Operators that pass their input through at inference: `dropout` and `identity`. */
import { badValue, floatArg } from '../def-helpers.ts';
import { floatArg as floatCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const dropoutDef: Omit<OpDef<'dropout'>, 'interp'> = {
  name: 'dropout',
  spellings: [{ name: 'dropout' }],
  doc: 'Dropout; the identity at inference.',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'p', type: 'float', default: 0.5, doc: 'Drop probability during training, in [0, 1].' }],
  attrs(args, _inputs, ctx) {
    const p = floatArg(ctx, 'p', args.p);
    if (p === undefined) return undefined;
    if (p < 0 || p > 1) return badValue(ctx, 'p', p, 'a probability must be between 0 and 1');
    return { p };
  },
  call: (a) => ({ callee: 'dropout', args: [floatCallArg('p', a.p, 0.5)] }),
  shape: (_a, inputs) => [...inputs[0]!],
  view: { kind: 'whole' },
  passThrough: () => true,
};

export const identityDef: Omit<OpDef<'identity'>, 'interp'> = {
  name: 'identity',
  spellings: [{ name: 'identity' }],
  doc: 'Returns its input unchanged.',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({}),
  call: () => ({ callee: 'identity', args: [] }),
  shape: (_a, inputs) => [...inputs[0]!],
  view: { kind: 'whole' },
  passThrough: () => true,
};
