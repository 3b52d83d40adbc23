/**
 * Max pooling, vectorised: the input is padded with -inf into scratch (pad.ts), far enough on
 * the right for ceil mode's last windows, so every window is a fixed set of taps; four
 * neighbouring outputs along x reduce with f32x4.pmax, taps unrolled; NaN taps propagate
 * (as in PyTorch) through a mask of them or-ed into the result. Windows made only of padding cannot occur (PyTorch's ceil-mode
 * rule drops them). Used when the unrolled window is small; pool.ts handles the rest.
 */
import type { PoolAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { loadStrided } from './gather.ts';
import { to3 } from './axes.ts';
import { padFunction, paddedDims, type PadSpec } from './pad.ts';
import type { Operand, KernelContext } from './types.ts';

const MAX_TAPS = 64;

export function lowerMaxPoolVector(ctx: KernelContext, attrs: PoolAttrs, x: Operand, output: Operand): Expr[] | undefined {
  const m = ctx.m;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const K = to3(attrs.kernel, 1);
  const S = to3(attrs.stride, 1);
  const P = to3(attrs.pad, 0);
  const D = to3(attrs.dilation, 1);
  if (K[0] * K[1] * K[2] > MAX_TAPS) return undefined;
  const planes = x.shape[0]! * x.shape[1]!;
  // Right padding: enough for the last window, at least the left padding.
  const end = [0, 1, 2].map((a) => Math.max(0, (outSp[a]! - 1) * S[a]! + (K[a]! - 1) * D[a]! + 1 - inSp[a]! - P[a]!)) as [number, number, number];
  const pad: PadSpec = { planes, dims: inSp, begin: P, end, fill: -Infinity };
  const [PD, PH, PW] = paddedDims(pad);
  const [OD, OH, OW] = outSp;
  const padded = P.some((p) => p > 0) || end.some((e) => e > 0);
  const stmts: Expr[] = [];
  let src = x.ptr;
  if (padded) {
    src = ctx.scratch(planes * PD * PH * PW * 4);
    stmts.push(m.call(padFunction(ctx, pad), [m.i32.c(x.ptr), m.i32.c(src)]));
  }
  const spec = { planes, padDims: [PD, PH, PW], outSp, K, S, D };
  const name = ctx.fn('pool_max_vec', spec, ['i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [xs, dst] = [f.param(0), f.param(1)];
    const plane = f.local('i32');
    const oz = f.local('i32');
    const oy = f.local('i32');
    const ox = f.local('i32');
    const row = f.local('i32');
    const p = f.local('i32');
    const acc = f.local('v128');
    const tap = f.local('v128');
    const nan = f.local('v128');
    const taps: number[] = [];
    for (let a = 0; a < K[0]; a++) for (let b = 0; b < K[1]; b++) for (let c = 0; c < K[2]; c++) taps.push(((a * D[0] * PH) + b * D[1]) * PW + c * D[2]);
    const block = (wide: boolean): Expr[] => {
      const s: Expr[] = [f.set(p, i32.add(f.get(row), i32.shl(i32.mul(f.get(ox), i32.c(S[2])), i32.c(2))))];
      // pmax (one x86 max; a NaN tap leaves acc unchanged) plus a mask of NaN taps or-ed in
      // at the end costs 3 instructions a tap where IEEE f32x4.max costs about 8 in V8.
      taps.forEach((t, i) => {
        s.push(f.set(tap, wide ? loadStrided(m, () => f.get(p), t * 4, S[2]) : m.v.load32Zero(f.get(p), t * 4)));
        const isNan = m.v.ne(f.get(tap), f.get(tap));
        s.push(f.set(acc, i === 0 ? f.get(tap) : m.raw.f32x4.pmax(f.get(acc), f.get(tap))));
        s.push(f.set(nan, i === 0 ? isNan : m.v.or(f.get(nan), isNan)));
      });
      s.push(f.set(acc, m.v.or(f.get(acc), f.get(nan))));
      s.push(wide ? m.v.store(f.get(dst), f.get(acc)) : m.v.store32Lane(f.get(dst), f.get(acc), 0), f.inc(dst, wide ? 16 : 4));
      return s;
    };
    const ow4 = OW - (OW % 4);
    return [
      f.for(plane, 0, planes, 1, [
        f.for(oz, 0, OD, 1, [
          f.for(oy, 0, OH, 1, [
            f.set(row, i32.add(f.get(xs), i32.shl(i32.add(i32.mul(f.get(plane), i32.c(PD * PH * PW)), i32.add(i32.mul(f.get(oz), i32.c(S[0] * PH * PW)), i32.mul(f.get(oy), i32.c(S[1] * PW)))), i32.c(2)))),
            f.for(ox, 0, ow4, 4, block(true)),
            f.for(ox, ow4, OW, 1, block(false)),
          ]),
        ]),
      ]),
    ];
  });
  stmts.push(m.call(name, [m.i32.c(src), m.i32.c(output.ptr)]));
  return stmts;
}
