/**
 * Elementwise activations (torch.nn.functional): relu, relu6 (= clip(0, 6)), clip (clamp),
 * leaky_relu, sigmoid, tanh. The output shape is the input shape.
 */
import type { Dim } from '../../ir/dim/dim.ts';
import type { ActivationAttrs } from '../attrs.ts';
import { floatArg as floatCallArg } from '../call.ts';
import { badValue, floatArg } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';
import { clamp, X, type Formula } from './formula.ts';

const sameShape = (_a: ActivationAttrs, inputs: Dim[][]): Dim[] => [...inputs[0]!];

/** Table entry without the kernel (registry.ts adds it): the rules of one activation. */
type ActivationRules<K extends 'relu' | 'relu6' | 'clip' | 'leaky_relu' | 'sigmoid' | 'tanh'> = Omit<OpDef<K>, 'interp'> & Required<Pick<OpDef<K>, 'activation'>>;

function plain<K extends 'relu' | 'sigmoid' | 'tanh'>(name: K, doc: string, formula: Formula): ActivationRules<K> {
  return {
    name, spellings: [{ name }], doc, inputs: { min: 1, max: 1 }, args: [], attrs: () => ({}), shape: sameShape,
    call: () => ({ callee: name, args: [] }),
    elementwise: true,
    activation: () => formula,
  };
}

export const reluDef = plain('relu', 'max(x, 0), elementwise.', clamp(X, 0, undefined));
export const sigmoidDef = plain('sigmoid', '1 / (1 + exp(-x)), elementwise.', { f: 'sigmoid', a: X });
export const tanhDef = plain('tanh', 'Hyperbolic tangent, elementwise.', { f: 'tanh', a: X });

export const relu6Def: ActivationRules<'relu6'> = {
  name: 'relu6',
  spellings: [{ name: 'relu6' }],
  doc: 'min(max(x, 0), 6), elementwise.',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({ min: 0, max: 6 }),
  call: () => ({ callee: 'relu6', args: [] }),
  shape: sameShape,
  elementwise: true,
  activation: () => clamp(X, 0, 6),
};

export const clipDef: ActivationRules<'clip'> = {
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
  call(a) {
    const args = [];
    if (a.min !== undefined) args.push({ name: 'min', value: { type: 'float' as const, v: a.min } });
    if (a.max !== undefined) args.push({ name: 'max', value: { type: 'float' as const, v: a.max } });
    return { callee: 'clip', args };
  },
  shape: sameShape,
  elementwise: true,
  activation: (a) => clamp(X, a.min, a.max),
};

export const leakyReluDef: ActivationRules<'leaky_relu'> = {
  name: 'leaky_relu',
  spellings: [{ name: 'leaky_relu' }],
  doc: 'x for x >= 0, slope*x below, elementwise.',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'slope', aliases: ['negative_slope'], type: 'float', default: 0.01, doc: 'Slope for negative inputs.' }],
  attrs(args, _inputs, ctx) {
    const slope = floatArg(ctx, 'slope', args.slope);
    return slope === undefined ? undefined : { slope };
  },
  call: (a) => ({ callee: 'leaky_relu', args: [floatCallArg('slope', a.slope ?? 0.01, 0.01)] }),
  shape: sameShape,
  elementwise: true,
  // x > 0 ? x : slope * x, as PyTorch's kernel writes it (NaN gives slope * NaN = NaN).
  activation: (a) => ({ f: 'ifPositive', test: X, then: X, otherwise: { f: 'mul', a: X, b: { f: 'const', value: a.slope ?? 0.01 } } }),
};
