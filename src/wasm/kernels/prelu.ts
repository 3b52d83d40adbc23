/**
 * PReLU: y = x > 0 ? x : slope[c] * x per channel, four elements at a time with the
 * channel's slope splatted. A single shared slope is expanded to one per channel at build
 * time, so both forms are one kernel. The elements of a channel are contiguous ([N, C, ...]),
 * as in batch norm.
 */
import type { PReluAttrs } from '../../ops/prelu/def.ts';
import type { Expr, Local } from '../module.ts';
import type { LowerArgs } from './types.ts';

export function lowerPRelu({ attrs, inputs, output, params, ctx }: LowerArgs<PReluAttrs>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const N = x.shape[0] ?? 1;
  const C = x.shape.length >= 2 ? x.shape[1]! : 1;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const weight = params['weight']!.data;
  const slopes = new Float32Array(C);
  for (let c = 0; c < C; c++) slopes[c] = attrs.slopes === 1 ? weight[0]! : weight[c]!;
  const name = ctx.fn('prelu', { N, C, inner }, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, p, dst] = [f.param(0), f.param(1), f.param(2)];
    const n = f.local('i32');
    const c = f.local('i32');
    const i = f.local('i32');
    const sv = f.local('v128');
    const xv = f.local('v128');
    // x > 0 ? x : slope * x; NaN fails the test and gives slope * NaN = NaN.
    const calc = (v: Expr): Expr => m.block([
      f.set(xv, v),
      m.v.bitselect(f.get(xv), m.v.mul(f.get(xv), f.get(sv)), m.v.gt(f.get(xv), m.v.splatC(0))),
    ], 'v128');
    const at = (base: Local): Expr => i32.add(f.get(base), i32.shl(f.get(i), i32.c(2)));
    const vecEnd = (inner >> 2) << 2;
    const tail: Expr[] = [];
    for (let t = vecEnd; t < inner; t++) tail.push(m.v.store32Lane(f.get(dst), calc(m.v.load32Zero(f.get(src), t * 4)), 0, t * 4));
    return [
      f.for(n, 0, N, 1, [
        f.for(c, 0, C, 1, [
          f.set(sv, m.v.load32Splat(i32.add(f.get(p), i32.shl(f.get(c), i32.c(2))))),
          f.for(i, 0, vecEnd, 4, [m.v.store(at(dst), calc(m.v.load(at(src))))]),
          ...tail,
          f.inc(src, inner * 4),
          f.inc(dst, inner * 4),
        ]),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x.ptr), m.i32.c(ctx.constant(slopes)), m.i32.c(output.ptr)])];
}
