/**
 * Mean and maximum over axes. Two index tables built at compile time make any set of axes one
 * loop nest: the byte offset of each output element's first input, and the byte offsets of
 * the reduced elements relative to it. Scalar code: exporters place these reductions once,
 * at the head of a classifier (MnasNet's mean over H and W), a negligible share of a run.
 * The maximum propagates NaN, as torch.amax does.
 */
import type { ReduceAttrs } from '../../ops/reduce/def.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

/** Byte offsets of the elements of `shape` over `axes` (the others held at 0), row-major. */
function offsets(shape: readonly number[], axes: readonly number[]): Int32Array {
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  let out = [0];
  for (const a of axes) out = out.flatMap((o) => [...Array(shape[a]!).keys()].map((i) => o + i * strides[a]! * 4));
  return Int32Array.from(out);
}

export function lowerReduce({ node, attrs, inputs, output, ctx }: LowerArgs<ReduceAttrs>): Expr[] {
  const m = ctx.m;
  const shape = inputs[0]!.shape;
  const kept = shape.map((_, a) => a).filter((a) => !attrs.axes.includes(a));
  const bases = offsets(shape, kept);
  const within = offsets(shape, attrs.axes);
  const max = node.op === 'reduce_max';
  const spec = { max, outCount: bases.length, count: within.length };
  const name = ctx.fn('reduce', spec, ['i32', 'i32', 'i32', 'i32'], (f) => {
    const [src, dst, baseTab, withinTab] = [f.param(0), f.param(1), f.param(2), f.param(3)];
    const [o, r, base] = [f.local('i32'), f.local('i32'), f.local('i32')];
    const [acc, v] = [f.local('f32'), f.local('f32')];
    const at = (tab: typeof src, i: typeof o): Expr => m.i32.load(m.i32.add(f.get(tab), m.i32.shl(f.get(i), m.i32.c(2))));
    const load = m.f32.load(m.i32.add(f.get(base), at(withinTab, r)));
    const step = max
      ? [
          f.set(v, load),
          // Take v when larger, or when NaN (v != v), so NaN propagates.
          f.set(acc, m.select(m.i32.or(m.f32.gt(f.get(v), f.get(acc)), m.f32.ne(f.get(v), f.get(v))), f.get(v), f.get(acc))),
        ]
      : [f.set(acc, m.f32.add(f.get(acc), load))];
    const result = max ? f.get(acc) : m.f32.div(f.get(acc), m.f32.c(spec.count));
    return [
      f.for(o, 0, spec.outCount, 1, [
        f.set(base, m.i32.add(f.get(src), at(baseTab, o))),
        f.set(acc, m.f32.c(max ? -Infinity : 0)),
        f.for(r, 0, spec.count, 1, step),
        m.f32.store(m.i32.add(f.get(dst), m.i32.shl(f.get(o), m.i32.c(2))), result),
      ]),
    ];
  });
  const args = [inputs[0]!.ptr, output.ptr, ctx.constant(bases, 'table'), ctx.constant(within, 'table')];
  return [m.call(name, args.map((p) => m.i32.c(p)))];
}
