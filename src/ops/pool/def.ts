/**
 * Pooling: `maxpool`, `avgpool` (torch.nn.functional.max_pool / avg_pool), their adaptive
 * forms and `global_avgpool` / `global_maxpool` (adaptive with output size 1).
 *
 * Output size, with the effective window e = dilation*(k-1) + 1:
 *   floor mode: floor((in + 2*pad - e) / stride) + 1
 *   ceil mode:  ceil((in + 2*pad - e) / stride) + 1, minus one when the last window would
 *               start past the input and its left padding ((out-1)*stride >= in + pad).
 * The ceil-mode rule has a closed form, used so that symbolic sizes stay exact:
 *   out - 1 = min(ceil((in + 2*pad - e)/stride), floor((in + pad - 1)/stride)), and since
 *   ceil(X/s) = floor((in + pad - 1 + s - (e - pad))/s) the minimum is the second term
 *   exactly when stride >= e - pad.
 */
import { dimAdd, dimCeilDiv, dimConst, dimFloorDiv, type Dim } from '../../ir/dim/dim.ts';
import type { AdaptivePoolAttrs, PoolAttrs, Rank } from '../attrs.ts';
import { fitHelp, fitPad } from '../conv/def.ts';
import {
  boolArg, checkSizes, perAxisInts, perAxisText, spatialRank, windowLabel,
} from '../def-helpers.ts';
import { boolArg as boolCallArg, intsArg, type CallArg, type OpCall } from '../call.ts';
import type { ArgSpec, OpContext, OpDef, ScalarValue } from '../types.ts';

export function poolOutSize(input: Dim, k: number, stride: number, pad: number, dilation: number, ceil: boolean): Dim {
  const span = dilation * (k - 1) + 1;
  if (!ceil) return dimAdd(dimFloorDiv(dimAdd(input, 2 * pad - span), stride), 1);
  if (stride >= span - pad) return dimAdd(dimFloorDiv(dimAdd(input, pad - 1), stride), 1);
  return dimAdd(dimCeilDiv(dimAdd(input, 2 * pad - span), stride), 1);
}

const windowArgs: ArgSpec[] = [
  { name: 'k', aliases: ['kernel_size'], type: 'ints', doc: 'Window size, per axis or one for all.' },
  { name: 'stride', type: 'ints', optional: true, doc: 'Step between windows; defaults to the window size.' },
  { name: 'pad', aliases: ['padding'], type: 'ints', default: 0, doc: 'Implicit padding per side, at most half the window.' },
];

function windowAttrs(
  args: Record<string, ScalarValue | undefined>, inputs: Dim[][], ctx: OpContext, max: boolean,
): PoolAttrs | undefined {
  const rank = spatialRank(inputs[0], ctx);
  if (rank === undefined) return undefined;
  const kernel = perAxisInts(ctx, 'k', args.k, rank, { min: 1, reason: 'the window must cover at least one element' });
  const stride = args.stride === undefined ? kernel : perAxisInts(ctx, 'stride', args.stride, rank, { min: 1, reason: 'the stride must be at least 1' });
  const pad = perAxisInts(ctx, 'pad', args.pad, rank, { min: 0, reason: 'padding cannot be negative' });
  const dilation = max
    ? perAxisInts(ctx, 'dilation', args.dilation, rank, { min: 1, reason: 'the dilation must be at least 1' })
    : new Array<number>(rank).fill(1);
  const ceil = boolArg(ctx, 'ceil', args.ceil);
  const countIncludePad = max ? false : boolArg(ctx, 'count_include_pad', args.count_include_pad);
  if (!kernel || !stride || !pad || !dilation || ceil === undefined || countIncludePad === undefined) return undefined;
  for (let i = 0; i < rank; i++) {
    const half = Math.floor(kernel[i]! / 2);
    if (pad[i]! > half) {
      const most = kernel.map((k, j) => Math.min(pad[j]!, Math.floor(k / 2)));
      ctx.report('NET2008', { pad: pad[i]!, k: kernel[i]! }, {
        at: 'pad', help: `with k=${kernel[i]} the padding can be at most ${half}`, setArg: { name: 'pad', value: perAxisText(most), guess: true },
      });
      return undefined;
    }
  }
  return { rank, kernel, stride: [...stride], pad, dilation, ceil, countIncludePad };
}

function windowShape(a: PoolAttrs, inputs: Dim[][], ctx: OpContext): Dim[] | undefined {
  const x = inputs[0]!;
  const spatial = a.kernel.map((k, i) => poolOutSize(x[i + 2]!, k, a.stride[i]!, a.pad[i]!, a.dilation[i]!, a.ceil));
  const span = (i: number) => a.dilation[i]! * (a.kernel[i]! - 1) + 1;
  const fit = () => fitPad(x.slice(2), a.kernel.map((_, i) => span(i)), a.pad, a.pad, (i) => Math.floor(a.kernel[i]! / 2));
  if (!checkSizes(ctx, spatial, (i) => fitHelp(x[i + 2]!, span(i), Math.floor(a.kernel[i]! / 2)), fit)) return undefined;
  return [x[0]!, x[1]!, ...spatial];
}

/** The call for a max or average pool's attributes. */
function windowCall(callee: 'maxpool' | 'avgpool', a: PoolAttrs): OpCall {
  const args: CallArg[] = [{ name: 'k', value: { type: 'ints', v: a.kernel } }];
  args.push({ name: 'stride', value: { type: 'ints', v: a.stride }, dflt: { type: 'ints', v: a.kernel } });
  args.push(intsArg('pad', a.pad, 0));
  if (callee === 'maxpool') args.push(intsArg('dilation', a.dilation, 1));
  args.push(boolCallArg('ceil', a.ceil, false));
  if (callee === 'avgpool') args.push(boolCallArg('count_include_pad', a.countIncludePad, true));
  return { callee, args };
}

/** `global_avgpool` for output size 1, else `adaptive_avgpool(size=...)` (and the max forms). */
function adaptiveCall(callee: 'adaptive_avgpool' | 'adaptive_maxpool', a: AdaptivePoolAttrs): OpCall {
  if (a.size.every((s) => s === 1)) return { callee: callee.replace('adaptive_', 'global_'), args: [] };
  return { callee, args: [{ name: 'size', value: { type: 'ints', v: a.size } }] };
}

const rankedSpellings = (base: string) => [
  { name: base }, { name: `${base}1d`, rank: 1 as Rank }, { name: `${base}2d`, rank: 2 as Rank }, { name: `${base}3d`, rank: 3 as Rank },
];

export const maxpoolDef: Omit<OpDef<'maxpool'>, 'interp'> = {
  name: 'maxpool',
  spellings: rankedSpellings('maxpool'),
  doc: 'Max pooling over 1 to 3 spatial axes (torch.nn.MaxPool1d/2d/3d); padding acts as -inf.',
  inputs: { min: 1, max: 1 },
  args: [
    ...windowArgs,
    { name: 'dilation', type: 'ints', default: 1, doc: 'Spacing between window elements.' },
    { name: 'ceil', aliases: ['ceil_mode'], type: 'bool', default: false, doc: 'Round the output size up (keeping the last window inside the input or left padding).' },
  ],
  attrs: (args, inputs, ctx) => windowAttrs(args, inputs, ctx, true),
  call: (a) => windowCall('maxpool', a),
  label: (a) => windowLabel({ kernel: a.kernel, stride: a.stride }),
  shape: windowShape,
};

export const avgpoolDef: Omit<OpDef<'avgpool'>, 'interp'> = {
  name: 'avgpool',
  spellings: rankedSpellings('avgpool'),
  doc: 'Average pooling over 1 to 3 spatial axes (torch.nn.AvgPool1d/2d/3d).',
  inputs: { min: 1, max: 1 },
  args: [
    ...windowArgs,
    { name: 'ceil', aliases: ['ceil_mode'], type: 'bool', default: false, doc: 'Round the output size up (keeping the last window inside the input or left padding).' },
    { name: 'count_include_pad', type: 'bool', default: true, doc: 'Count padding elements in the divisor.' },
  ],
  attrs: (args, inputs, ctx) => windowAttrs(args, inputs, ctx, false),
  call: (a) => windowCall('avgpool', a),
  label: (a) => windowLabel({ kernel: a.kernel, stride: a.stride }),
  shape: windowShape,
};

function adaptiveAttrs(args: Record<string, ScalarValue | undefined>, inputs: Dim[][], ctx: OpContext): AdaptivePoolAttrs | undefined {
  const rank = spatialRank(inputs[0], ctx);
  if (rank === undefined) return undefined;
  if (ctx.spelledAs.startsWith('global_')) return { rank, size: new Array<number>(rank).fill(1) };
  if (args.size === undefined) {
    ctx.report('NET2009', { arg: 'size', value: 'nothing', reason: 'adaptive pooling needs an output size' }, { help: `write ${ctx.spelledAs}(size=1), or global_${ctx.spelledAs.replace(/^adaptive_/, '').replace(/\dd$/, '')}` });
    return undefined;
  }
  const size = perAxisInts(ctx, 'size', args.size, rank, { min: 1, reason: 'the output size must be at least 1' });
  return size && { rank, size };
}

function adaptiveShape(a: AdaptivePoolAttrs, inputs: Dim[][]): Dim[] {
  const x = inputs[0]!;
  return [x[0]!, x[1]!, ...a.size.map(dimConst)];
}

const adaptiveArgs: ArgSpec[] = [
  { name: 'size', aliases: ['output_size'], type: 'ints', optional: true, doc: 'Output size per spatial axis (global_* spellings: 1).' },
];

export const adaptiveAvgpoolDef: Omit<OpDef<'adaptive_avgpool'>, 'interp'> = {
  name: 'adaptive_avgpool',
  spellings: [...rankedSpellings('adaptive_avgpool'), { name: 'global_avgpool' }],
  doc: 'Adaptive average pooling to a given output size; window i covers [floor(i*I/O), ceil((i+1)*I/O)).',
  inputs: { min: 1, max: 1 },
  args: adaptiveArgs,
  attrs: adaptiveAttrs,
  call: (a) => adaptiveCall('adaptive_avgpool', a),
  shape: adaptiveShape,
};

export const adaptiveMaxpoolDef: Omit<OpDef<'adaptive_maxpool'>, 'interp'> = {
  name: 'adaptive_maxpool',
  spellings: [...rankedSpellings('adaptive_maxpool'), { name: 'global_maxpool' }],
  doc: 'Adaptive max pooling to a given output size; window i covers [floor(i*I/O), ceil((i+1)*I/O)).',
  inputs: { min: 1, max: 1 },
  args: adaptiveArgs,
  attrs: adaptiveAttrs,
  call: (a) => adaptiveCall('adaptive_maxpool', a),
  shape: adaptiveShape,
};
