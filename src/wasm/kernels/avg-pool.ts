/**
 * Average pooling, vectorised (pool.ts keeps the scalar kernel for what these do not take):
 *
 * - windows of fixed taps (plain avgpool, `k^3 <= MAX_TAPS`): the input is zero-padded into
 *   scratch (pad.ts), far enough on the right for ceil mode's last windows, and four
 *   neighbouring outputs along x sum their taps in the scalar kernel's order (padding taps
 *   add +0), then divide by a vector of their divisors from a per-position table, so the
 *   results are the scalar kernel's bit for bit (PyTorch's count_include_pad and ceil-mode
 *   divisors are computed at build time, pool.ts);
 * - global pooling (adaptive to 1 per axis, what classifiers end with): each plane is summed
 *   four floats at a time, the lanes added at the end, then divided by the plane size.
 */
import type { PoolAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { loadStrided } from './gather.ts';
import { to3 } from './axes.ts';
import { padFunction, paddedDims, type PadSpec } from './pad.ts';
import type { KernelContext, Operand } from './types.ts';

const MAX_TAPS = 64;

/**
 * The vector kernel for an avgpool whose per-axis divisors are `div` (pool.ts's windows);
 * undefined when the window is too large to unroll.
 */
export function lowerAvgPoolVector(ctx: KernelContext, attrs: PoolAttrs, x: Operand, output: Operand, div: number[][]): Expr[] | undefined {
  const m = ctx.m;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const K = to3(attrs.kernel, 1);
  const S = to3(attrs.stride, 1);
  const P = to3(attrs.pad, 0);
  if (K[0] * K[1] * K[2] > MAX_TAPS) return undefined;
  const planes = x.shape[0]! * x.shape[1]!;
  // Right padding: enough for the last window, at least the left padding.
  const end = [0, 1, 2].map((a) => Math.max(0, (outSp[a]! - 1) * S[a]! + K[a]! - inSp[a]! - P[a]!)) as [number, number, number];
  const pad: PadSpec = { planes, dims: inSp, begin: P, end };
  const [PD, PH, PW] = paddedDims(pad);
  const [OD, OH, OW] = outSp;
  // Divisors per output position, as floats; the slack after the last one keeps the last
  // vector of a row (read whole for a tail) inside the table.
  const divisors = new Float32Array(OD * OH * OW + 4);
  for (let z = 0; z < OD; z++) for (let y = 0; y < OH; y++) for (let xx = 0; xx < OW; xx++) {
    divisors[(z * OH + y) * OW + xx] = div[0]![z]! * div[1]![y]! * div[2]![xx]!;
  }
  const stmts: Expr[] = [];
  let src = x.ptr;
  if (P.some((p) => p > 0) || end.some((e) => e > 0)) {
    src = ctx.scratch(planes * PD * PH * PW * 4);
    stmts.push(m.call(padFunction(ctx, pad), [m.i32.c(x.ptr), m.i32.c(src)]));
  }
  const spec = { planes, padDims: [PD, PH, PW], outSp, K, S };
  const name = ctx.fn('pool_avg_vec', spec, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [xs, dst, tab] = [f.param(0), f.param(1), f.param(2)];
    const plane = f.local('i32');
    const oz = f.local('i32');
    const oy = f.local('i32');
    const ox = f.local('i32');
    const row = f.local('i32');
    const p = f.local('i32');
    const d = f.local('i32');
    const acc = f.local('v128');
    const taps: number[] = [];
    for (let a = 0; a < K[0]; a++) for (let b = 0; b < K[1]; b++) for (let c = 0; c < K[2]; c++) taps.push((a * PH + b) * PW + c);
    const block = (wide: boolean): Expr[] => {
      const s: Expr[] = [f.set(p, i32.add(f.get(row), i32.shl(i32.mul(f.get(ox), i32.c(S[2])), i32.c(2))))];
      s.push(f.set(acc, m.v.splatC(0)));
      for (const t of taps) s.push(f.set(acc, m.v.add(f.get(acc), wide ? loadStrided(m, () => f.get(p), t * 4, S[2]) : m.v.load32Zero(f.get(p), t * 4))));
      s.push(f.set(acc, m.v.div(f.get(acc), m.v.load(f.get(d)))));
      s.push(wide ? m.v.store(f.get(dst), f.get(acc)) : m.v.store32Lane(f.get(dst), f.get(acc), 0), f.inc(dst, wide ? 16 : 4), f.inc(d, wide ? 16 : 4));
      return s;
    };
    const ow4 = OW - (OW % 4);
    return [
      f.for(plane, 0, planes, 1, [
        f.set(d, f.get(tab)),
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
  stmts.push(m.call(name, [m.i32.c(src), m.i32.c(output.ptr), m.i32.c(ctx.constant(divisors, 'table'))]));
  return stmts;
}

/** Global average pooling of `planes` contiguous planes of `size` floats into `planes` floats. */
export function lowerGlobalAvgPool(ctx: KernelContext, planes: number, size: number, src: number, dst: number): Expr[] {
  const m = ctx.m;
  const name = ctx.fn('pool_global_avg', { planes, size }, ['i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [xs, out] = [f.param(0), f.param(1)];
    const plane = f.local('i32');
    const i = f.local('i32');
    const acc = f.local('v128');
    const sum = f.local('f32');
    const vec = size - (size % 4);
    const tail: Expr[] = [];
    for (let k = vec; k < size; k++) tail.push(f.set(sum, m.f32.add(f.get(sum), m.f32.load(f.get(xs), k * 4))));
    return [
      f.for(plane, 0, planes, 1, [
        f.set(acc, m.v.splatC(0)),
        f.for(i, 0, vec, 4, [f.set(acc, m.v.add(f.get(acc), m.v.load(i32.add(f.get(xs), i32.shl(f.get(i), i32.c(2))))))]),
        f.set(sum, m.f32.add(m.f32.add(m.v.lane(f.get(acc), 0), m.v.lane(f.get(acc), 1)), m.f32.add(m.v.lane(f.get(acc), 2), m.v.lane(f.get(acc), 3)))),
        ...tail,
        m.f32.store(f.get(out), m.f32.div(f.get(sum), m.f32.c(size))),
        f.inc(xs, size * 4),
        f.inc(out, 4),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(src), m.i32.c(dst)])];
}
