/**
 * PReLU (`prelu`; torch.nn.PReLU): x for x >= 0, weight[c] * x below, with one learned slope
 * per channel (axis 1) or a single slope for every element. Unlike the other activations it
 * owns a weight, so it is not a formula: it does not fuse into a conv epilogue (an epilogue
 * applies a function of the value alone), and it runs as its own elementwise node.
 */
import { dimConst, dimToString } from '../../ir/dim/dim.ts';
import { intArg as intCallArg } from '../call.ts';
import { badValue, intArg, shapeText } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

/** Number of slopes: 1 (shared) or the input's channel count. */
export interface PReluAttrs { slopes: number }

declare module '../../ir/op-attrs.ts' {
  interface OpAttrsByName { prelu: PReluAttrs }
}

export const preluDef: Omit<OpDef<'prelu'>, 'interp'> = {
  name: 'prelu',
  spellings: [{ name: 'prelu' }],
  doc: 'x for x >= 0, weight*x below, elementwise; weight [1] (shared) or [C] (per channel).',
  inputs: { min: 1, max: 1 },
  autoName: 'prelu',
  args: [{ name: 'slopes', aliases: ['num_parameters'], type: 'int', default: 1, doc: 'Number of learned slopes: 1 or the channel count.' }],
  attrs(args, inputs, ctx) {
    const slopes = intArg(ctx, 'slopes', args.slopes, { min: 1 });
    if (slopes === undefined) return undefined;
    const x = inputs[0] ?? [];
    if (slopes === 1) return { slopes };
    if (x.length < 2) {
      ctx.report('NET2004', { op: ctx.spelledAs, expected: 'an input [N, C, ...] for per-channel slopes', got: x.length, shape: shapeText(x) }, { input: 0 });
      return undefined;
    }
    const c = x[1]!;
    if (!ctx.sameDim(c, dimConst(slopes))) {
      return badValue(ctx, 'slopes', slopes, `the input has ${dimToString(c)} channels`, `use slopes=1 or slopes=${dimToString(c)}`);
    }
    return { slopes };
  },
  call: (a) => ({ callee: 'prelu', args: [intCallArg('slopes', a.slopes, 1)] }),
  shape: (_a, inputs) => [...inputs[0]!],
  weights: (a) => [{ role: 'weight', shape: [dimConst(a.slopes)], trainable: true }],
  elementwise: true,
};
