/**
 * Faster convolution kernels tried before the direct one. A path gets the normalised conv
 * (input already zero-padded at `x`) and returns the statements of `run()` that compute it,
 * or undefined when it does not handle the case. It packs the weights it needs itself with
 * `ctx.constant` and may use `ctx.scratch`.
 */
import type { Expr } from './module.ts';
import type { ConvSpec } from './kernels/direct-conv.ts';
import type { KernelContext } from './kernels/types.ts';
import { gemmConvPath } from './kernels/conv-fast.ts';

export interface ConvOperands {
  /** Byte address of the (padded) input [N, C, inDims]. */
  x: number;
  /** Byte address of the output; batch stride is `spec.outBatchStride` elements. */
  out: number;
  /** Byte address of the residual [N, Cout, outDims] when `spec.residual`, else 0. */
  residual: number;
  /** PyTorch layout [Cout, C/groups, kD, kH, kW]. */
  weight: Float32Array;
  /** [Cout], zeros when the layer has no bias. */
  bias: Float32Array;
}

export type ConvFastPath = (ctx: KernelContext, spec: ConvSpec, ops: ConvOperands) => Expr[] | undefined;

export const fastConvPaths: ConvFastPath[] = [gemmConvPath];
