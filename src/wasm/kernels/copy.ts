/**
 * Data movement: concat (a memory.copy per input and outer index, skipped for inputs a
 * producer already wrote in place through a view), channel slices, and the aliasing ops
 * (identity, dropout, flatten), which cost nothing when the storage plan made their output
 * share the input's bytes and are a copy otherwise.
 */
import type { AxisAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import type { LowerArgs } from './types.ts';

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

export function lowerConcat({ attrs, inputs, output, ctx }: LowerArgs<AxisAttrs>): Expr[] {
  const m = ctx.m;
  const axis = attrs.axis;
  const inner = prod(output.shape.slice(axis + 1));
  const outer = prod(output.shape.slice(0, axis));
  const outRow = output.shape[axis]! * inner;
  const stmts: Expr[] = [];
  let offset = 0;
  for (const x of inputs) {
    const row = x.shape[axis]! * inner;
    const inPlace = axis === 1 && x.ptr === output.ptr + offset * 4 && (outer === 1 || x.batchStride === output.batchStride);
    if (!inPlace) {
      const srcStride = axis === 1 ? x.batchStride : row;
      const dstStride = axis === 1 ? output.batchStride : outRow;
      for (let o = 0; o < outer; o++) {
        stmts.push(m.memCopy(m.i32.c(output.ptr + (o * dstStride + offset) * 4), m.i32.c(x.ptr + o * srcStride * 4), m.i32.c(row * 4)));
      }
    }
    offset += row;
  }
  return stmts;
}

export function lowerSlice({ attrs, inputs, output, ctx }: LowerArgs<{ axis: number; start: number; length: number }>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const inner = prod(x.shape.slice(attrs.axis + 1));
  const outer = prod(x.shape.slice(0, attrs.axis));
  const total = x.shape[attrs.axis]!;
  if (output.ptr === x.ptr + attrs.start * inner * 4 && outer === 1) return [];
  const stmts: Expr[] = [];
  for (let o = 0; o < outer; o++) {
    stmts.push(m.memCopy(m.i32.c(output.ptr + o * attrs.length * inner * 4), m.i32.c(x.ptr + (o * total + attrs.start) * inner * 4), m.i32.c(attrs.length * inner * 4)));
  }
  return stmts;
}

export function lowerAlias({ inputs, output, ctx }: LowerArgs): Expr[] {
  const x = inputs[0]!;
  if (x.ptr === output.ptr) return [];
  const m = ctx.m;
  return [m.memCopy(m.i32.c(output.ptr), m.i32.c(x.ptr), m.i32.c(prod(output.shape) * 4))];
}
