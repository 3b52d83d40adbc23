/**
 * Max pooling, vectorised: the input is padded with -inf (vector-pool.ts), so every window is
 * a fixed set of taps; four neighbouring outputs along x reduce with f32x4.pmax, taps
 * unrolled; NaN taps propagate (as in PyTorch) through a mask of them or-ed into the result.
 * Windows made only of padding cannot occur (PyTorch's ceil-mode rule drops them). Used when
 * the unrolled window is small; pool.ts handles the rest.
 */
import type { PoolAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { loadStrided } from './gather.ts';
import { planVectorPool, vectorPoolLoops } from './vector-pool.ts';
import type { Operand, KernelContext } from './types.ts';

export function lowerMaxPoolVector(ctx: KernelContext, attrs: PoolAttrs, x: Operand, output: Operand): Expr[] | undefined {
  const m = ctx.m;
  const plan = planVectorPool(ctx, attrs, x, output, -Infinity);
  if (!plan) return undefined;
  const S = plan.stride;
  const spec = { planes: plan.planes, padDims: plan.padDims, outSp: plan.outSp, K: plan.kernel, S, D: plan.dilation };
  const name = ctx.fn('pool_max_vec', spec, ['i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [xs, dst] = [f.param(0), f.param(1)];
    const ox = f.local('i32');
    const row = f.local('i32');
    const p = f.local('i32');
    const acc = f.local('v128');
    const tap = f.local('v128');
    const nan = f.local('v128');
    const block = (wide: boolean): Expr[] => {
      const s: Expr[] = [f.set(p, i32.add(f.get(row), i32.shl(i32.mul(f.get(ox), i32.c(S[2])), i32.c(2))))];
      // pmax (one x86 max; a NaN tap leaves acc unchanged) plus a mask of NaN taps or-ed in
      // at the end costs 3 instructions a tap where IEEE f32x4.max costs about 8 in V8.
      plan.taps.forEach((t, i) => {
        s.push(f.set(tap, wide ? loadStrided(m, () => f.get(p), t * 4, S[2]) : m.v.load32Zero(f.get(p), t * 4)));
        const isNan = m.v.ne(f.get(tap), f.get(tap));
        s.push(f.set(acc, i === 0 ? f.get(tap) : m.raw.f32x4.pmax(f.get(acc), f.get(tap))));
        s.push(f.set(nan, i === 0 ? isNan : m.v.or(f.get(nan), isNan)));
      });
      s.push(f.set(acc, m.v.or(f.get(acc), f.get(nan))));
      s.push(wide ? m.v.store(f.get(dst), f.get(acc)) : m.v.store32Lane(f.get(dst), f.get(acc), 0), f.inc(dst, wide ? 16 : 4));
      return s;
    };
    return vectorPoolLoops(ctx, f, plan, xs, { row, ox }, block);
  });
  return [...plan.stmts, m.call(name, [m.i32.c(plan.src), m.i32.c(output.ptr)])];
}
