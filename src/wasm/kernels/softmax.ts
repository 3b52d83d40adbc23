/**
 * Softmax along one axis: max, exp(x - max) with its sum, scale by 1/sum. Vectorised over
 * four neighbouring positions of the inner (after-axis) extent when it has them, one lane at
 * a time otherwise. exp is the shared vector helper.
 */
import type { AxisAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

export function lowerSoftmax({ attrs, inputs, output, ctx }: LowerArgs<AxisAttrs>): Expr[] {
  const m = ctx.m;
  const shape = inputs[0]!.shape;
  const len = shape[attrs.axis]!;
  const inner = shape.slice(attrs.axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, attrs.axis).reduce((a, b) => a * b, 1);
  const exp = ctx.helper('exp');
  const name = ctx.fn('softmax', { len, inner, outer }, ['i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, dst] = [f.param(0), f.param(1)];
    const o = f.local('i32');
    const i = f.local('i32');
    const j = f.local('i32');
    const ps = f.local('i32');
    const pd = f.local('i32');
    const mx = f.local('v128');
    const sum = f.local('v128');
    const e = f.local('v128');
    /** The three passes over the axis for the column(s) at byte offset `i*4`; `wide` = 4 lanes. */
    const column = (wide: boolean): Expr[] => {
      const load = (p: Expr): Expr => (wide ? m.v.load(p) : m.v.load32Zero(p));
      const store = (p: Expr, v: Expr): Expr => (wide ? m.v.store(p, v) : m.v.store32Lane(p, v, 0));
      const at = (base: typeof ps): Expr => i32.add(f.get(base), i32.mul(f.get(j), i32.c(inner * 4)));
      return [
        f.set(ps, i32.add(f.get(src), i32.shl(i32.add(i32.mul(f.get(o), i32.c(len * inner)), f.get(i)), i32.c(2)))),
        f.set(pd, i32.add(f.get(dst), i32.shl(i32.add(i32.mul(f.get(o), i32.c(len * inner)), f.get(i)), i32.c(2)))),
        f.set(mx, m.v.splatC(-Infinity)),
        f.for(j, 0, len, 1, [f.set(mx, m.v.max(f.get(mx), load(at(ps))))]),
        f.set(sum, m.v.splatC(0)),
        f.for(j, 0, len, 1, [
          f.set(e, m.callValue(exp, [m.v.sub(load(at(ps)), f.get(mx))], 'v128')),
          f.set(sum, m.v.add(f.get(sum), f.get(e))),
          store(at(pd), f.get(e)),
        ]),
        f.set(sum, m.v.div(m.v.splatC(1), f.get(sum))),
        f.for(j, 0, len, 1, [store(at(pd), m.v.mul(load(at(pd)), f.get(sum)))]),
      ];
    };
    const vecEnd = (inner >> 2) << 2;
    return [
      f.for(o, 0, outer, 1, [
        f.for(i, 0, vecEnd, 4, column(true)),
        f.for(i, vecEnd, inner, 1, column(false)),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(inputs[0]!.ptr), m.i32.c(output.ptr)])];
}
