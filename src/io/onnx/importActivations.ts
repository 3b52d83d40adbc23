/**
 * Import handlers of the activations of mobile and efficient CNNs: HardSigmoid, HardSwish,
 * Swish (SiLU), Gelu, Elu and PRelu, and Unsqueeze of a constant (torch writes a per-channel
 * PReLU slope [C] as Unsqueeze to [C, 1, 1]). Multi-node forms of these are folded into the
 * single operators first (patterns.ts).
 */
import type { Handler } from './importShapes.ts';
import { show } from './importShapes.ts';

export const hardSigmoid: Handler = (ctx) => ({
  op: 'hardsigmoid', inputs: [ctx.tensor(0)],
  attrs: { alpha: ctx.attrFloat('alpha', 0.2), beta: ctx.attrFloat('beta', 0.5) }, outShape: ctx.shape(0), params: {},
});

export const hardSwish: Handler = (ctx) => ({ op: 'hardswish', inputs: [ctx.tensor(0)], attrs: {}, outShape: ctx.shape(0), params: {} });

/** Swish(x) = x * sigmoid(alpha x); netc's silu is alpha = 1. */
export const swish: Handler = (ctx) => {
  const alpha = ctx.attrFloat('alpha', 1);
  if (alpha !== 1) ctx.reject(`alpha=${alpha}: netc's silu is x * sigmoid(x) (alpha 1)`);
  return { op: 'silu', inputs: [ctx.tensor(0)], attrs: {}, outShape: ctx.shape(0), params: {} };
};

export const gelu: Handler = (ctx) => {
  const approximate = ctx.attrString('approximate', 'none');
  if (approximate !== 'none' && approximate !== 'tanh') ctx.reject(`approximate="${approximate}" is not an ONNX GELU form ("none" or "tanh")`);
  return { op: 'gelu', inputs: [ctx.tensor(0)], attrs: { approximate: approximate as 'none' | 'tanh' }, outShape: ctx.shape(0), params: {} };
};

export const elu: Handler = (ctx) => ({ op: 'elu', inputs: [ctx.tensor(0)], attrs: { alpha: ctx.attrFloat('alpha', 1) }, outShape: ctx.shape(0), params: {} });

/** PRelu with a constant slope of one value, or one per channel broadcast over axis 1 ([C, 1, ...]). */
export const prelu: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const s = ctx.floats(1, 'slope');
  const n = s.data.length;
  // The slope broadcasts from the right: [C] over [N, C] and [C, 1, 1] over [N, C, H, W] are per channel.
  const perChannel = xs.length >= 2 && n === xs[1] && s.dims.length === xs.length - 1 && s.dims.slice(1).every((d) => d === 1);
  const perChannel2d = xs.length === 2 && n === xs[1] && s.dims.length === 1;
  if (n !== 1 && !perChannel && !perChannel2d) {
    ctx.reject(`slope ${show(s.dims)} over an input ${show(xs)} is neither one value nor one per channel (axis 1); netc's prelu has those two forms`);
  }
  if (s.dims.length > xs.length) ctx.mismatch(`slope ${show(s.dims)} has a higher rank than the input ${show(xs)}`);
  const source = s.dims.length === 1 ? s.name : undefined;
  return {
    op: 'prelu', inputs: [ctx.tensor(0)], attrs: { slopes: n }, outShape: xs,
    params: { weight: { data: s.data, shape: [n], trainable: true, source } },
  };
};

