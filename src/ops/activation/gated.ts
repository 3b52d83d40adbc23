/**
 * The activations of mobile and efficient CNNs (torch.nn.functional): hardsigmoid, hardswish
 * (MobileNetV3), silu (EfficientNet), gelu (erf and tanh forms), elu. Each is one formula
 * (formula.ts) with PyTorch's constants; the output shape is the input shape.
 */
import type { Dim } from '../../ir/dim/dim.ts';
import { floatArg as floatCallArg } from '../call.ts';
import { badValue, floatArg } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';
import { clamp, constant, X, type Formula } from './formula.ts';

/** ONNX's HardSigmoid: clamp(alpha x + beta, 0, 1); PyTorch's is alpha = 1/6, beta = 1/2. */
export interface HardSigmoidAttrs { alpha: number; beta: number }
/** GELU with the exact erf or PyTorch's tanh approximation. */
export interface GeluAttrs { approximate: 'none' | 'tanh' }
export interface EluAttrs { alpha: number }
type NoAttrs = Record<never, never>;

declare module '../../ir/op-attrs.ts' {
  interface OpAttrsByName {
    hardsigmoid: HardSigmoidAttrs;
    hardswish: NoAttrs;
    silu: NoAttrs;
    gelu: GeluAttrs;
    elu: EluAttrs;
  }
}

type GatedName = 'hardsigmoid' | 'hardswish' | 'silu' | 'gelu' | 'elu';
type ActivationRules<K extends GatedName> = Omit<OpDef<K>, 'interp'> & Required<Pick<OpDef<K>, 'activation'>>;

const sameShape = (_a: unknown, inputs: Dim[][]): Dim[] => [...inputs[0]!];
const add = (a: Formula, b: Formula): Formula => ({ f: 'add', a, b });
const mul = (a: Formula, b: Formula): Formula => ({ f: 'mul', a, b });
const div = (a: Formula, b: Formula): Formula => ({ f: 'div', a, b });

/** relu6(x + 3) / 6 as PyTorch's kernels compute it; x times it is hardswish. */
const hardGate = div(clamp(add(X, constant(3)), 0, 6), constant(6));

export const HARD_SIGMOID_ALPHA = 1 / 6;
export const HARD_SIGMOID_BETA = 0.5;

export const hardsigmoidDef: ActivationRules<'hardsigmoid'> = {
  name: 'hardsigmoid',
  spellings: [{ name: 'hardsigmoid' }],
  doc: 'clamp(alpha*x + beta, 0, 1), elementwise; PyTorch\'s relu6(x + 3) / 6 with the defaults.',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'alpha', type: 'float', default: HARD_SIGMOID_ALPHA, doc: 'Slope (ONNX HardSigmoid alpha; PyTorch 1/6).' },
    { name: 'beta', type: 'float', default: HARD_SIGMOID_BETA, doc: 'Offset (ONNX HardSigmoid beta; PyTorch 0.5).' },
  ],
  attrs(args, _inputs, ctx) {
    const alpha = floatArg(ctx, 'alpha', args.alpha);
    const beta = floatArg(ctx, 'beta', args.beta);
    return alpha === undefined || beta === undefined ? undefined : { alpha, beta };
  },
  call: (a) => ({
    callee: 'hardsigmoid',
    args: [floatCallArg('alpha', a.alpha, HARD_SIGMOID_ALPHA), floatCallArg('beta', a.beta, HARD_SIGMOID_BETA)],
  }),
  shape: sameShape,
  elementwise: true,
  activation(a) {
    const alpha = a.alpha ?? HARD_SIGMOID_ALPHA;
    const beta = a.beta ?? HARD_SIGMOID_BETA;
    if (Math.fround(alpha) === Math.fround(HARD_SIGMOID_ALPHA) && Math.fround(beta) === Math.fround(HARD_SIGMOID_BETA)) return hardGate;
    return clamp(add(mul(X, constant(alpha)), constant(beta)), 0, 1);
  },
};

export const hardswishDef: ActivationRules<'hardswish'> = {
  name: 'hardswish',
  spellings: [{ name: 'hardswish' }],
  doc: 'x * relu6(x + 3) / 6, elementwise (MobileNetV3).',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({}),
  call: () => ({ callee: 'hardswish', args: [] }),
  shape: sameShape,
  elementwise: true,
  // PyTorch: x * min(max(x + 3, 0), 6) / 6.
  activation: () => div(mul(X, clamp(add(X, constant(3)), 0, 6)), constant(6)),
};

export const siluDef: ActivationRules<'silu'> = {
  name: 'silu',
  spellings: [{ name: 'silu' }, { name: 'swish' }],
  doc: 'x * sigmoid(x), elementwise (SiLU, swish; EfficientNet).',
  inputs: { min: 1, max: 1 },
  args: [],
  attrs: () => ({}),
  call: () => ({ callee: 'silu', args: [] }),
  shape: sameShape,
  elementwise: true,
  activation: () => mul(X, { f: 'sigmoid', a: X }),
};

export const geluDef: ActivationRules<'gelu'> = {
  name: 'gelu',
  spellings: [{ name: 'gelu' }],
  doc: 'x * Phi(x) (erf), or PyTorch\'s tanh approximation with approximate="tanh", elementwise.',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'approximate', type: 'string', default: 'none', oneOf: ['none', 'tanh'], doc: '"none" (erf) or "tanh".' }],
  attrs(args, _inputs, ctx) {
    const approximate = args.approximate;
    if (approximate !== 'none' && approximate !== 'tanh') return badValue(ctx, 'approximate', approximate, 'expected "none" or "tanh"');
    return { approximate };
  },
  call: (a) => ({
    callee: 'gelu',
    args: a.approximate === 'tanh' ? [{ name: 'approximate', value: { type: 'string', v: 'tanh' }, dflt: { type: 'string', v: 'none' } }] : [],
  }),
  shape: sameShape,
  elementwise: true,
  activation(a) {
    const half = mul(constant(0.5), X);
    if (a.approximate === 'tanh') {
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      const inner = mul(constant(Math.sqrt(2 / Math.PI)), add(X, mul(constant(0.044715), mul(X, mul(X, X)))));
      return mul(half, add(constant(1), { f: 'tanh', a: inner }));
    }
    // 0.5 x (1 + erf(x / sqrt 2))
    return mul(half, add(constant(1), { f: 'erf', a: mul(X, constant(Math.SQRT1_2)) }));
  },
};

export const eluDef: ActivationRules<'elu'> = {
  name: 'elu',
  spellings: [{ name: 'elu' }],
  doc: 'x for x > 0, alpha * (exp(x) - 1) below, elementwise.',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'alpha', type: 'float', default: 1, doc: 'Scale of the negative part.' }],
  attrs(args, _inputs, ctx) {
    const alpha = floatArg(ctx, 'alpha', args.alpha);
    return alpha === undefined ? undefined : { alpha };
  },
  call: (a) => ({ callee: 'elu', args: [floatCallArg('alpha', a.alpha, 1)] }),
  shape: sameShape,
  elementwise: true,
  activation: (a) => ({
    f: 'ifPositive', test: X, then: X,
    otherwise: mul(constant(a.alpha ?? 1), { f: 'sub', a: { f: 'exp', a: X }, b: constant(1) }),
  }),
};
