/**
 * Elementwise `add` and `mul` (also written `a + b`, `a * b`): two tensors of equal shape,
 * or a tensor and a per-channel operand `[C, 1, ...]` / `[1, C, 1, ...]` broadcast over the
 * batch and spatial axes.
 */
import { compareDims, constValue, dimToString, type Dim } from '../../ir/dim/dim.ts';
import type { NoAttrs } from '../attrs.ts';
import { shapeText } from '../def-helpers.ts';
import type { OpContext, OpDef } from '../types.ts';

/** Whether `p` is a per-channel operand for the full tensor `x`. */
export function isPerChannel(p: readonly Dim[], x: readonly Dim[]): boolean {
  if (x.length < 3) return false;
  const one = (d: Dim | undefined) => d !== undefined && constValue(d) === 1;
  if (p.length === x.length - 1) return p.slice(1).every(one);
  if (p.length === x.length) return one(p[0]) && p.slice(2).every(one) && !sameShape(p, x);
  return false;
}

function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => compareDims(d, b[i]!).kind === 'equal');
}

const spatialText = (s: readonly Dim[]): string => s.map(dimToString).join('x');

/**
 * Check that every operand agrees with `first` on each axis except `skipAxis`; mismatches
 * are reported as channel (axis 1), spatial (axes 2+) or other-axis errors.
 */
export function checkOperandAxes(ctx: OpContext, inputs: readonly (readonly Dim[])[], skipAxis?: number): boolean {
  const first = inputs[0]!;
  let ok = true;
  inputs.slice(1).forEach((x, j) => {
    const bad: number[] = [];
    x.forEach((d, i) => {
      if (i !== skipAxis && !ctx.sameDim(first[i]!, d)) bad.push(i);
    });
    if (bad.length === 0) return;
    ok = false;
    const at = { input: j + 1 };
    if (bad.includes(1)) {
      ctx.report('NET2001', { op: ctx.spelledAs, got: `${dimToString(first[1]!)} and ${dimToString(x[1]!)}` }, at);
    }
    if (bad.some((i) => i >= 2)) {
      ctx.report('NET2002', { op: ctx.spelledAs, got: `${spatialText(first.slice(2))} and ${spatialText(x.slice(2))}` }, at);
    }
    if (bad.includes(0)) {
      ctx.report('NET2003', { op: ctx.spelledAs, axis: 0, got: `${dimToString(first[0]!)} and ${dimToString(x[0]!)}` }, at);
    }
  });
  return ok;
}

function elementwiseShape(_a: NoAttrs, inputs: Dim[][], ctx: OpContext): Dim[] | undefined {
  const [a, b] = inputs as [Dim[], Dim[]];
  if (isPerChannel(b, a) || isPerChannel(a, b)) {
    const [full, per] = isPerChannel(b, a) ? [a, b] : [b, a];
    const c = per.length === full.length ? per[1]! : per[0]!;
    if (!ctx.sameDim(full[1]!, c)) {
      ctx.report('NET2001', { op: ctx.spelledAs, got: `${dimToString(full[1]!)} and ${dimToString(c)}` }, { input: full === a ? 1 : 0 });
      return undefined;
    }
    return [...full];
  }
  if (a.length !== b.length) {
    ctx.report('NET2013', { op: ctx.spelledAs, a: shapeText(a), b: shapeText(b) }, { input: 1 });
    return undefined;
  }
  return checkOperandAxes(ctx, [a, b]) ? [...a] : undefined;
}

function elementwise<K extends 'add' | 'mul'>(name: K, infix: '+' | '*', doc: string): Omit<OpDef<K>, 'interp'> {
  return {
    name,
    spellings: [{ name }],
    infix,
    doc,
    inputs: { min: 2, max: 2 },
    args: [],
    attrs: () => ({}),
    call: () => ({ callee: name, args: [] }),
    shape: elementwiseShape,
    elementwise: true,
  };
}

export const addDef = elementwise('add', '+', 'Elementwise sum of two tensors of equal shape, or of a tensor and a per-channel [C, 1, 1].');
export const mulDef = elementwise('mul', '*', 'Elementwise product of two tensors of equal shape, or of a tensor and a per-channel [C, 1, 1].');
