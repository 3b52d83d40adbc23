/**
 * What the vector max and average pools share (max-pool.ts, avg-pool.ts): the input padded
 * into scratch far enough on the right for ceil mode's last windows, so that every window is
 * a fixed list of taps, and the loops over planes, output rows and groups of four outputs
 * along x. Each pool supplies only how a group of outputs reduces its taps.
 */
import type { PoolAttrs } from '../../ops/attrs.ts';
import type { Expr, FunctionBuilder, Local } from '../module.ts';
import { to3, type Triple } from './axes.ts';
import { padFunction, paddedDims, type PadSpec } from './pad.ts';
import type { KernelContext, Operand } from './types.ts';

/** Windows with more taps than this are not unrolled (pool.ts's scalar kernel takes them). */
const MAX_TAPS = 64;

export interface VectorPoolPlan {
  planes: number;
  padDims: Triple;
  outSp: Triple;
  kernel: Triple;
  stride: Triple;
  dilation: Triple;
  /** Flat offsets of the taps of a window from its first element, in the padded input. */
  taps: number[];
  /** Address the kernel reads: the padded copy in scratch, or the input itself. */
  src: number;
  /** The padding call, when the input needs padding. */
  stmts: Expr[];
}

/** The padded input and the taps of a pool; undefined when its window is too large to unroll. */
export function planVectorPool(ctx: KernelContext, attrs: PoolAttrs, x: Operand, output: Operand, fill?: number): VectorPoolPlan | undefined {
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const K = to3(attrs.kernel, 1);
  const S = to3(attrs.stride, 1);
  const P = to3(attrs.pad, 0);
  const D = to3(attrs.dilation, 1);
  if (K[0] * K[1] * K[2] > MAX_TAPS) return undefined;
  const planes = x.shape[0]! * x.shape[1]!;
  // Right padding: enough for the last window, at least the left padding.
  const end = [0, 1, 2].map((a) => Math.max(0, (outSp[a]! - 1) * S[a]! + (K[a]! - 1) * D[a]! + 1 - inSp[a]! - P[a]!)) as Triple;
  const pad: PadSpec = fill === undefined ? { planes, dims: inSp, begin: P, end } : { planes, dims: inSp, begin: P, end, fill };
  const padDims = paddedDims(pad) as Triple;
  const [, PH, PW] = padDims;
  const taps: number[] = [];
  for (let a = 0; a < K[0]; a++) for (let b = 0; b < K[1]; b++) for (let c = 0; c < K[2]; c++) taps.push((a * D[0] * PH + b * D[1]) * PW + c * D[2]);
  const stmts: Expr[] = [];
  let src = x.ptr;
  if (P.some((p) => p > 0) || end.some((e) => e > 0)) {
    src = ctx.scratch(planes * padDims[0] * PH * PW * 4);
    stmts.push(ctx.m.call(padFunction(ctx, pad), [ctx.m.i32.c(x.ptr), ctx.m.i32.c(src)]));
  }
  return { planes, padDims, outSp, kernel: K, stride: S, dilation: D, taps, src, stmts };
}

/**
 * The loops of a vector pool kernel: per plane (after `planeStart`), per output row, `block(true)`
 * for each group of four outputs along x and `block(false)` for each of the rest. When a
 * block runs, `row` holds the byte address of the row's first window and `ox` the output x.
 */
export function vectorPoolLoops(
  ctx: KernelContext, f: FunctionBuilder, plan: VectorPoolPlan, xs: Local,
  locals: { row: Local; ox: Local }, block: (wide: boolean) => Expr[], planeStart: Expr[] = [],
): Expr[] {
  const i32 = ctx.m.i32;
  const [PD, PH, PW] = plan.padDims;
  const [OD, OH, OW] = plan.outSp;
  const S = plan.stride;
  const plane = f.local('i32');
  const oz = f.local('i32');
  const oy = f.local('i32');
  const ow4 = OW - (OW % 4);
  return [
    f.for(plane, 0, plan.planes, 1, [
      ...planeStart,
      f.for(oz, 0, OD, 1, [
        f.for(oy, 0, OH, 1, [
          f.set(locals.row, i32.add(f.get(xs), i32.shl(i32.add(i32.mul(f.get(plane), i32.c(PD * PH * PW)), i32.add(i32.mul(f.get(oz), i32.c(S[0] * PH * PW)), i32.mul(f.get(oy), i32.c(S[1] * PW)))), i32.c(2)))),
          f.for(locals.ox, 0, ow4, 4, block(true)),
          f.for(locals.ox, ow4, OW, 1, block(false)),
        ]),
      ]),
    ]),
  ];
}
