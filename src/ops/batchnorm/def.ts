/**
 * Batch normalisation in inference mode (`batchnorm`, `bn`; torch.nn.BatchNorm1d/2d/3d):
 * per channel (axis 1) y = (x - mean) / sqrt(var + eps) * weight + bias.
 */
import { floatArg, badValue, shapeText } from '../def-helpers.ts';
import { floatArg as floatCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const batchnormDef: Omit<OpDef<'batchnorm'>, 'interp'> = {
  name: 'batchnorm',
  spellings: [
    { name: 'batchnorm' }, { name: 'bn' },
    { name: 'batchnorm1d', rank: 1 }, { name: 'batchnorm2d', rank: 2 }, { name: 'batchnorm3d', rank: 3 },
  ],
  doc: 'Batch normalisation with running statistics (inference); weight, bias, running_mean, running_var [C].',
  inputs: { min: 1, max: 1 },
  autoName: 'bn',
  args: [{ name: 'eps', type: 'float', default: 1e-5, doc: 'Added to the variance before the square root.' }],
  attrs(args, inputs, ctx) {
    const x = inputs[0] ?? [];
    const want = ctx.spellingRank;
    // BatchNorm1d also takes [N, C]; the others need their exact rank; plain batchnorm any N, C, ...
    const ok = want === undefined ? x.length >= 2 : x.length === want + 2 || (want === 1 && x.length === 2);
    if (!ok) {
      const expected = want === undefined ? 'an input [N, C, ...]' : `a rank-${want + 2} input`;
      ctx.report('NET2004', { op: ctx.spelledAs, expected, got: x.length, shape: shapeText(x) }, { input: 0 });
      return undefined;
    }
    const eps = floatArg(ctx, 'eps', args.eps);
    if (eps === undefined) return undefined;
    if (eps <= 0) return badValue(ctx, 'eps', eps, 'must be positive');
    return { eps };
  },
  call: (a) => ({ callee: 'batchnorm', args: [floatCallArg('eps', a.eps, 1e-5)] }),
  shape: (_a, inputs) => [...inputs[0]!],
  elementwise: true,
  weights(_a, inputs) {
    const c = [inputs[0]![1]!];
    return [
      { role: 'weight', shape: c, trainable: true },
      { role: 'bias', shape: c, trainable: true },
      { role: 'running_mean', shape: c, trainable: false },
      { role: 'running_var', shape: c, trainable: false },
    ];
  },
};

