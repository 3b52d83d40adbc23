/**
 * Shape computations folded at import. PyTorch's exporter writes `x.view(x.size(0), -1)` as
 * Shape -> Gather -> Unsqueeze -> Concat -> Reshape, and casts, squeezes and unsqueezes small
 * integer tensors on the way; with fixed input sizes all of it is known at import time, so
 * these handlers compute constants instead of nodes, and the Reshape at the end reads a
 * constant shape. Squeeze of unit axes of a computed tensor is a flatten; the rest of these
 * operators is supported on constants only.
 */
import type { OnnxConst } from './read.ts';
import type { NodeContext } from './importContext.ts';
import { show, type Handler } from './importShapes.ts';
import { gatherSlice } from './importSpatial.ts';

const numel = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** A constant's values as plain numbers. */
const valuesOf = (c: OnnxConst): number[] => (c.ints ? [...c.ints] : Array.from(c.floats ?? []));

/** A constant of the same element kind as `like`. */
const constLike = (like: OnnxConst, dims: number[], values: number[]): OnnxConst =>
  (like.ints || !like.floats ? { dims, ints: values } : { dims, floats: Float32Array.from(values) });

function normAxis(ctx: NodeContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isSafeInteger(a) || a < 0 || a >= rank) ctx.reject(`axis ${axis} is outside a rank-${rank} tensor`);
  return a;
}

/** Squeeze/Unsqueeze axes: an attribute before opset 13, an input from 13. */
function axesOf(ctx: NodeContext): number[] | undefined {
  return ctx.opset >= 13 ? (ctx.has(1) ? ctx.ints(1, 'axes') : undefined) : ctx.attrInts('axes');
}

/** Shape: the input's sizes (opset 15's start/end slice them). */
export const shapeOf: Handler = (ctx) => {
  const o = ctx.operand(0);
  const dims = o.kind === 'value' ? ctx.shape(0) : o.c.dims;
  const rank = dims.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(ctx.attrInt('start', 0));
  const end = clamp(ctx.attrInt('end', rank));
  const sizes = dims.slice(start, end);
  ctx.constantOutput({ dims: [sizes.length], ints: sizes });
  return 'done';
};

/** Gather of a constant (`shape[0]`): the selected entries along `axis`; of a computed tensor, a slice. */
export const gather: Handler = (ctx) => {
  if (ctx.operand(0).kind !== 'const') return gatherSlice(ctx);
  const data = ctx.constant(0, 'data');
  const indices = ctx.ints(1, 'indices');
  const idims = ctx.constant(1, 'indices').dims;
  const rank = data.dims.length;
  if (rank === 0) ctx.reject('the data is a scalar; Gather needs at least one axis');
  const axis = normAxis(ctx, ctx.attrInt('axis', 0), rank);
  const size = data.dims[axis]!;
  const idx = indices.map((i) => (i < 0 ? i + size : i));
  if (idx.some((i) => i < 0 || i >= size)) ctx.reject(`indices ${show(indices)} are outside an axis of size ${size}`);
  const outer = numel(data.dims.slice(0, axis));
  const inner = numel(data.dims.slice(axis + 1));
  const src = valuesOf(data);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of idx) for (let k = 0; k < inner; k++) out.push(src[(o * size + i) * inner + k]!);
  ctx.constantOutput(constLike(data, [...data.dims.slice(0, axis), ...idims, ...data.dims.slice(axis + 1)], out));
  return 'done';
};

/** Unsqueeze of a constant: unit axes inserted. */
export const unsqueeze: Handler = (ctx) => {
  if (ctx.operand(0).kind !== 'const') {
    ctx.reject('adding unit axes to a computed tensor has no netc operator; only constant shape computations fold');
  }
  const c = ctx.constant(0, 'data');
  const axes = axesOf(ctx);
  if (!axes) ctx.reject('axes are required');
  const rank = c.dims.length + axes!.length;
  const at = new Set(axes!.map((a) => normAxis(ctx, a, rank)));
  if (at.size !== axes!.length) ctx.reject(`axes ${show(axes!)} repeat an axis`);
  const dims: number[] = [];
  let k = 0;
  for (let a = 0; a < rank; a++) dims.push(at.has(a) ? 1 : c.dims[k++]!);
  ctx.constantOutput({ ...c, dims });
  return 'done';
};

/** Squeeze: unit axes dropped; of a computed tensor, a flatten of the run they form with a neighbour. */
export const squeeze: Handler = (ctx) => {
  const o = ctx.operand(0);
  const dims = o.kind === 'value' ? ctx.shape(0) : o.c.dims;
  const given = axesOf(ctx);
  const axes = given ? given.map((a) => normAxis(ctx, a, dims.length)) : dims.flatMap((d, a) => (d === 1 ? [a] : []));
  if (axes.some((a) => dims[a] !== 1)) ctx.mismatch(`axes ${show(given ?? axes)} of ${show(dims)} are not all of size 1`);
  const target = dims.filter((_, a) => !axes.includes(a));
  if (o.kind === 'const') {
    ctx.constantOutput({ ...o.c, dims: target });
    return 'done';
  }
  if (axes.length === 0) return { op: 'identity', inputs: [o.id], attrs: {}, outShape: dims, params: {} };
  const sorted = [...axes].sort((x, y) => x - y);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (last - first + 1 !== sorted.length || sorted.length === dims.length) {
    ctx.reject(`squeezing axes ${show(sorted)} of ${show(dims)} is not one flatten of adjacent axes`);
  }
  // Merge the run of unit axes into the axis before it (or after it, at the front).
  const [start, end] = first > 0 ? [first - 1, last] : [first, last + 1];
  return { op: 'flatten', inputs: [o.id], attrs: { start, end }, outShape: target, params: {} };
};

/** Cast: constants converted; a computed float tensor cast to float is itself. */
export const cast: Handler = (ctx) => {
  const to = ctx.attrInt('to', 0);
  const FLOAT = 1;
  const DOUBLE = 11;
  const INTEGER = new Set([2, 3, 4, 5, 6, 7, 12, 13]);
  const o = ctx.operand(0);
  if (o.kind === 'value') {
    if (to !== FLOAT) ctx.reject(`casting a computed tensor to data type ${to} is not supported; netc computes float32`);
    return { op: 'identity', inputs: [o.id], attrs: {}, outShape: ctx.shape(0), params: {} };
  }
  const v = valuesOf(o.c);
  if (INTEGER.has(to)) ctx.constantOutput({ dims: o.c.dims, ints: v.map((x) => Math.trunc(x)) });
  else if (to === FLOAT || to === DOUBLE) ctx.constantOutput({ dims: o.c.dims, floats: Float32Array.from(v) });
  else ctx.reject(`casting to data type ${to} is not supported`);
  return 'done';
};

/** Concat of constants (the shape `[N, -1]` assembled from parts) folds; of tensors, `tensors` handles it. */
export function foldConstantConcat(tensors: Handler): Handler {
  return (ctx) => {
    const ops = ctx.node.inputs.map((_, i) => ctx.operand(i));
    if (ops.some((o) => o.kind !== 'const')) return tensors(ctx);
    const parts = ops.map((_, i) => ctx.constant(i, `input ${i}`));
    if (parts.some((p) => p.dims.length !== 1)) ctx.reject('only 1-D constants (shapes) are concatenated at import');
    const values = parts.flatMap(valuesOf);
    ctx.constantOutput(constLike(parts[0]!, [values.length], values));
    return 'done';
  };
}
