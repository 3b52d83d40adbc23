/** Fully connected layer over the last axis (torch.nn.Linear): y = x W^T + b, W [out, in]. */
import { constValue, dimConst, dimToString } from '../../ir/dim/dim.ts';
import { boolArg, intArg, product, scaleFirstAxis, shapeText } from '../def-helpers.ts';
import { boolArg as boolCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const linearDef: Omit<OpDef<'linear'>, 'interp'> = {
  name: 'linear',
  spellings: [{ name: 'linear' }],
  doc: 'Fully connected layer over the last axis; weight [out, in], bias [out].',
  inputs: { min: 1, max: 1 },
  autoName: 'fc',
  args: [
    { name: 'features', aliases: ['out_features', 'out'], type: 'int', doc: 'Output features.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Add a learned bias.' },
  ],
  attrs(args, inputs, ctx) {
    const x = inputs[0] ?? [];
    if (x.length < 1) {
      ctx.report('NET2004', { op: ctx.spelledAs, expected: 'an input [..., features]', got: x.length, shape: shapeText(x) }, { input: 0 });
      return undefined;
    }
    const outFeatures = intArg(ctx, 'features', args.features, { min: 1, reason: 'a linear layer needs at least one output feature' });
    const bias = boolArg(ctx, 'bias', args.bias);
    if (outFeatures === undefined || bias === undefined) return undefined;
    return { outFeatures, bias };
  },
  call: (a) => ({ callee: 'linear', args: [{ value: { type: 'int', v: a.outFeatures } }, boolCallArg('bias', a.bias, true)] }),
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    const out = [...x.slice(0, -1), dimConst(a.outFeatures)];
    // [N, C, 1, 1] after a global pool: a flatten was meant, or the output keeps the unit axes.
    if ((x.length === 4 || x.length === 5) && x.slice(2).every((d) => constValue(d) === 1)) {
      ctx.report('NET2016', { op: ctx.spelledAs, shape: shapeText(x), out: shapeText(out) }, {
        input: 0,
        help: `flatten first: |> flatten |> ${ctx.spelledAs}(...) gives [${dimToString(x[0]!)}, ${a.outFeatures}]`,
        stageBefore: 'flatten',
      });
    }
    return out;
  },
  weights(a, inputs) {
    const x = inputs[0]!;
    const w = [{ role: 'weight', shape: [dimConst(a.outFeatures), x[x.length - 1]!], trainable: true }];
    return a.bias ? [...w, { role: 'bias', shape: [dimConst(a.outFeatures)], trainable: true }] : w;
  },
  /** batch * in * out, where batch is every axis but the last. */
  macs: (a, inputs) => product(inputs[0]!) * a.outFeatures,
  // weight [out, in]; the output features are the last axis, which is axis 1 only for [N, features].
  scaleOutputChannels: (_a, weight, scale, output) => (output.length === 2 ? scaleFirstAxis(weight, scale) : undefined),
};
