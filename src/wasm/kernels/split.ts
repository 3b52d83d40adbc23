/**
 * Work split for threads: a conv or transposed conv lowered as `parts` slices of its output
 * channels, each slice a complete node of its own (its weight rows, bias, output and
 * residual channels) lowered by the operator's ordinary lowering. Threads run different
 * slices at once; nothing here is a kernel of its own, so the split follows whatever the
 * lowerings become.
 *
 * Why output channels: every output value is computed by the same code in the same order
 * as in the unsplit conv (reductions are over input channels and taps, never across output
 * channels), so threaded results are bit-exact. The algorithm choices that depend on the
 * channel count (Winograd's cost model) are made for the whole conv (`ctx.splitOf`); slices
 * are whole multiples of the GEMM micro-kernel's 4 rows, so the blocks of 4 channels are
 * the unsplit conv's blocks. A padded conv's input is padded once, into scratch that the
 * slices share, by all threads (a phase of its own, a slice of the planes each); the slices
 * then see an unpadded conv on the padded input, which is what the conv lowering makes of
 * the padded conv itself. Other scratch is per slice (slices run at once).
 */
import type { Tensor } from '../../ir/tensor.ts';
import { numel } from '../../ir/tensor.ts';
import { nodeMacs, opByName } from '../../ops/registry.ts';
import type { Expr } from '../module.ts';
import { to3 } from './axes.ts';
import { padFunction, type PadSpec } from './pad.ts';
import type { LowerArgs, Lowering, Operand } from './types.ts';

/** Channels per slice are a multiple of this (the GEMM micro-kernel's rows, twice). */
const SLICE_ALIGN = 8;
/** Below this many multiply-adds a conv runs whole on one thread (a barrier costs microseconds). */
const MIN_SPLIT_MACS = 2_000_000;

/** The output-channel ranges of a split into at most `parts` slices, or undefined when it does not pay. */
export function splitRanges(args: LowerArgs<any>, parts: number): [number, number][] | undefined {
  const { node, inputs, output, params } = args;
  if (parts < 2 || opByName(node.op).outputChannelWeightAxis === undefined) return undefined;
  const attrs = args.attrs as { groups?: number; epilogue?: { residual?: boolean } };
  if ((attrs.groups ?? 1) !== 1) return undefined;
  const weight = params['weight'];
  const Cout = output.shape[1]!;
  const N = output.shape[0]!;
  // A residual operand is read with a dense batch stride of all Cout channels: a slice of it
  // is only right for one batch item.
  if (attrs.epilogue?.residual && N > 1) return undefined;
  if (!weight || Cout < 2 * SLICE_ALIGN) return undefined;
  if (nodeMacs(node, [inputs[0]!.shape], output.shape) < MIN_SPLIT_MACS) return undefined;
  const blocks = Math.ceil(Cout / SLICE_ALIGN);
  const n = Math.min(parts, blocks);
  const ranges: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    const from = Math.floor((p * blocks) / n) * SLICE_ALIGN;
    const to = Math.min(Cout, Math.floor(((p + 1) * blocks) / n) * SLICE_ALIGN);
    ranges.push([from, to]);
  }
  return ranges;
}

/** Rows [from, to) of `t` along `axis` (0 for conv weights and biases, 1 for transposed-conv weights). */
function sliceTensor(t: Tensor, axis: number, from: number, to: number): Tensor {
  const outer = numel(t.shape.slice(0, axis));
  const n = t.shape[axis]!;
  const inner = numel(t.shape.slice(axis + 1));
  const data = new Float32Array(outer * (to - from) * inner);
  for (let o = 0; o < outer; o++) data.set(t.data.subarray((o * n + from) * inner, (o * n + to) * inner), o * (to - from) * inner);
  const shape = [...t.shape];
  shape[axis] = to - from;
  return { shape, data };
}

/**
 * A padded conv's padding as `parts` statement lists over slices of the input planes, and
 * the padded input with the conv's attributes for it (no padding); undefined when the conv
 * has no padding.
 */
function padPhase(args: LowerArgs<any>, parts: number): { stmts: Expr[][]; input: Operand; attrs: Record<string, unknown> } | undefined {
  const { node, inputs, ctx } = args;
  const attrs = args.attrs as { padBegin: number[]; padEnd: number[] };
  if (node.op !== 'conv' || ![...attrs.padBegin, ...attrs.padEnd].some((p) => p > 0)) return undefined;
  const m = ctx.m;
  const x = inputs[0]!;
  const [N, C] = x.shape as [number, number];
  const spatial = x.shape.slice(2);
  const padded = spatial.map((d, i) => d + attrs.padBegin[i]! + attrs.padEnd[i]!);
  const planeIn = numel(spatial);
  const planeOut = numel(padded);
  // As the conv lowering pads: N * C planes from the input's address.
  const planes = N * C;
  const at = ctx.scratch(planes * planeOut * 4);
  const stmts: Expr[][] = [];
  for (let p = 0; p < parts; p++) {
    const from = Math.floor((p * planes) / parts);
    const to = Math.floor(((p + 1) * planes) / parts);
    if (to === from) {
      stmts.push([]);
      continue;
    }
    const spec: PadSpec = { planes: to - from, dims: to3(spatial, 1), begin: to3(attrs.padBegin, 0), end: to3(attrs.padEnd, 0) };
    stmts.push([m.call(padFunction(ctx, spec), [m.i32.c(x.ptr + from * planeIn * 4), m.i32.c(at + from * planeOut * 4)])]);
  }
  const zeros = spatial.map(() => 0);
  return { stmts, input: { ptr: at, shape: [N, C, ...padded], batchStride: C * planeOut }, attrs: { ...args.attrs, padBegin: zeros, padEnd: zeros } };
}

/**
 * The phases of the split, each a statement list per slice: the padding (when the conv
 * pads), then the conv's slices in channel order. The first slice reports the kernel
 * choices (`--explain`); the others make the same ones.
 */
export function lowerSplit(lowering: Lowering, args: LowerArgs<any>, ranges: [number, number][]): Expr[][][] {
  const pad = padPhase(args, ranges.length);
  const convs = lowerSlices(lowering, pad ? { ...args, attrs: pad.attrs, inputs: [pad.input, ...args.inputs.slice(1)] } : args, ranges);
  return pad ? [pad.stmts, convs] : [convs];
}

function lowerSlices(lowering: Lowering, args: LowerArgs<any>, ranges: [number, number][]): Expr[][] {
  const { node, inputs, output, params, ctx } = args;
  const Cout = output.shape[1]!;
  const plane = numel(output.shape.slice(2));
  const weightAxis = opByName(node.op).outputChannelWeightAxis ?? 0;
  const attrs = args.attrs as { epilogue?: { residual?: boolean } };
  const residualAt = attrs.epilogue?.residual && inputs.length > 1 ? inputs.length - 1 : -1;
  return ranges.map(([from, to], p) => {
    const sliced: typeof params = {};
    for (const [role, t] of Object.entries(params)) sliced[role] = sliceTensor(t, role === 'weight' ? weightAxis : 0, from, to);
    const shape = [output.shape[0]!, to - from, ...output.shape.slice(2)];
    const sub = inputs.map((x, i) => (i === residualAt ? { ptr: x.ptr + from * plane * 4, shape, batchStride: x.batchStride } : x));
    return lowering({
      ...args,
      attrs: { ...args.attrs, outChannels: to - from },
      inputs: sub,
      output: { ptr: output.ptr + from * plane * 4, shape, batchStride: output.batchStride },
      params: sliced,
      ctx: { ...ctx, splitOf: { Cout }, explain: p === 0 ? ctx.explain : undefined },
    });
  });
}
