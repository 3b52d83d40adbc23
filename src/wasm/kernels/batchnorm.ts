/**
 * Inference batch norm: y = (x - mean) * scale + shift per channel, with
 * scale = gamma / sqrt(var + eps) folded at build time (in float64, rounded once).
 * Subtracting the mean before scaling keeps the float32 error small when x is close to it.
 */
import type { BatchNormAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

export function lowerBatchNorm({ attrs, inputs, output, params, ctx }: LowerArgs<BatchNormAttrs>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const [N = 1, C = 1] = x.shape;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const mean = params['running_mean']!.data;
  const variance = params['running_var']!.data;
  const gamma = params['weight']?.data;
  const beta = params['bias']?.data;
  // One table [mean | scale | shift], each C floats.
  const packed = new Float32Array(3 * C);
  for (let c = 0; c < C; c++) {
    packed[c] = mean[c]!;
    packed[C + c] = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + attrs.eps);
    packed[2 * C + c] = beta ? beta[c]! : 0;
  }
  const name = ctx.fn('batchnorm', { N, C, inner }, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, p, dst] = [f.param(0), f.param(1), f.param(2)];
    const n = f.local('i32');
    const c = f.local('i32');
    const i = f.local('i32');
    const mv = f.local('v128');
    const sv = f.local('v128');
    const bv = f.local('v128');
    const pc = f.local('i32');
    const calc = (v: Expr): Expr => m.v.add(m.v.mul(m.v.sub(v, f.get(mv)), f.get(sv)), f.get(bv));
    const at = (base: Local): Expr => i32.add(f.get(base), i32.shl(f.get(i), i32.c(2)));
    const vecEnd = (inner >> 2) << 2;
    const tail: Expr[] = [];
    for (let t = vecEnd; t < inner; t++) tail.push(m.v.store32Lane(f.get(dst), calc(m.v.load32Zero(f.get(src), t * 4)), 0, t * 4));
    return [
      f.for(n, 0, N, 1, [
        f.for(c, 0, C, 1, [
          f.set(pc, i32.add(f.get(p), i32.shl(f.get(c), i32.c(2)))),
          f.set(mv, m.v.load32Splat(f.get(pc))),
          f.set(sv, m.v.load32Splat(f.get(pc), C * 4)),
          f.set(bv, m.v.load32Splat(f.get(pc), 2 * C * 4)),
          f.for(i, 0, vecEnd, 4, [m.v.store(at(dst), calc(m.v.load(at(src))))]),
          ...tail,
          f.inc(src, inner * 4),
          f.inc(dst, inner * 4),
        ]),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x.ptr), m.i32.c(ctx.constant(packed)), m.i32.c(output.ptr)])];
}

type Local = import('../module.ts').Local;
