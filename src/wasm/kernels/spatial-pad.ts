/**
 * The `pad` operator (constant, reflect, replicate; negative amounts crop): a scalar gather
 * through per-axis source tables built at compile time (ops/pad/source-index.ts), one load or
 * the fill per output element. Scalar because a pad is a negligible share of a network's
 * time (one pass over its output, next to the convolutions around it).
 */
import type { PadAttrs } from '../../ops/pad/def.ts';
import { padSourceIndex } from '../../ops/pad/source-index.ts';
import type { Expr } from '../module.ts';
import { to3 } from './axes.ts';
import type { LowerArgs } from './types.ts';

export function lowerPad({ attrs, inputs, output, ctx }: LowerArgs<PadAttrs>): Expr[] {
  const m = ctx.m;
  const i32 = m.i32;
  const x = inputs[0]!;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const begin = to3(attrs.begin, 0);
  const planes = x.shape[0]! * x.shape[1]!;
  // One table of O_D + O_H + O_W words: source offsets in bytes within a plane, or -1 for the fill.
  const strides = [inSp[1] * inSp[2] * 4, inSp[2] * 4, 4];
  const table = new Int32Array(outSp[0] + outSp[1] + outSp[2]);
  const base: number[] = [];
  let at = 0;
  for (let a = 0; a < 3; a++) {
    base.push(at * 4);
    for (const s of padSourceIndex(outSp[a]!, inSp[a]!, begin[a]!, attrs.mode)) table[at++] = s < 0 ? -1 : s * strides[a]!;
  }
  const key = { planes, inSp, outSp, mode: attrs.mode, value: attrs.value, begin };
  const name = ctx.fn('pad_op', key, ['i32', 'i32', 'i32'], (f) => {
    const [src, dst, tab] = [f.param(0), f.param(1), f.param(2)];
    const plane = f.local('i32');
    const o = [f.local('i32'), f.local('i32'), f.local('i32')];
    const s = [f.local('i32'), f.local('i32'), f.local('i32')];
    const setAxis = (a: number): Expr => f.set(s[a]!, i32.load(i32.add(f.get(tab), i32.shl(f.get(o[a]!), i32.c(2))), base[a]!));
    const fill = (): Expr => m.f32.store(f.get(dst), m.f32.c(attrs.value));
    const copy = (): Expr => m.f32.store(f.get(dst), m.f32.load(i32.add(f.get(src), i32.add(i32.add(f.get(s[0]!), f.get(s[1]!)), f.get(s[2]!)))));
    // Only constant mode has fill entries (-1): test the OR of the three offsets' sign.
    const element = attrs.mode === 'constant'
      ? m.if(i32.ltS(i32.or(i32.or(f.get(s[0]!), f.get(s[1]!)), f.get(s[2]!)), i32.c(0)), fill(), copy())
      : copy();
    return [
      f.for(plane, 0, planes, 1, [
        f.for(o[0]!, 0, outSp[0], 1, [
          setAxis(0),
          f.for(o[1]!, 0, outSp[1], 1, [
            setAxis(1),
            f.for(o[2]!, 0, outSp[2], 1, [setAxis(2), element, f.inc(dst, 4)]),
          ]),
        ]),
        f.inc(src, inSp[0] * inSp[1] * inSp[2] * 4),
      ]),
    ];
  });
  return [m.call(name, [i32.c(x.ptr), i32.c(output.ptr), i32.c(ctx.constant(table, 'table'))])];
}
