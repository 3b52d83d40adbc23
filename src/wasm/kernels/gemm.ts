/**
 * The register-blocked matrix-product micro-kernel behind the fast convolutions:
 *
 *   tile[r][p] (+)= sum_k  w[k][r] * panel[k][p]      r < MR rows, p < 4 * NV pixels
 *
 * `panel` is a packed block of input pixels ([k][4 * NV] floats, contiguous) and `w` packed
 * weights ([k][MR] floats, pack.ts). Each k step is NV vector loads, MR load-splats and
 * MR * NV multiply-adds into MR * NV accumulators that stay in registers.
 *
 * Why 4 x 8: measured in this backend on the target machines, 4 rows x 2 vectors (8
 * accumulators) ran at 43 GFLOP/s on L1-resident data, 4 x 3 at 37, 3 x 4 at 35, 6 x 2 at
 * 36. Unrolling the k loop (or unrolling the taps of a 3x3 kernel into it) made V8 spill and
 * fell to 13-20 GFLOP/s, so the loop body is exactly one k step, in a function of its own.
 */
import type { Expr, Local } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import type { Formula } from '../../ops/activation/formula.ts';
import type { KernelContext } from './types.ts';

export const GEMM_MR = 4;
export const GEMM_NV = 2;
/** Pixels per tile. */
export const GEMM_NR = GEMM_NV * 4;

export interface MicroKernelSpec {
  /** Rows computed (always GEMM_MR) and rows stored (fewer on the last block of channels). */
  rows: number;
  /** Start from zero, or add to what the destination holds (later blocks of k). */
  accumulate: boolean;
  /** Apply bias, residual and activation before the store (last block of k, dense output). */
  epilogue: boolean;
  activation?: Formula;
  residual: boolean;
  /** Bytes between destination rows (output channels). */
  dstRowBytes: number;
}

/**
 * The micro-kernel function. Parameters: panel, w, dst, bias, res (byte addresses), k (steps).
 * `bias` points at the bias of the first row; `res` at the residual of the tile's first pixel
 * (same row stride as dst). Without epilogue, bias and res are ignored.
 */
export function microKernelFunction(ctx: KernelContext, s: MicroKernelSpec): string {
  const key = { ...s, activation: activationKey(s.activation) };
  return ctx.fn('gemm_4x8', key, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [panel, w, dst, bias, res, k] = [0, 1, 2, 3, 4, 5].map((i) => f.param(i)) as Local[] as [Local, Local, Local, Local, Local, Local];
    const end = f.local('i32');
    const acc: Local[] = [];
    for (let i = 0; i < GEMM_MR * GEMM_NV; i++) acc.push(f.local('v128'));
    const xv: Local[] = [];
    for (let v = 0; v < GEMM_NV; v++) xv.push(f.local('v128'));
    const wv = f.local('v128');
    const tmp = f.local('v128');
    const at = (r: number, v: number): Local => acc[r * GEMM_NV + v]!;
    const dstOff = (r: number, v: number): number => r * s.dstRowBytes + v * 16;

    const out: Expr[] = [];
    for (let r = 0; r < GEMM_MR; r++) {
      for (let v = 0; v < GEMM_NV; v++) {
        const init = s.accumulate && r < s.rows ? m.v.load(f.get(dst), dstOff(r, v)) : m.v.splatC(0);
        out.push(f.set(at(r, v), init));
      }
    }
    const step: Expr[] = [];
    for (let v = 0; v < GEMM_NV; v++) step.push(f.set(xv[v]!, m.v.load(f.get(panel), v * 16)));
    for (let r = 0; r < GEMM_MR; r++) {
      step.push(f.set(wv, m.v.load32Splat(f.get(w), r * 4)));
      for (let v = 0; v < GEMM_NV; v++) {
        step.push(f.set(at(r, v), m.v.madd(f.get(wv), f.get(xv[v]!), f.get(at(r, v)))));
      }
    }
    step.push(f.inc(panel, GEMM_NR * 4), f.inc(w, GEMM_MR * 4));
    out.push(
      f.set(end, i32.add(f.get(panel), i32.shl(f.get(k), i32.c(5)))),
      m.doWhile(step, i32.ne(f.get(panel), f.get(end))),
    );
    for (let r = 0; r < s.rows; r++) {
      if (s.epilogue) out.push(f.set(wv, m.v.load32Splat(f.get(bias), r * 4)));
      for (let v = 0; v < GEMM_NV; v++) {
        const a = at(r, v);
        if (s.epilogue) {
          out.push(f.set(a, m.v.add(f.get(a), f.get(wv))));
          if (s.residual) out.push(f.set(a, m.v.add(f.get(a), m.v.load(f.get(res), dstOff(r, v)))));
          if (s.activation) {
            out.push(f.set(tmp, applyActivation(m, f, a, s.activation, (h) => ctx.helper(h))));
            out.push(m.v.store(f.get(dst), f.get(tmp), dstOff(r, v)));
            continue;
          }
        }
        out.push(m.v.store(f.get(dst), f.get(a), dstOff(r, v)));
      }
    }
    return out;
  });
}
