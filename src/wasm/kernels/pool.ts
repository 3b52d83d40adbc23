/**
 * Max and average pooling, plain and adaptive, over three spatial axes. The window of each
 * output position is precomputed per axis at build time (lo, hi, divisor) into an index
 * table, with PyTorch's rules: ceil mode's clipped last window, count_include_pad, padding
 * acting as -inf for max, adaptive windows [floor(i*I/O), ceil((i+1)*I/O)).
 *
 * Each output position reduces its window with scalar loads; max propagates NaN. The vector
 * kernels (max-pool.ts, avg-pool.ts: fixed windows, global average) take the cases they can.
 */
import type { AdaptivePoolAttrs, PoolAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { to3 } from './axes.ts';
import { lowerAvgPoolVector, lowerGlobalAvgPool } from './avg-pool.ts';
import { lowerMaxPoolVector } from './max-pool.ts';
import type { KernelContext, LowerArgs } from './types.ts';

interface Windows {
  lo: number[];
  hi: number[];
  div: number[];
}

function avgWindows(out: number, input: number, k: number, s: number, p: number, includePad: boolean): Windows {
  const w: Windows = { lo: [], hi: [], div: [] };
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, input + p);
    const lo = Math.max(start, 0);
    const hi = Math.min(end, input);
    w.lo.push(lo);
    w.hi.push(hi);
    w.div.push(includePad ? end - start : hi - lo);
  }
  return w;
}

function maxWindows(out: number, input: number, k: number, s: number, p: number, d: number): Windows {
  const w: Windows = { lo: [], hi: [], div: [] };
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + (k - 1) * d + 1, input);
    let first = start;
    if (first < 0) first += Math.ceil(-first / d) * d;
    w.lo.push(first);
    w.hi.push(Math.max(first, end));
    w.div.push(1);
  }
  return w;
}

function adaptiveWindows(out: number, input: number): Windows {
  const w: Windows = { lo: [], hi: [], div: [] };
  for (let o = 0; o < out; o++) {
    const lo = Math.floor((o * input) / out);
    const hi = Math.ceil(((o + 1) * input) / out);
    w.lo.push(lo);
    w.hi.push(hi);
    w.div.push(hi - lo);
  }
  return w;
}

interface PoolSpec {
  kind: 'max' | 'avg';
  planes: number;
  inDims: number[];
  outDims: number[];
  dilation: number[];
}

/**
 * Table layout: per axis a (D, H, W), three runs of outDims[a] i32: lo, hi, divisor.
 */
function poolCall(ctx: KernelContext, spec: PoolSpec, windows: Windows[], x: number, out: number): Expr[] {
  const m = ctx.m;
  const table = new Int32Array(windows.flatMap((w) => [...w.lo, ...w.hi, ...w.div]));
  const name = ctx.fn(`pool_${spec.kind}`, spec, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, dst, tab] = [f.param(0), f.param(1), f.param(2)];
    const [ID, IH, IW] = spec.inDims as [number, number, number];
    const [OD, OH, OW] = spec.outDims as [number, number, number];
    const [DD, DH, DW] = spec.dilation as [number, number, number];
    const o = [f.local('i32'), f.local('i32'), f.local('i32')];
    const lo = [f.local('i32'), f.local('i32'), f.local('i32')];
    const hi = [f.local('i32'), f.local('i32'), f.local('i32')];
    const it = [f.local('i32'), f.local('i32'), f.local('i32')];
    const plane = f.local('i32');
    const acc = f.local('f32');
    const v = f.local('f32');
    const div = f.local('i32');
    const outs = [OD, OH, OW];
    const base = [0, 3 * OD, 3 * OD + 3 * OH];
    const tabAt = (axis: number, which: number): Expr =>
      i32.load(i32.add(f.get(tab), i32.shl(f.get(o[axis]!), i32.c(2))), (base[axis]! + which * outs[axis]!) * 4);
    const xAt = (): Expr =>
      i32.add(f.get(src), i32.shl(i32.add(i32.add(i32.mul(f.get(it[0]!), i32.c(IH * IW)), i32.mul(f.get(it[1]!), i32.c(IW))), f.get(it[2]!)), i32.c(2)));
    const reduce: Expr =
      spec.kind === 'max'
        ? m.block([
            f.set(v, m.f32.load(xAt())),
            // Take v when larger, or when NaN (v != v), so NaN propagates.
            f.set(acc, m.select(m.i32.or(m.f32.gt(f.get(v), f.get(acc)), m.f32.ne(f.get(v), f.get(v))), f.get(v), f.get(acc))),
          ])
        : f.set(acc, m.f32.add(f.get(acc), m.f32.load(xAt())));
    const window = f.forRange(it[0]!, f.get(lo[0]!), f.get(hi[0]!), DD, [
      f.forRange(it[1]!, f.get(lo[1]!), f.get(hi[1]!), DH, [f.forRange(it[2]!, f.get(lo[2]!), f.get(hi[2]!), DW, [reduce])]),
    ]);
    const store =
      spec.kind === 'max'
        ? m.f32.store(f.get(dst), f.get(acc))
        : m.f32.store(f.get(dst), m.f32.div(f.get(acc), m.f32.fromI32(f.get(div))));
    const setAxis = (a: number): Expr[] => [f.set(lo[a]!, tabAt(a, 0)), f.set(hi[a]!, tabAt(a, 1))];
    const divExpr = i32.mul(i32.mul(tabAt(0, 2), tabAt(1, 2)), tabAt(2, 2));
    return [
      f.for(plane, 0, spec.planes, 1, [
        f.for(o[0]!, 0, OD, 1, [
          ...setAxis(0),
          f.for(o[1]!, 0, OH, 1, [
            ...setAxis(1),
            f.for(o[2]!, 0, OW, 1, [
              ...setAxis(2),
              f.set(acc, m.f32.c(spec.kind === 'max' ? -Infinity : 0)),
              ...(spec.kind === 'avg' ? [f.set(div, divExpr)] : []),
              window,
              store,
              f.inc(dst, 4),
            ]),
          ]),
        ]),
        f.inc(src, ID * IH * IW * 4),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x), m.i32.c(out), m.i32.c(ctx.constant(table))])];
}

/** Whether the output is one dense block (not a view into a larger buffer): vector stores may run on. */
const denseOutput = (output: LowerArgs['output']): boolean => output.batchStride * output.shape[0]! === output.shape.reduce((a, b) => a * b, 1);

function dims(shape: number[]): { planes: number; sp: number[] } {
  return { planes: shape[0]! * shape[1]!, sp: to3(shape.slice(2), 1) };
}

/** Max or average pooling (`kind`), as the lowering table's maxpool and avgpool entries say. */
export function lowerPool({ attrs, inputs, output, ctx }: LowerArgs<PoolAttrs>, kind: 'max' | 'avg'): Expr[] {
  const x = dims(inputs[0]!.shape);
  const o = dims(output.shape);
  const k = to3(attrs.kernel, 1);
  const s = to3(attrs.stride, 1);
  const p = to3(attrs.pad, 0);
  const max = kind === 'max';
  if (max && denseOutput(output)) {
    const vector = lowerMaxPoolVector(ctx, attrs, inputs[0]!, output);
    if (vector) return vector;
  }
  const d = max ? to3(attrs.dilation ?? [], 1) : [1, 1, 1];
  const windows = [0, 1, 2].map((a) =>
    max ? maxWindows(o.sp[a]!, x.sp[a]!, k[a]!, s[a]!, p[a]!, d[a]!) : avgWindows(o.sp[a]!, x.sp[a]!, k[a]!, s[a]!, p[a]!, attrs.countIncludePad),
  );
  if (!max && denseOutput(output)) {
    const vector = lowerAvgPoolVector(ctx, attrs, inputs[0]!, output, windows.map((w) => w.div));
    if (vector) return vector;
  }
  return poolCall(ctx, { kind: max ? 'max' : 'avg', planes: x.planes, inDims: x.sp, outDims: o.sp, dilation: d }, windows, inputs[0]!.ptr, output.ptr);
}

export function lowerAdaptivePool({ inputs, output, ctx }: LowerArgs<AdaptivePoolAttrs>, kind: 'max' | 'avg'): Expr[] {
  const x = dims(inputs[0]!.shape);
  const o = dims(output.shape);
  if (kind === 'avg' && o.sp.every((v) => v === 1) && denseOutput(output)) {
    return lowerGlobalAvgPool(ctx, x.planes, x.sp[0]! * x.sp[1]! * x.sp[2]!, inputs[0]!.ptr, output.ptr);
  }
  const windows = [0, 1, 2].map((a) => adaptiveWindows(o.sp[a]!, x.sp[a]!));
  return poolCall(ctx, { kind, planes: x.planes, inDims: x.sp, outDims: o.sp, dilation: [1, 1, 1] }, windows, inputs[0]!.ptr, output.ptr);
}

