/**
 * Lowering of `conv` nodes: normalise to three spatial axes, pad into scratch when needed,
 * then call a fast path if one takes the case (conv-paths.ts), else the direct kernel.
 */
import type { ConvAttrs } from '../../ops/attrs.ts';
import { numel } from '../../ir/tensor.ts';
import type { Expr } from '../module.ts';
import { fastConvPaths } from './conv-paths.ts';
import { to3 } from './axes.ts';
import { depthwiseConvFunction, depthwiseScratchBytes, depthwiseSpec } from './depthwise-conv.ts';
import { directConvFunction, type ConvSpec } from './direct-conv.ts';
import { padFunction, paddedDims, type PadSpec } from './pad.ts';
import type { Epilogue } from '../../ir/graph.ts';
import { epilogueFormula } from '../../ops/activations.ts';
import type { LowerArgs } from './types.ts';

export function lowerConv({ attrs, inputs, output, params, ctx }: LowerArgs<ConvAttrs & { epilogue?: Epilogue }>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const ep = attrs.epilogue;
  // The residual operand is the node's last input (ir/annotations.ts).
  const residual = ep?.residual && inputs.length > 1 ? inputs[inputs.length - 1] : undefined;
  const [N, C] = x.shape as [number, number];
  const Cout = output.shape[1]!;
  const dims = to3(x.shape.slice(2), 1);
  const pad: PadSpec = { planes: N * C, dims, begin: to3(attrs.padBegin, 0), end: to3(attrs.padEnd, 0) };
  const spec: ConvSpec = {
    N,
    C,
    Cout,
    groups: attrs.groups,
    inDims: paddedDims(pad),
    outDims: to3(output.shape.slice(2), 1),
    kernel: to3(attrs.kernel, 1),
    stride: to3(attrs.stride, 1),
    dilation: to3(attrs.dilation, 1),
    activation: epilogueFormula(ep),
    residual: residual !== undefined,
    outBatchStride: output.batchStride,
  };
  const weight = params['weight']!;
  const bias = params['bias']?.data ?? new Float32Array(Cout);

  // Depthwise convs pad each channel into a small scratch plane of their own (depthwise-conv.ts).
  // Constants are placed in the direct kernel's order (weight, bias): its layout [C, 1, k...]
  // is already the one the depthwise kernel reads.
  const dw = ctx.fastPaths === false ? undefined : depthwiseSpec(spec, dims, pad.begin, pad.end);
  if (dw) {
    ctx.explain?.(`depthwise kernel (stride ${dw.stride}, ${dw.kH}x${dw.kW}): one channel at a time from a padded scratch plane, weights in registers`);
    const fn = depthwiseConvFunction(ctx, dw);
    const args = [x.ptr, ctx.constant(weight.data), ctx.constant(bias), output.ptr, residual?.ptr ?? 0, ctx.scratch(depthwiseScratchBytes(dw))];
    return [m.call(fn, args.map((a) => m.i32.c(a)))];
  }

  const stmts: Expr[] = [];
  let xPtr = x.ptr;
  const padded = pad.begin.some((p) => p > 0) || pad.end.some((p) => p > 0);
  if (padded) {
    xPtr = ctx.scratch(N * C * numel(spec.inDims) * 4);
    stmts.push(m.call(padFunction(ctx, pad), [m.i32.c(x.ptr), m.i32.c(xPtr)]));
  }
  for (const path of ctx.fastPaths === false ? [] : fastConvPaths) {
    const fast = path(ctx, spec, { x: xPtr, out: output.ptr, residual: residual?.ptr ?? 0, weight: weight.data, bias });
    if (fast) return [...stmts, ...fast];
  }
  const fn = directConvFunction(ctx, spec);
  stmts.push(m.call(fn, [m.i32.c(xPtr), m.i32.c(ctx.constant(weight.data)), m.i32.c(ctx.constant(bias)), m.i32.c(output.ptr), m.i32.c(residual?.ptr ?? 0)]));
  return stmts;
}
