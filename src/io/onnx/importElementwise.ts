/**
 * ONNX Add / Sub / Mul / Div (NumPy broadcasting, a constant operand becoming the operator's
 * weight `value`, two constants folded) and ReduceMean / ReduceMax (axes an attribute before opset 18, an input from
 * 18; keepdims), as netc's elementwise and reduction operators.
 */
import type { NodeContext, PendingNode } from './importContext.ts';
import type { OnnxConst } from './read.ts';
import { show, type Handler } from './importShapes.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** NumPy broadcasting of two shapes, or undefined. */
function broadcast(a: number[], b: number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}

export function binary(op: 'add' | 'sub' | 'mul' | 'div'): Handler {
  return (ctx) => {
    const [a, b] = [ctx.operand(0), ctx.operand(1)];
    if (a.kind === 'value' && b.kind === 'value') {
      const [sa, sb] = [ctx.shape(0), ctx.shape(1)];
      const out = broadcast(sa, sb);
      if (!out) ctx.mismatch(`shapes ${show(sa)} and ${show(sb)} do not broadcast`);
      // One node of the four operators, which share their attribute type.
      return { op, inputs: [a.id, b.id], attrs: {}, outShape: out!, params: {} } as PendingNode;
    }
    if (a.kind === 'const' && b.kind === 'const') return foldConstants(ctx, op, a.c, b.c);
    const commutes = op === 'add' || op === 'mul';
    if (a.kind === 'const' && !commutes) {
      ctx.reject(`the constant ${a.name} is the first operand; netc's ${op} takes a constant as the second (x ${op === 'sub' ? '-' : '/'} c)`);
    }
    const [t, c] = a.kind === 'value' ? [0, 1] : [1, 0];
    const xs = ctx.shape(t);
    const k = ctx.floats(c, 'constant operand');
    const out = broadcast(xs, k.dims);
    if (!out) ctx.mismatch(`shapes ${show(xs)} and ${show(k.dims)} do not broadcast`);
    if (!same(out!, xs)) ctx.reject(`the constant ${show(k.dims)} would enlarge ${show(xs)} to ${show(out!)}; a constant operand must broadcast onto the tensor`);
    // A scalar constant keeps rank 0 as [1]: the language writes a constant's shape as a tuple.
    const dims = k.dims.length === 0 ? [1] : k.dims;
    return {
      op, inputs: [ctx.tensor(t)], attrs: { constant: dims }, outShape: xs,
      params: { value: { data: k.data, shape: dims, trainable: false, source: k.name } },
    } as PendingNode;
  };
}

/**
 * Arithmetic on two constants (shape computations such as `x.size(1) // groups`) becomes a
 * constant; integers stay integers, with ONNX's truncating integer division.
 */
function foldConstants(ctx: NodeContext, op: 'add' | 'sub' | 'mul' | 'div', a: OnnxConst, b: OnnxConst): 'done' {
  const out = broadcast(a.dims, b.dims);
  if (!out) ctx.mismatch(`shapes ${show(a.dims)} and ${show(b.dims)} do not broadcast`);
  const isInt = a.ints !== undefined && b.ints !== undefined;
  const values = (c: OnnxConst): number[] => (c.ints ? c.ints : Array.from(c.floats ?? []));
  const [va, vb] = [values(a), values(b)];
  const at = (dims: number[], v: number[], i: number): number => {
    // Index of output element i in an operand broadcast to `out`.
    let k = 0;
    let rest = i;
    let stride = 1;
    for (let ax = out!.length - 1; ax >= 0; ax--) {
      const coord = rest % out![ax]!;
      rest = Math.floor(rest / out![ax]!);
      const d = dims[dims.length - out!.length + ax] ?? 1;
      if (d !== 1) k += coord * stride;
      stride *= d;
    }
    return v[k]!;
  };
  const f = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => (isInt ? Math.trunc(x / y) : x / y) }[op];
  if (isInt && op === 'div' && vb.includes(0)) ctx.reject('integer division by zero');
  const result = Array.from({ length: out!.reduce((x, y) => x * y, 1) }, (_, i) => f(at(a.dims, va, i), at(b.dims, vb, i)));
  ctx.constantOutput(isInt ? { dims: out!, ints: result } : { dims: out!, floats: Float32Array.from(result) });
  return 'done';
}

/** The `axes` of a reduction: attribute before opset 18, optional input from 18; all axes when absent. */
function reduceAxes(ctx: NodeContext, rank: number): number[] {
  const given = ctx.opset >= 18 ? (ctx.has(1) ? ctx.ints(1, 'axes') : undefined) : ctx.attrInts('axes');
  if (given === undefined || given.length === 0) {
    if (ctx.attrInt('noop_with_empty_axes', 0) !== 0) ctx.reject('noop_with_empty_axes=1 with no axes is the identity; netc does not import it');
    return [...Array(rank).keys()];
  }
  const axes = given.map((a) => (a < 0 ? a + rank : a));
  if (axes.some((a) => a < 0 || a >= rank) || new Set(axes).size !== axes.length) ctx.reject(`axes ${show(given)} are not distinct axes of a rank-${rank} tensor`);
  return axes.sort((x, y) => x - y);
}

export function reduce(op: 'reduce_mean' | 'reduce_max'): Handler {
  return (ctx) => {
    const xs = ctx.shape(0);
    const axes = reduceAxes(ctx, xs.length);
    const keepdim = ctx.attrInt('keepdims', 1) !== 0;
    const outShape = xs.flatMap((d, a) => (!axes.includes(a) ? [d] : keepdim ? [1] : []));
    return { op, inputs: [ctx.tensor(0)], attrs: { axes, keepdim }, outShape, params: {} } as PendingNode;
  };
}
