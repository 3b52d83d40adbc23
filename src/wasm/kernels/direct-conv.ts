/**
 * Direct convolution, the fallback that handles every case: 1d/2d/3d (always as 3 spatial
 * axes, missing ones of size 1), any stride, dilation and groups (depthwise included).
 *
 * Vectorised over output x: 8 or 4 neighbouring outputs of one output channel per f32x4
 * accumulator pair, the weight tap splatted. Stride 1 reads inputs with one v128 load,
 * larger strides gather lanes. The input is pre-padded (pad.ts) so the loops have no bounds
 * tests. Weights stay in PyTorch layout [C_out, C_in/groups, k...], read tap by tap.
 *
 * Epilogue before the store: bias (accumulator start), residual add, activation; the output
 * may sit in a view (batch stride of a larger concat buffer).
 */
import type { Expr, FunctionBuilder, Local } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import { loadStrided } from './gather.ts';
import type { Activation, KernelContext } from './types.ts';

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
  activation?: Activation;
  residual: boolean;
  /** Elements between batch items of the output (C_out * spatial unless in a view). */
  outBatchStride: number;
}

/**
 * The kernel function for a conv shape class. Parameters: x, w, b, out, res (byte addresses;
 * res is ignored without residual).
 */
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
  const unrollAll = kvol <= 64;

  const [x, w, b, out, res] = [0, 1, 2, 3, 4].map((i) => f.param(i)) as [Local, Local, Local, Local, Local];
  const n = f.local('i32');
  const co = f.local('i32');
  const oz = f.local('i32');
  const oy = f.local('i32');
  const ox = f.local('i32');
  const ci = f.local('i32');
  const kz = f.local('i32');
  const ky = f.local('i32');
  const xRow = f.local('i32');
  const wCo = f.local('i32');
  const rowOut = f.local('i32');
  const rowRes = f.local('i32');
  const xp = f.local('i32');
  const wp = f.local('i32');
  const bias = f.local('f32');
  const accs = [f.local('v128'), f.local('v128')];
  const tmp = f.local('v128');
  const c = (k: number): Expr => i32.c(k);
  const mulC = (e: Expr, k: number): Expr => (k === 1 ? e : i32.mul(e, c(k)));

  /** Taps of the unrolled part: element offsets into the input row and the weight. */
  interface Tap { xOff: number; wOff: number }
  const taps: Tap[] = [];
  if (unrollAll) {
    for (let a = 0; a < KD; a++) for (let yy = 0; yy < KH; yy++) for (let xx = 0; xx < KW; xx++) {
      taps.push({ xOff: a * dz * IH * IW + yy * dy * IW + xx * dx, wOff: (a * KH + yy) * KW + xx });
    }
  } else {
    for (let xx = 0; xx < KW; xx++) taps.push({ xOff: xx * dx, wOff: xx });
  }

  /** Accumulate over input channels and taps into V vectors (V = 0: one scalar lane). */
  const accumulate = (V: number): Expr[] => {
    const body: Expr[] = [];
    const tapCode = (tap: Tap): Expr[] => {
      const code: Expr[] = [];
      const wv = m.v.load32Splat(f.get(wp), tap.wOff * 4);
      code.push(f.set(tmp, wv));
      for (let vi = 0; vi < Math.max(V, 1); vi++) {
        const base = (tap.xOff + vi * 4 * sx) * 4;
        let xv: Expr;
        if (V === 0) xv = m.v.load32Zero(f.get(xp), base);
        else xv = loadStrided(m, () => f.get(xp), base, sx);
        code.push(f.set(accs[vi]!, m.v.add(f.get(accs[vi]!), m.v.mul(xv, f.get(tmp)))));
      }
      return code;
    };
    const tapsBody = taps.flatMap(tapCode);
    let perChannel: Expr[];
    if (unrollAll) {
      perChannel = [...tapsBody, f.set(xp, i32.add(f.get(xp), c(planeIn * 4))), f.set(wp, i32.add(f.get(wp), c(kvol * 4)))];
    } else {
      perChannel = [
        f.for(kz, 0, KD, 1, [
          f.for(ky, 0, KH, 1, [
            ...tapsBody,
            f.set(xp, i32.add(f.get(xp), c(dy * IW * 4))),
            f.set(wp, i32.add(f.get(wp), c(KW * 4))),
          ]),
          f.set(xp, i32.add(f.get(xp), c((dz * IH * IW - KH * dy * IW) * 4))),
        ]),
        f.set(xp, i32.add(f.get(xp), c((planeIn - KD * dz * IH * IW) * 4))),
      ];
    }
    body.push(
      ...accs.slice(0, Math.max(V, 1)).map((a) => f.set(a, m.v.splat(f.get(bias)))),
      f.set(xp, i32.add(f.get(xRow), i32.shl(mulC(f.get(ox), sx), c(2)))),
      f.set(wp, f.get(wCo)),
      f.for(ci, 0, cig, 1, perChannel),
    );
    // Epilogue: residual, activation, store.
    for (let vi = 0; vi < Math.max(V, 1); vi++) {
      const a = accs[vi]!;
      const off = vi * 16;
      const outAt = i32.add(f.get(rowOut), i32.shl(f.get(ox), c(2)));
      const resAt = i32.add(f.get(rowRes), i32.shl(f.get(ox), c(2)));
      if (s.residual) {
        const r = V === 0 ? m.v.load32Zero(resAt, off) : m.v.load(resAt, off);
        body.push(f.set(a, m.v.add(f.get(a), r)));
      }
      if (s.activation) body.push(f.set(a, applyActivation(m, f, a, s.activation, (h) => ctx.helper(h))));
      body.push(V === 0 ? m.v.store32Lane(outAt, f.get(a), 0, off) : m.v.store(outAt, f.get(a), off));
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
      f.for(co, 0, s.Cout, 1, [
        f.set(bias, m.f32.load(i32.add(f.get(b), i32.shl(f.get(co), c(2))))),
        f.set(wCo, i32.add(f.get(w), mulC(f.get(co), cig * kvol * 4))),
        f.for(oz, 0, OD, 1, [f.for(oy, 0, OH, 1, rowBody)]),
      ]),
    ]),
  ];
}
