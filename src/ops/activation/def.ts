/**
 * Elementwise activations (torch.nn.functional): relu, relu6 (= clip(0, 6)), clip (clamp),
 * leaky_relu, sigmoid, tanh. The output shape is the input shape.
 */
import type { Dim } from '../../ir/dim/dim.ts';
import type { ActivationAttrs } from '../attrs.ts';
import { badValue, floatArg } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

const sameShape = (_a: ActivationAttrs, inputs: Dim[][]): Dim[] => [...inputs[0]!];

function plain(name: 'relu' | 'sigmoid' | 'tanh', doc: string): Omit<OpDef<ActivationAttrs>, 'interp'> {
  return { name, spellings: [{ name }], doc, inputs: { min: 1, max: 1 }, args: [], attrs: () => ({}), shape: sameShape };
}

export const reluDef = plain('relu', 'max(x, 0), elementwise.');
export const sigmoidDef = plain('sigmoid', '1 / (1 + exp(-x)), elementwise.');
export const tanhDef = plain('tanh', 'Hyperbolic tangent, elementwise.');

export const relu6Def: Omit<OpDef<ActivationAttrs>, 'interp'> = {
  name: 'relu6',
  spellings: [{ name: 'relu6' }],
  doc: 'min(max(x, 0), 6), elementwise.',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({ min: 0, max: 6 }),
  shape: sameShape,
};

export const clipDef: Omit<OpDef<ActivationAttrs>, 'interp'> = {
  name: 'clip',
  spellings: [{ name: 'clip' }],
  doc: 'min(max(x, min), max), elementwise (torch.clamp); either bound may be left out.',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'min', type: 'float', optional: true, doc: 'Lower bound.' },
    { name: 'max', type: 'float', optional: true, doc: 'Upper bound.' },
  ],
  attrs(args, _inputs, ctx) {
    if (args.min === undefined && args.max === undefined) {
      return badValue(ctx, 'min', 'nothing', 'clip needs min, max or both', 'write clip(min=0, max=6)');
    }
    const min = args.min === undefined ? undefined : floatArg(ctx, 'min', args.min);
    const max = args.max === undefined ? undefined : floatArg(ctx, 'max', args.max);
    if ((args.min !== undefined && min === undefined) || (args.max !== undefined && max === undefined)) return undefined;
    if (min !== undefined && max !== undefined && min > max) return badValue(ctx, 'max', max, `below min=${min}`);
    const out: ActivationAttrs = {};
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
    return out;
  },
  shape: sameShape,
};

export const leakyReluDef: Omit<OpDef<ActivationAttrs>, 'interp'> = {
  name: 'leaky_relu',
  spellings: [{ name: 'leaky_relu' }],
  doc: 'x for x >= 0, slope*x below, elementwise.',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'slope', aliases: ['negative_slope'], type: 'float', default: 0.01, doc: 'Slope for negative inputs.' }],
  attrs(args, _inputs, ctx) {
    const slope = floatArg(ctx, 'slope', args.slope);
    return slope === undefined ? undefined : { slope };
  },
  shape: sameShape,
};
