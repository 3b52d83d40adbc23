/**
 * Average pooling, vectorised (pool.ts keeps the scalar kernel for what these do not take):
 *
 * - windows of fixed taps (plain avgpool, small windows): the input is zero-padded
 *   (vector-pool.ts), and four neighbouring outputs along x sum their taps in the scalar kernel's order (padding taps
 *   add +0), then divide by a vector of their divisors from a per-position table, so the
 *   results are the scalar kernel's bit for bit (PyTorch's count_include_pad and ceil-mode
 *   divisors are computed at build time, pool.ts);
 * - global pooling (adaptive to 1 per axis, what classifiers end with): each plane is summed
 *   four floats at a time, the lanes added at the end, then divided by the plane size.
 */
import type { PoolAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { loadStrided } from './gather.ts';
import { planVectorPool, vectorPoolLoops } from './vector-pool.ts';
import type { KernelContext, Operand } from './types.ts';

/**
 * The vector kernel for an avgpool whose per-axis divisors are `div` (pool.ts's windows);
 * undefined when the window is too large to unroll.
 */
export function lowerAvgPoolVector(ctx: KernelContext, attrs: PoolAttrs, x: Operand, output: Operand, div: number[][]): Expr[] | undefined {
  const m = ctx.m;
  const plan = planVectorPool(ctx, attrs, x, output);
  if (!plan) return undefined;
  const [OD, OH, OW] = plan.outSp;
  const S = plan.stride;
  // Divisors per output position, as floats; the slack after the last one keeps the last
  // vector of a row (read whole for a tail) inside the table.
  const divisors = new Float32Array(OD * OH * OW + 4);
  for (let z = 0; z < OD; z++) for (let y = 0; y < OH; y++) for (let xx = 0; xx < OW; xx++) {
    divisors[(z * OH + y) * OW + xx] = div[0]![z]! * div[1]![y]! * div[2]![xx]!;
  }
  const spec = { planes: plan.planes, padDims: plan.padDims, outSp: plan.outSp, K: plan.kernel, S };
  const name = ctx.fn('pool_avg_vec', spec, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [xs, dst, tab] = [f.param(0), f.param(1), f.param(2)];
    const ox = f.local('i32');
    const row = f.local('i32');
    const p = f.local('i32');
    const d = f.local('i32');
    const acc = f.local('v128');
    const block = (wide: boolean): Expr[] => {
      const s: Expr[] = [f.set(p, i32.add(f.get(row), i32.shl(i32.mul(f.get(ox), i32.c(S[2])), i32.c(2))))];
      s.push(f.set(acc, m.v.splatC(0)));
      for (const t of plan.taps) s.push(f.set(acc, m.v.add(f.get(acc), wide ? loadStrided(m, () => f.get(p), t * 4, S[2]) : m.v.load32Zero(f.get(p), t * 4))));
      s.push(f.set(acc, m.v.div(f.get(acc), m.v.load(f.get(d)))));
      s.push(wide ? m.v.store(f.get(dst), f.get(acc)) : m.v.store32Lane(f.get(dst), f.get(acc), 0), f.inc(dst, wide ? 16 : 4), f.inc(d, wide ? 16 : 4));
      return s;
    };
    return vectorPoolLoops(ctx, f, plan, xs, { row, ox }, block, [f.set(d, f.get(tab))]);
  });
  return [...plan.stmts, m.call(name, [m.i32.c(plan.src), m.i32.c(output.ptr), m.i32.c(ctx.constant(divisors, 'table'))])];
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
