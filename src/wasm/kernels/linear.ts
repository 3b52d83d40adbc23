/**
 * Linear layer y = x W^T + b over the last axis. Weights are packed at build time to
 * [in][out rounded up to 8] so that eight outputs are two f32x4 accumulators fed by one
 * splatted input; bias packed the same way. Lanes past `out` are computed on zero weights
 * and not stored.
 */
import type { LinearAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

export function lowerLinear({ attrs, inputs, output, params, ctx }: LowerArgs<LinearAttrs>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const inF = x.shape[x.shape.length - 1]!;
  const outF = attrs.outFeatures;
  const rows = inF === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / inF;
  const outPad = Math.ceil(outF / 8) * 8;
  const w = params['weight']!.data;
  const packed = new Float32Array(inF * outPad);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) packed[i * outPad + o] = w[o * inF + i]!;
  const bias = new Float32Array(outPad);
  if (params['bias']) bias.set(params['bias'].data);

  const name = ctx.fn('linear', { rows, inF, outF }, ['i32', 'i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, wp0, bp, dst] = [f.param(0), f.param(1), f.param(2), f.param(3)];
    const r = f.local('i32');
    const ob = f.local('i32');
    const i = f.local('i32');
    const wp = f.local('i32');
    const xp = f.local('i32');
    const xv = f.local('v128');
    const a0 = f.local('v128');
    const a1 = f.local('v128');
    const outAt = (): Expr => i32.add(f.get(dst), i32.shl(i32.add(i32.mul(f.get(r), i32.c(outF)), f.get(ob)), i32.c(2)));
    const fullBlocks = Math.floor(outF / 8) * 8;
    const blockBody = (stores: Expr[]): Expr[] => [
      f.set(a0, m.v.load(i32.add(f.get(bp), i32.shl(f.get(ob), i32.c(2))))),
      f.set(a1, m.v.load(i32.add(f.get(bp), i32.shl(f.get(ob), i32.c(2))), 16)),
      f.set(wp, i32.add(f.get(wp0), i32.shl(f.get(ob), i32.c(2)))),
      f.set(xp, i32.add(f.get(src), i32.mul(f.get(r), i32.c(inF * 4)))),
      f.for(i, 0, inF, 1, [
        f.set(xv, m.v.load32Splat(f.get(xp))),
        f.set(a0, m.v.add(f.get(a0), m.v.mul(f.get(xv), m.v.load(f.get(wp))))),
        f.set(a1, m.v.add(f.get(a1), m.v.mul(f.get(xv), m.v.load(f.get(wp), 16)))),
        f.inc(xp, 4),
        f.inc(wp, outPad * 4),
      ]),
      ...stores,
    ];
    const tailStores: Expr[] = [];
    for (let l = 0; l < outF - fullBlocks; l++) tailStores.push(m.v.store32Lane(outAt(), f.get(l < 4 ? a0 : a1), l % 4, l * 4));
    return [
      f.for(r, 0, rows, 1, [
        f.for(ob, 0, fullBlocks, 8, blockBody([m.v.store(outAt(), f.get(a0)), m.v.store(outAt(), f.get(a1), 16)])),
        ...(outF > fullBlocks ? [f.set(ob, i32.c(fullBlocks)), ...blockBody(tailStores)] : []),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x.ptr), m.i32.c(ctx.constant(packed)), m.i32.c(ctx.constant(bias)), m.i32.c(output.ptr)])];
}
