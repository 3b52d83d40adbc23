/**
 * Transposed convolution (`conv_transpose`, `conv_transpose1d/2d/3d`), as
 * torch.nn.functional.conv_transpose{1,2,3}d:
 * out = (in - 1)*stride - 2*pad + dilation*(k-1) + output_pad + 1, with
 * output_pad < max(stride, dilation). Weight [in, out/groups, k...].
 */
import {
  compareDims, constValue, dimAdd, dimConst, dimMul, dimToString, type Dim, type Requirement,
} from '../../ir/dim/dim.ts';
import type { ConvTransposeAttrs } from '../attrs.ts';
import { groupsDivide } from '../conv/def.ts';
import {
  boolArg, checkSizes, windowLabel, intArg, perAxisInts, perAxisText, product, spatialRank,
} from '../def-helpers.ts';
import { boolArg as boolCallArg, intArg as intCallArg, intsArg, type CallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

type SizeAttrs = Pick<ConvTransposeAttrs, 'kernel' | 'stride' | 'pad' | 'dilation'>;

/** (in - 1)*stride - 2*pad + dilation*(k-1) + outputPad + 1 on spatial axis `axis`. */
export function convTransposeOutSize(input: Dim, a: SizeAttrs, axis: number, outputPad: number): Dim {
  const k = a.kernel[axis]!;
  const s = a.stride[axis]!;
  const constant = -s - 2 * a.pad[axis]! + a.dilation[axis]! * (k - 1) + outputPad + 1;
  return dimAdd(dimMul(input, s), constant);
}

/**
 * The output_pad per spatial axis that makes the output `target` (for a help line such as
 * "output_pad=1 gives 56"), with the divisibility it needs when sizes are symbolic.
 * Undefined when no allowed output_pad (0 <= op < max(stride, dilation)) gives the target.
 */
export function outputPaddingFor(
  input: readonly Dim[], target: readonly Dim[], a: SizeAttrs,
): { outputPad: number[]; requirements: Requirement[] } | undefined {
  const outputPad: number[] = [];
  const requirements: Requirement[] = [];
  for (let axis = 0; axis < a.kernel.length; axis++) {
    const limit = Math.max(a.stride[axis]!, a.dilation[axis]!);
    let found: { op: number; reqs: Requirement[] } | undefined;
    for (let op = 0; op < limit && found?.reqs.length !== 0; op++) {
      const r = compareDims(convTransposeOutSize(input[axis]!, a, axis, op), target[axis]!);
      if (r.kind === 'equal') found = { op, reqs: [] };
      else if (r.kind === 'requires' && !found) found = { op, reqs: r.requirements };
    }
    if (!found) return undefined;
    outputPad.push(found.op);
    requirements.push(...found.reqs);
  }
  return { outputPad, requirements };
}

export const convTransposeDef: Omit<OpDef<'conv_transpose'>, 'interp'> = {
  name: 'conv_transpose',
  spellings: [
    { name: 'conv_transpose' }, { name: 'conv_transpose1d', rank: 1 },
    { name: 'conv_transpose2d', rank: 2 }, { name: 'conv_transpose3d', rank: 3 },
  ],
  doc: 'Transposed convolution (torch.nn.ConvTranspose1d/2d/3d); weight [in, out/groups, k...].',
  inputs: { min: 1, max: 1 },
  autoName: 'convT',
  args: [
    { name: 'channels', aliases: ['out_channels', 'out'], type: 'int', doc: 'Output channels.' },
    { name: 'k', aliases: ['kernel_size'], type: 'ints', doc: 'Window size, per axis or one for all.' },
    { name: 'stride', type: 'ints', default: 1, doc: 'Upsampling step.' },
    { name: 'pad', aliases: ['padding'], type: 'ints', default: 0, doc: 'Removed from both sides of the output: dilation*(k-1) - pad zero padding of the input.' },
    { name: 'output_pad', aliases: ['output_padding'], type: 'ints', default: 0, doc: 'Extra size on the far side; below max(stride, dilation).' },
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
    const pad = perAxisInts(ctx, 'pad', args.pad, rank, { min: 0, reason: 'padding cannot be negative' });
    const outputPad = perAxisInts(ctx, 'output_pad', args.output_pad, rank, { min: 0, reason: 'output padding cannot be negative' });
    const dilation = perAxisInts(ctx, 'dilation', args.dilation, rank, { min: 1, reason: 'the dilation must be at least 1' });
    const groups = intArg(ctx, 'groups', args.groups, { min: 1, reason: 'groups must be at least 1' });
    const bias = boolArg(ctx, 'bias', args.bias);
    if (!outChannels || !kernel || !stride || !pad || !outputPad || !dilation || !groups || bias === undefined) return undefined;
    for (let i = 0; i < rank; i++) {
      const max = Math.max(stride[i]!, dilation[i]!);
      if (outputPad[i]! >= max) {
        const most = outputPad.map((op, j) => Math.min(op, Math.max(stride[j]!, dilation[j]!) - 1));
        ctx.report('NET2007', { value: outputPad[i]!, max }, {
          at: 'output_pad', help: `use output_pad=${max - 1} or less, or a larger stride`, setArg: { name: 'output_pad', value: perAxisText(most), guess: true },
        });
        return undefined;
      }
    }
    if (outChannels % groups !== 0) {
      ctx.report('NET2005', { what: 'out', count: outChannels, groups }, { at: 'groups' });
      return undefined;
    }
    return { rank, outChannels, kernel, stride, pad, outputPad, dilation, groups, bias };
  },
  call(a) {
    const args: CallArg[] = [{ value: { type: 'int', v: a.outChannels } }, { name: 'k', value: { type: 'ints', v: a.kernel } }];
    args.push(intsArg('stride', a.stride, 1), intsArg('pad', a.pad, 0), intsArg('output_pad', a.outputPad, 0), intsArg('dilation', a.dilation, 1));
    args.push(intCallArg('groups', a.groups, 1), boolCallArg('bias', a.bias, true));
    return { callee: 'conv_transpose', args };
  },
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    if (!groupsDivide(ctx, x[1]!, a.groups, 'input channels')) return undefined;
    const spatial = a.kernel.map((_, i) => convTransposeOutSize(x[i + 2]!, a, i, a.outputPad[i]!));
    const help = (i: number): string | undefined => {
      const at0 = constValue(convTransposeOutSize(x[i + 2]!, a, i, a.outputPad[i]!));
      return at0 === undefined ? `the output size is ${dimToString(spatial[i]!)}` : `pad=${a.pad[i]} removes ${2 * a.pad[i]!} of the ${at0 + 2 * a.pad[i]!} output elements; use a smaller pad`;
    };
    if (!checkSizes(ctx, spatial, help)) return undefined;
    return [x[0]!, dimConst(a.outChannels), ...spatial];
  },
  weights(a, inputs) {
    const w = [{ role: 'weight', shape: [inputs[0]![1]!, dimConst(a.outChannels / a.groups), ...a.kernel.map(dimConst)], trainable: true }];
    return a.bias ? [...w, { role: 'bias', shape: [dimConst(a.outChannels)], trainable: true }] : w;
  },
  macs(a, inputs, _output) {
    return product(inputs[0]!) * (a.outChannels / a.groups) * product(a.kernel);
  },
  label: windowLabel,
  epilogueHost: true,
  outputChannelWeightAxis: 1,
  scaleOutputChannels(a, weight, scale) {
    // weight [in, out/groups, k...]: output channel o = g * (out/groups) + j, j the second axis.
    const w = weight.data;
    const cin = weight.shape[0]!;
    const perGroupOut = weight.shape[1]!;
    const k = w.length / (cin * perGroupOut);
    const inPerGroup = cin / a.groups;
    const data = new Float32Array(w.length);
    for (let i = 0; i < cin; i++) {
      const g = Math.floor(i / inPerGroup);
      for (let j = 0; j < perGroupOut; j++) {
        const s = scale[g * perGroupOut + j]!;
        const base = (i * perGroupOut + j) * k;
        for (let e = 0; e < k; e++) data[base + e] = w[base + e]! * s;
      }
    }
    return data;
  },
};
