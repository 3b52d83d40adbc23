/**
 * Direct convolution, the fallback that handles every case: 1d/2d/3d (always as 3 spatial
 * axes, missing ones of size 1), any stride, dilation and groups (depthwise included).
 *
 * Vectorised over output x and blocked over output channels: 8 neighbouring outputs of 4
 * output channels in 8 f32x4 accumulators (1 channel when groups do not split by 4), the
 * weight tap splatted. Stride 1 reads inputs with one v128 load,
 * larger strides gather lanes. The input is pre-padded (pad.ts) so the loops have no bounds
 * tests. Weights stay in PyTorch layout [C_out, C_in/groups, k...], read tap by tap.
 *
 * Epilogue before the store: bias (accumulator start), residual add, activation; the output
 * may sit in a view (batch stride of a larger concat buffer).
 */
import type { Expr, FunctionBuilder, Local } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import { loadStrided } from './gather.ts';
import type { Formula } from '../../ops/activation/formula.ts';
import type { KernelContext } from './types.ts';

export interface ConvSpec {
  N: number;
  C: number;
  Cout: number;
  groups: number;
  /** Spatial dims of the (already padded) input, 3 axes. */
  inDims: [number, number, number];
  outDims: [number, number, number];
  kernel: [number, number, number];
  stride: [number, number, number];
  dilation: [number, number, number];
  activation?: Formula;
  residual: boolean;
  /** Elements between batch items of the output (C_out * spatial unless in a view). */
  outBatchStride: number;
}

/**
 * The kernel function for a conv shape class. Parameters: x, w, b, out, res (byte addresses;
 * res is ignored without residual).
 */
/** Operands of one conv call, as a fast path receives them. */
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

export function directConvFunction(ctx: KernelContext, s: ConvSpec): string {
  return ctx.fn('conv_direct', { ...s, activation: activationKey(s.activation) }, ['i32', 'i32', 'i32', 'i32', 'i32'], (f) => emitDirectConv(ctx, f, s));
}

function emitDirectConv(ctx: KernelContext, f: FunctionBuilder, s: ConvSpec): Expr[] {
  const m = ctx.m;
  const i32 = m.i32;
  const [ID, IH, IW] = s.inDims;
  const [OD, OH, OW] = s.outDims;
  const [KD, KH, KW] = s.kernel;
  const [sz, sy, sx] = s.stride;
  const [dz, dy, dx] = s.dilation;
  const cig = s.C / s.groups;
  const cog = s.Cout / s.groups;
  const planeIn = ID * IH * IW;
  const planeOut = OD * OH * OW;
  const kvol = KD * KH * KW;

  const [x, w, b, out, res] = [0, 1, 2, 3, 4].map((i) => f.param(i)) as [Local, Local, Local, Local, Local];
  const n = f.local('i32');
  const co = f.local('i32');
  const oz = f.local('i32');
  const oy = f.local('i32');
  const ox = f.local('i32');
  const ci = f.local('i32');
  const kz = f.local('i32');
  const ky = f.local('i32');
  const kx = f.local('i32');
  const xRow = f.local('i32');
  const wCo = f.local('i32');
  const rowOut = f.local('i32');
  const rowRes = f.local('i32');
  const xp = f.local('i32');
  const wp = f.local('i32');
  // Output channels per block: 4 when groups split evenly (each input vector then feeds four
  // channels: 8 accumulators with two vectors), else 1.
  const CB = cog % 4 === 0 ? 4 : 1;
  const accs: Local[][] = Array.from({ length: CB }, () => [f.local('v128'), f.local('v128')]);
  const xv = [f.local('v128'), f.local('v128')];
  const tmp = f.local('v128');
  const c = (k: number): Expr => i32.c(k);
  const mulC = (e: Expr, k: number): Expr => (k === 1 ? e : i32.mul(e, c(k)));
  const wChannel = cig * kvol * 4;

  /** Accumulate over input channels and taps into CB x V vectors (V = 0: one scalar lane). */
  const accumulate = (V: number): Expr[] => {
    const nv = Math.max(V, 1);
    const body: Expr[] = [];
    // One kernel tap per loop iteration, like a GEMM k step: unrolling taps let binaryen
    // merge them into long expression trees whose operands V8 then had to spill (measured:
    // 8 GFLOP/s fully unrolled vs 34 one tap per iteration, 3x3 stride 1).
    const tap: Expr[] = [];
    for (let vi = 0; vi < nv; vi++) {
      const base = vi * 4 * sx * 4;
      tap.push(f.set(xv[vi]!, V === 0 ? m.v.load32Zero(f.get(xp), base) : loadStrided(m, () => f.get(xp), base, sx)));
    }
    for (let j = 0; j < CB; j++) {
      tap.push(f.set(tmp, m.v.load32Splat(f.get(wp), j * wChannel)));
      for (let vi = 0; vi < nv; vi++) tap.push(f.set(accs[j]![vi]!, m.v.madd(f.get(xv[vi]!), f.get(tmp), f.get(accs[j]![vi]!))));
    }
    const perChannel: Expr[] = [
      f.for(kz, 0, KD, 1, [
        f.for(ky, 0, KH, 1, [
          f.for(kx, 0, KW, 1, [...tap, f.inc(xp, dx * 4), f.inc(wp, 4)]),
          f.inc(xp, (dy * IW - KW * dx) * 4),
        ]),
        f.inc(xp, (dz * IH * IW - KH * dy * IW) * 4),
      ]),
      f.inc(xp, (planeIn - KD * dz * IH * IW) * 4),
    ];
    for (let j = 0; j < CB; j++) {
      const biasV = m.v.load32Splat(i32.add(f.get(b), i32.shl(f.get(co), c(2))), j * 4);
      body.push(f.set(accs[j]![0]!, biasV));
      for (let vi = 1; vi < nv; vi++) body.push(f.set(accs[j]![vi]!, f.get(accs[j]![0]!)));
    }
    body.push(
      f.set(xp, i32.add(f.get(xRow), i32.shl(mulC(f.get(ox), sx), c(2)))),
      f.set(wp, f.get(wCo)),
      f.for(ci, 0, cig, 1, perChannel),
    );
    // Epilogue: residual, activation, store.
    for (let j = 0; j < CB; j++) {
      for (let vi = 0; vi < nv; vi++) {
        const a = accs[j]![vi]!;
        const off = vi * 16 + j * planeOut * 4;
        const outAt = i32.add(f.get(rowOut), i32.shl(f.get(ox), c(2)));
        const resAt = i32.add(f.get(rowRes), i32.shl(f.get(ox), c(2)));
        if (s.residual) {
          const r = V === 0 ? m.v.load32Zero(resAt, off) : m.v.load(resAt, off);
          body.push(f.set(a, m.v.add(f.get(a), r)));
        }
        if (s.activation) body.push(f.set(a, applyActivation(m, f, a, s.activation, (h) => ctx.helper(h))));
        body.push(V === 0 ? m.v.store32Lane(outAt, f.get(a), 0, off) : m.v.store(outAt, f.get(a), off));
      }
    }
    return body;
  };

  const ow8 = OW - (OW % 8);
  const ow4 = OW - (OW % 4);
  const rowBody: Expr[] = [
    f.set(rowOut, i32.add(f.get(out), i32.shl(i32.add(i32.add(mulC(f.get(n), s.outBatchStride), mulC(f.get(co), planeOut)), i32.add(mulC(f.get(oz), OH * OW), mulC(f.get(oy), OW))), c(2)))),
    f.set(rowRes, i32.add(f.get(res), i32.shl(i32.add(i32.add(mulC(f.get(n), s.Cout * planeOut), mulC(f.get(co), planeOut)), i32.add(mulC(f.get(oz), OH * OW), mulC(f.get(oy), OW))), c(2)))),
    f.set(xRow, i32.add(f.get(x), i32.shl(i32.add(
      mulC(i32.add(mulC(f.get(n), s.C), mulC(i32.divS(f.get(co), c(cog)), cig)), planeIn),
      i32.add(mulC(f.get(oz), sz * IH * IW), mulC(f.get(oy), sy * IW)),
    ), c(2)))),
    f.for(ox, 0, ow8, 8, accumulate(2)),
  ];
  if (ow4 > ow8) rowBody.push(f.set(ox, c(ow8)), m.block(accumulate(1)));
  if (OW > ow4) rowBody.push(f.for(ox, ow4, OW, 1, accumulate(0)));

  return [
    f.for(n, 0, s.N, 1, [
      f.for(co, 0, s.Cout, CB, [
        f.set(wCo, i32.add(f.get(w), mulC(f.get(co), cig * kvol * 4))),
        f.for(oz, 0, OD, 1, [f.for(oy, 0, OH, 1, rowBody)]),
      ]),
    ]),
  ];
}
