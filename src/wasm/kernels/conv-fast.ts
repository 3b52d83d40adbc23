/**
 * Fast paths for `conv` nodes, tried by lower-conv.ts before the direct kernel (registered
 * in fast-paths.ts). Stride 1 (any kernel, padding, dilation, groups, 1-3 spatial axes) runs
 * as one matrix-product correlation (conv-gemm.ts) over the padded input. Other strides
 * fall through to the direct kernel.
 */
import type { Expr } from '../module.ts';
import type { ConvFastPath, ConvOperands } from '../fast-paths.ts';
import { emitGemmConv, type GemmConvPlan } from './conv-gemm.ts';
import type { ConvSpec } from './direct-conv.ts';
import type { KernelContext } from './types.ts';

/** The correlation plan of a stride-1 conv; undefined for other strides. */
export function stride1Plan(s: ConvSpec): GemmConvPlan | undefined {
  if (s.stride.some((v) => v !== 1)) return undefined;
  return {
    N: s.N,
    C: s.C,
    Cout: s.Cout,
    groups: s.groups,
    inDims: s.inDims,
    xOffset: 0,
    count: s.outDims,
    kernel: s.kernel,
    dilation: s.dilation,
    outDims: s.outDims,
    start: [0, 0, 0],
    step: [1, 1, 1],
    outBatchStride: s.outBatchStride,
    activation: s.activation,
    residual: s.residual,
  };
}

/** The fast path for stride-1 convolutions; undefined when it does not apply. */
export const gemmConvPath: ConvFastPath = (ctx: KernelContext, s: ConvSpec, ops: ConvOperands): Expr[] | undefined => {
  const plan = stride1Plan(s);
  return plan ? emitGemmConv(ctx, plan, ops) : undefined;
};
