/** Operators that pass their input through at inference: `dropout` and `identity`. */
import type { DropoutAttrs } from '../attrs.ts';
import { badValue, floatArg } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

export const dropoutDef: Omit<OpDef<DropoutAttrs>, 'interp'> = {
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
  shape: (_a, inputs) => [...inputs[0]!],
};

export const identityDef: Omit<OpDef<Record<string, never>>, 'interp'> = {
  name: 'identity',
  spellings: [{ name: 'identity' }],
  doc: 'Returns its input unchanged.',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({}),
  shape: (_a, inputs) => [...inputs[0]!],
};
