/**
 * Lowering of `conv` nodes: normalise to three spatial axes, pad into scratch when needed,
 * then call a fast path if one takes the case (conv-paths.ts), else the direct kernel.
 */
import type { ConvAttrs } from '../../ops/attrs.ts';
import { numel } from '../../ir/tensor.ts';
import type { Expr } from '../module.ts';
import { fastConvPaths } from './conv-paths.ts';
import { to3 } from './axes.ts';
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
