/**
 * Elementwise `add`, `sub`, `mul`, `div` (also written `a + b`, `a - b`, `a * b`, `a / b`):
 * two tensors combined with NumPy broadcasting (a squeeze-and-excitation scale `[N, C, 1, 1]`,
 * a per-channel `[C, 1, 1]`), or one tensor and a constant the operator owns as its weight
 * `value` (`norm: sub(shape=(1, 3, 1, 1))`, input normalisation's mean), loaded from the
 * weight file like any parameter.
 */
import {
  compareDims, constValue, dimAssuming, dimConst, dimSymbols, dimTextByTerm, dimToString, floorsExactWhen, type Dim,
} from '../../ir/dim/dim.ts';
import type { ElementwiseAttrs } from '../attrs.ts';
import { badValue, shapeText } from '../def-helpers.ts';
import type { OpContext, OpDef } from '../types.ts';

/**
 * Two operands' sizes on some axes as shapes are written, `[D - 12, H - 12, W - 12] and
 * [D - 4, H - 4, W - 4]`: separators a symbolic size cannot be confused with, each size as
 * the user would write it, and an axis on which both agree printed alike.
 */
function pairText(ctx: OpContext, a: readonly Dim[], b: readonly Dim[]): string {
  // A size still rounded down (2*floor(D/2) - 12) is printed for the sizes that divide
  // evenly (D - 12), and the sentence says for which.
  const assumed: string[] = [];
  const text = (d: Dim) => {
    const shown = ctx.dimText?.(d) ?? dimToString(d);
    if (!shown.includes('floor(') && !shown.includes('ceil(')) return shown;
    const even = floorsExactWhen(d);
    // Only "D divisible by 2" reads as a plain condition; `floor((H + 1)/2)` stays as it is.
    if (even.some((r) => dimSymbols(r.expr).length !== 1 || dimToString(r.expr) !== dimSymbols(r.expr)[0])) return shown;
    for (const r of even) if (!assumed.includes(r.text)) assumed.push(r.text);
    return dimTextByTerm(dimAssuming(d, even));
  };
  const ta = a.map(text);
  const tb = b.map((d, i) => (a[i] !== undefined && compareDims(a[i]!, d).kind !== 'unequal' ? ta[i]! : text(d)));
  const pair = a.length === 1 ? `${ta[0]} and ${tb[0]}` : `[${ta.join(', ')}] and [${tb.join(', ')}]`;
  return assumed.length === 0 ? pair : `${pair} (when ${divisibilityText(assumed)})`;
}

/** "D, H and W are divisible by 2" from "D must be divisible by 2", ...; other conditions listed. */
function divisibilityText(reqs: readonly string[]): string {
  const parsed = reqs.map((t) => /^(.+) must be divisible by (\d+)$/.exec(t));
  const divisors = new Set(parsed.map((m) => m?.[2]));
  if (parsed.every((m) => m !== null) && divisors.size === 1) {
    const names = parsed.map((m) => m![1]!);
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return `${list} ${names.length === 1 ? 'is' : 'are'} divisible by ${[...divisors][0]}`;
  }
  return reqs.map((t) => t.replace(' must be ', ' is ')).join(', ');
}

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
      ctx.report('NET2001', { op: ctx.spelledAs, got: pairText(ctx, [first[1]!], [x[1]!]) }, at);
    }
    if (bad.some((i) => i >= 2)) {
      ctx.report('NET2002', { op: ctx.spelledAs, got: pairText(ctx, first.slice(2), x.slice(2)) }, at);
    }
    if (bad.includes(0)) {
      ctx.report('NET2003', { op: ctx.spelledAs, axis: '0 (the batch)', got: pairText(ctx, [first[0]!], [x[0]!]) }, at);
    }
  });
  return ok;
}

/**
 * NumPy broadcasting: shapes aligned on the right, each axis equal or 1 in one operand.
 * Mismatches are reported as channel, spatial or other-axis errors when the ranks agree, and
 * as a broadcast error otherwise.
 */
export function broadcastShape(ctx: OpContext, a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const one = (d: Dim | undefined) => d === undefined || constValue(d) === 1;
  const out: Dim[] = [];
  const bad: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (one(y)) out.push(x ?? y!);
    else if (one(x)) out.push(y!);
    else if (ctx.sameDim(x!, y!)) out.push(x!);
    else {
      out.push(x!);
      bad.push(i);
    }
  }
  if (bad.length === 0) return out;
  const at = { input: 1 };
  if (a.length !== b.length && bad.some((i) => i !== 1)) {
    ctx.report('NET2013', { op: ctx.spelledAs, a: shapeText(a), b: shapeText(b) }, at);
    return undefined;
  }
  const [pa, pb] = [a.length - rank, b.length - rank];
  if (bad.includes(1)) ctx.report('NET2001', { op: ctx.spelledAs, got: pairText(ctx, [a[pa + 1]!], [b[pb + 1]!]) }, at);
  if (bad.some((i) => i >= 2)) ctx.report('NET2002', { op: ctx.spelledAs, got: pairText(ctx, a.slice(2), b.slice(2)) }, at);
  if (bad.includes(0)) ctx.report('NET2003', { op: ctx.spelledAs, axis: '0 (the batch)', got: pairText(ctx, [a[0]!], [b[0]!]) }, at);
  return undefined;
}

function elementwiseShape(attrs: ElementwiseAttrs, inputs: Dim[][], ctx: OpContext): Dim[] | undefined {
  const a = inputs[0]!;
  const b = inputs[1] ?? attrs.constant?.map(dimConst);
  if (!b) return undefined;
  const out = broadcastShape(ctx, a, b);
  if (out && inputs.length === 1 && (out.length !== a.length || out.some((d, i) => d !== a[i]))) {
    // The constant must fit the input: it is broadcast onto it, never the other way.
    ctx.report('NET2013', { op: ctx.spelledAs, a: shapeText(a), b: shapeText(b) }, { at: 'shape' });
    return undefined;
  }
  return out;
}

function elementwise<K extends 'add' | 'sub' | 'mul' | 'div'>(name: K, infix: '+' | '-' | '*' | '/', doc: string, spelling: string = name): Omit<OpDef<K>, 'interp'> {
  return {
    name,
    spellings: [{ name: spelling }],
    infix,
    doc,
    inputs: { min: 1, max: 2 },
    args: [{ name: 'shape', type: 'ints', optional: true, doc: 'With one tensor input: the shape of the constant operand the operator owns as its weight `value`.' }],
    attrs(args, inputs, ctx) {
      const shape = args.shape === undefined ? undefined : Array.isArray(args.shape) ? args.shape : [args.shape];
      if (inputs.length === 2) {
        if (shape !== undefined) return badValue(ctx, 'shape', args.shape, 'is only given with one tensor input (the other operand is then the constant)');
        return {};
      }
      if (shape === undefined) {
        ctx.report('NET1015', { callee: ctx.spelledAs, expected: 2, got: 1 }, {
          help: `with one tensor, give the shape of the constant operand it owns as weight \`value\`: ${ctx.spelledAs}(x, shape=(1, C, 1, 1))`,
        });
        return undefined;
      }
      if (shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1)) return badValue(ctx, 'shape', args.shape, 'expected positive integers');
      return { constant: shape as number[] };
    },
    call: (attrs) => ({ callee: spelling, args: attrs.constant ? [{ name: 'shape', value: { type: 'ints', v: attrs.constant } }] : [] }),
    shape: elementwiseShape,
    weights: (attrs) => (attrs.constant ? [{ role: 'value', shape: attrs.constant.map(dimConst), trainable: false }] : []),
    elementwise: true,
  };
}

export const addDef = elementwise('add', '+', 'a + b, with NumPy broadcasting; with one input, x + value (a constant weight of the given shape).');
export const subDef = elementwise('sub', '-', 'a - b, with NumPy broadcasting; with one input, x - value (a constant weight of the given shape).');
export const mulDef = elementwise('mul', '*', 'a * b, with NumPy broadcasting; with one input, x * value (a constant weight of the given shape).');
// `div` is the language's integer-division keyword, so the call is spelled `divide` (torch.divide).
export const divDef = elementwise('div', '/', 'a / b, with NumPy broadcasting; with one input, x / value (a constant weight of the given shape).', 'divide');
