/**
 * Convolution (`conv`, `conv1d`, `conv2d`, `conv3d`), as torch.nn.functional.conv{1,2,3}d.
 * out = floor((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1 per spatial axis;
 * `pad="same"` (stride 1 only) pads dilation*(k-1) in total, the odd one at the end.
 */
import {
  constValue, dimAdd, dimConst, dimExactDiv, dimFloorDiv, dimMul, dimToString, type Dim,
} from '../../ir/dim/dim.ts';
import type { Rank } from '../attrs.ts';
import {
  badValue, boolArg, checkSizes, windowLabel, intArg, perAxisInts, perAxisText, product, scaleFirstAxis, spatialRank,
} from '../def-helpers.ts';
import { boolArg as boolCallArg, CallProblem, intArg as intCallArg, intsArg, type CallArg } from '../call.ts';
import type { OpContext, OpDef, ScalarValue, SetArg } from '../types.ts';

/** floor((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1 */
export function convOutSize(input: Dim, k: number, stride: number, padBegin: number, padEnd: number, dilation: number): Dim {
  const span = dilation * (k - 1) + 1;
  return dimAdd(dimFloorDiv(dimAdd(input, padBegin + padEnd - span), stride), 1);
}

/** The symmetric padding that keeps the size at stride 1, when there is one (odd windows). */
export function padToKeepSize(k: number, dilation: number): number | undefined {
  const total = dilation * (k - 1);
  return total % 2 === 0 ? total / 2 : undefined;
}

/** Normalise `pad`: an int, a per-axis tuple, "same" or "valid". */
export function convPadding(
  ctx: OpContext, v: ScalarValue | undefined, rank: Rank, kernel: number[], dilation: number[], stride: number[],
): { padBegin: number[]; padEnd: number[] } | undefined {
  if (v === 'valid') return { padBegin: new Array<number>(rank).fill(0), padEnd: new Array<number>(rank).fill(0) };
  if (v === 'same') {
    const s = stride.find((x) => x !== 1);
    if (s !== undefined) {
      ctx.report('NET2011', { stride: s }, { at: 'pad', help: 'give the padding as a number, or use stride=1' });
      return undefined;
    }
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    const padBegin = total.map((t) => Math.floor(t / 2));
    return { padBegin, padEnd: total.map((t, i) => t - padBegin[i]!) };
  }
  if (typeof v === 'string') return badValue(ctx, 'pad', v, 'expected a number, a tuple, "same" or "valid"');
  const pad = perAxisInts(ctx, 'pad', v, rank, { min: 0, reason: 'padding cannot be negative' });
  return pad && { padBegin: pad, padEnd: [...pad] };
}

/**
 * Help for a window that does not fit the input: the padding that makes it fit, when one is
 * allowed (pools accept at most half the window), else a smaller window.
 */
/**
 * The padding per axis that makes every window fit (`pad=2`), keeping the padding of axes
 * that already fit; undefined when a size is symbolic, a pad would exceed `maxPad`, or the
 * padding is not the same on both ends.
 */
export function fitPad(
  inputs: readonly Dim[], spans: readonly number[], padBegin: readonly number[], padEnd: readonly number[], maxPad: (axis: number) => number = () => Number.POSITIVE_INFINITY,
): SetArg | undefined {
  const pads: number[] = [];
  for (let i = 0; i < spans.length; i++) {
    const n = constValue(inputs[i]!);
    if (n === undefined || padBegin[i] !== padEnd[i]) return undefined;
    const p = Math.max(padBegin[i]!, Math.ceil((spans[i]! - n) / 2));
    if (p > maxPad(i)) return undefined;
    pads.push(p);
  }
  return { name: 'pad', value: perAxisText(pads) };
}

export function fitHelp(input: Dim, span: number, maxPad: number = Number.POSITIVE_INFINITY): string | undefined {
  const n = constValue(input);
  if (n === undefined) return `the window spans ${span} elements`;
  const pad = Math.ceil((span - n) / 2);
  return pad <= maxPad
    ? `the input is ${n} wide and the window spans ${span}; pad=${pad} makes it fit`
    : `the input is ${n} wide and the window spans ${span}; use a smaller window`;
}

export const convDef: Omit<OpDef<'conv'>, 'interp'> = {
  name: 'conv',
  spellings: [{ name: 'conv' }, { name: 'conv1d', rank: 1 }, { name: 'conv2d', rank: 2 }, { name: 'conv3d', rank: 3 }],
  doc: 'Convolution over 1 to 3 spatial axes (torch.nn.Conv1d/2d/3d); weight [out, in/groups, k...].',
  inputs: { min: 1, max: 1 },
  autoName: 'conv',
  args: [
    { name: 'channels', aliases: ['out_channels', 'out'], type: 'int', doc: 'Output channels.' },
    { name: 'k', aliases: ['kernel_size'], type: 'ints', doc: 'Window size, per axis or one for all.' },
    { name: 'stride', type: 'ints', default: 1, doc: 'Step between windows.' },
    { name: 'pad', aliases: ['padding'], type: 'pad', default: 0, doc: 'Zero padding per side, or "same" / "valid".' },
    { name: 'dilation', type: 'ints', default: 1, doc: 'Spacing between window elements.' },
    { name: 'groups', type: 'int', default: 1, doc: 'Channel groups; in and out channels must be multiples.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Add a learned bias per output channel.' },
  ],
  attrs(args, inputs, ctx) {
    const rank = spatialRank(inputs[0], ctx);
    if (rank === undefined) return undefined;
    const outChannels = intArg(ctx, 'channels', args.channels, { min: 1, reason: 'a convolution needs at least one output channel' });
    const kernel = perAxisInts(ctx, 'k', args.k, rank, { min: 1, reason: 'the window must cover at least one element' });
    const stride = perAxisInts(ctx, 'stride', args.stride, rank, { min: 1, reason: 'the stride must be at least 1' });
    const dilation = perAxisInts(ctx, 'dilation', args.dilation, rank, { min: 1, reason: 'the dilation must be at least 1' });
    const groups = intArg(ctx, 'groups', args.groups, { min: 1, reason: 'groups must be at least 1' });
    const bias = boolArg(ctx, 'bias', args.bias);
    if (!outChannels || !kernel || !stride || !dilation || !groups || bias === undefined) return undefined;
    const pad = convPadding(ctx, args.pad, rank, kernel, dilation, stride);
    if (!pad) return undefined;
    if (outChannels % groups !== 0) {
      ctx.report('NET2005', { what: 'out', count: outChannels, groups }, { at: 'groups' });
      return undefined;
    }
    return { rank, outChannels, kernel, stride, ...pad, dilation, groups, bias };
  },
  call(a) {
    const args: CallArg[] = [{ value: { type: 'int', v: a.outChannels } }, { name: 'k', value: { type: 'ints', v: a.kernel } }];
    args.push(intsArg('stride', a.stride, 1));
    if (a.padBegin.every((p, i) => p === a.padEnd[i])) {
      args.push(intsArg('pad', a.padBegin, 0));
    } else {
      // Unequal ends occur in the language only as "same" padding with stride 1.
      const same = a.stride.every((s) => s === 1) && a.kernel.every((k, i) => {
        const total = a.dilation[i]! * (k - 1);
        return a.padBegin[i] === Math.floor(total / 2) && a.padEnd[i] === total - Math.floor(total / 2);
      });
      if (!same) throw new CallProblem(`pads [${a.padBegin.join(', ')}] before and [${a.padEnd.join(', ')}] after, which only pad="same" (stride 1) can say`);
      args.push({ name: 'pad', value: { type: 'string', v: 'same' } });
    }
    args.push(intsArg('dilation', a.dilation, 1));
    args.push(intCallArg('groups', a.groups, 1), boolCallArg('bias', a.bias, true));
    return { callee: 'conv', args };
  },
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    const channels = x[1]!;
    if (!groupsDivide(ctx, channels, a.groups, 'input channels')) return undefined;
    const spatial = a.kernel.map((k, i) => convOutSize(x[i + 2]!, k, a.stride[i]!, a.padBegin[i]!, a.padEnd[i]!, a.dilation[i]!));
    const span = (i: number) => a.dilation[i]! * (a.kernel[i]! - 1) + 1;
    const fit = () => fitPad(x.slice(2), a.kernel.map((_, i) => span(i)), a.padBegin, a.padEnd);
    if (!checkSizes(ctx, spatial, (i) => fitHelp(x[i + 2]!, span(i)), fit)) return undefined;
    return [x[0]!, dimConst(a.outChannels), ...spatial];
  },
  weights(a, inputs) {
    const cin = dimExactDiv(inputs[0]![1]!, a.groups);
    const w = [{ role: 'weight', shape: [dimConst(a.outChannels), cin, ...a.kernel.map(dimConst)], trainable: true }];
    return a.bias ? [...w, { role: 'bias', shape: [dimConst(a.outChannels)], trainable: true }] : w;
  },
  macs(a, inputs, output) {
    return product(output) * (inputs[0]![1]! / a.groups) * product(a.kernel);
  },
  label: windowLabel,
  epilogueHost: true,
  outputChannelWeightAxis: 0,
  // weight [out, in/groups, k...]: output channel o is the first axis.
  scaleOutputChannels: (_a, weight, scale) => scaleFirstAxis(weight, scale),
};

/**
 * Channels divisible by groups: checked on a constant, recorded as a requirement
 * ("C must be divisible by 2") on a symbolic count.
 */
export function groupsDivide(ctx: OpContext, channels: Dim, groups: number, what: string): boolean {
  if (groups === 1) return true;
  const c = constValue(channels);
  const ok = c !== undefined ? c % groups === 0 : ctx.sameDim(dimMul(dimFloorDiv(channels, groups), groups), channels);
  if (!ok) {
    ctx.report('NET2005', { what, count: c ?? dimToString(channels), groups }, {
      at: 'groups', input: 0,
      help: c !== undefined ? `groups must divide ${c}: ${divisors(c).join(', ')}` : undefined,
    });
  }
  return ok;
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= Math.min(n, 100_000) && out.length < 12; i++) if (n % i === 0) out.push(i);
  return out;
}
