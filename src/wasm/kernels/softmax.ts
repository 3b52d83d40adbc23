/**
 * Softmax along one axis: max, exp(x - max) with its sum, scale by 1/sum. Vectorised over
 * four neighbouring positions of the inner (after-axis) extent when it has them; along the
 * axis itself when it is the last one (a classifier's [N, classes]: four classes at a time,
 * lanes combined at the end); one lane at a time otherwise. exp is the shared vector helper.
 */
import type { AxisAttrs } from '../../ops/attrs.ts';
import type { Expr, Local } from '../module.ts';
import type { KernelContext, LowerArgs } from './types.ts';

export function lowerSoftmax({ attrs, inputs, output, ctx }: LowerArgs<AxisAttrs>): Expr[] {
  const m = ctx.m;
  const shape = inputs[0]!.shape;
  const len = shape[attrs.axis]!;
  const inner = shape.slice(attrs.axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, attrs.axis).reduce((a, b) => a * b, 1);
  const exp = ctx.helper('exp');
  if (inner === 1 && len >= 4) return [m.call(softmaxLastAxis(ctx, outer, len, exp), [m.i32.c(inputs[0]!.ptr), m.i32.c(output.ptr)])];
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

/** Softmax over the last axis, `outer` rows of `len` floats; parameters src, dst. */
function softmaxLastAxis(ctx: KernelContext, outer: number, len: number, exp: string): string {
  const m = ctx.m;
  return ctx.fn('softmax_rows', { outer, len }, ['i32', 'i32'], (f) => {
    const i32 = m.i32;
    const v = m.v;
    const [src, dst] = [f.param(0), f.param(1)];
    const o = f.local('i32');
    const j = f.local('i32');
    const acc = f.local('v128');
    const e = f.local('v128');
    const mx = f.local('f32');
    const sum = f.local('f32');
    const vec = len - (len % 4);
    const at = (base: Local): Expr => i32.add(f.get(base), i32.shl(f.get(j), i32.c(2)));
    const lanes = (combine: (a: Expr, b: Expr) => Expr): Expr =>
      combine(combine(v.lane(f.get(acc), 0), v.lane(f.get(acc), 1)), combine(v.lane(f.get(acc), 2), v.lane(f.get(acc), 3)));
    const tail = (body: (k: number) => Expr[]): Expr[] => {
      const out: Expr[] = [];
      for (let k = vec; k < len; k++) out.push(...body(k));
      return out;
    };
    const expOf = (x: Expr): Expr => m.callValue(exp, [v.sub(x, v.splat(f.get(mx)))], 'v128');
    return [
      f.for(o, 0, outer, 1, [
        // IEEE max (NaN-propagating) lane-wise, then across lanes and the odd floats.
        f.set(acc, v.splatC(-Infinity)),
        f.for(j, 0, vec, 4, [f.set(acc, v.max(f.get(acc), v.load(at(src))))]),
        f.set(mx, lanes((a, b) => m.f32.max(a, b))),
        ...tail((k) => [f.set(mx, m.f32.max(f.get(mx), m.f32.load(f.get(src), k * 4)))]),
        f.set(acc, v.splatC(0)),
        f.for(j, 0, vec, 4, [f.set(e, expOf(v.load(at(src)))), f.set(acc, v.add(f.get(acc), f.get(e))), v.store(at(dst), f.get(e))]),
        f.set(sum, lanes((a, b) => m.f32.add(a, b))),
        // The odd floats one lane each: lane 0 of exp of a zero-extended load.
        ...tail((k) => [
          f.set(e, expOf(v.load32Zero(f.get(src), k * 4))),
          f.set(sum, m.f32.add(f.get(sum), v.lane(f.get(e), 0))),
          v.store32Lane(f.get(dst), f.get(e), 0, k * 4),
        ]),
        f.set(acc, v.splat(m.f32.div(m.f32.c(1), f.get(sum)))),
        f.for(j, 0, vec, 4, [v.store(at(dst), v.mul(v.load(at(dst)), f.get(acc)))]),
        ...tail((k) => [v.store32Lane(f.get(dst), v.mul(v.load32Zero(f.get(dst), k * 4), f.get(acc)), 0, k * 4)]),
        f.inc(src, len * 4),
        f.inc(dst, len * 4),
      ]),
    ];
  });
}
