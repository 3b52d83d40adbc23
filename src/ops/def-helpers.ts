/**
 * Shared pieces of the operators' argument normalisation and shape rules: the spatial rank
 * of an input, per-axis expansion of arguments, value checks, and the positivity check of
 * computed sizes. Every check reports through the OpContext and returns undefined on error.
 */
import {
  checkPositive, constValue, dimToString, type Dim,
} from '../ir/dim/dim.ts';
import type { Tensor } from '../ir/tensor.ts';
import type { Rank } from './attrs.ts';
import type { OpContext, ScalarValue, SetArg } from './types.ts';

export function shapeText(dims: readonly Dim[]): string {
  return `[${dims.map(dimToString).join(', ')}]`;
}

const AXIS_NAMES: Record<number, readonly string[]> = { 1: ['length'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };

/** The name a person gives spatial axis `axis` of `rank` spatial axes: depth, height, width (length in 1-D). */
export function spatialAxisName(axis: number, rank: number): string {
  return AXIS_NAMES[rank]?.[axis] ?? `spatial axis ${axis}`;
}

/** A per-axis argument value as a user writes it: `2` when every axis agrees, else `(2, 3)`. */
export function perAxisText(values: readonly number[]): string {
  return values.every((v) => v === values[0]) ? String(values[0]) : `(${values.join(', ')})`;
}

const LAYOUT: Record<Rank, string> = { 1: '[N, C, L]', 2: '[N, C, H, W]', 3: '[N, C, D, H, W]' };

/**
 * The spatial rank of a batched channels-first input (rank - 2), checked against the rank
 * the spelling fixes (`conv2d`) and against 1..3.
 */
export function spatialRank(input: readonly Dim[] | undefined, ctx: OpContext): Rank | undefined {
  const got = input?.length ?? 0;
  const want = ctx.spellingRank;
  const r = got - 2;
  if (want !== undefined ? r !== want : r < 1 || r > 3) {
    const expected = want !== undefined
      ? `a rank-${want + 2} input ${LAYOUT[want]}`
      : 'a rank-3 to rank-5 input [N, C, spatial...]';
    ctx.report('NET2004', { op: ctx.spelledAs, expected, got, shape: shapeText(input ?? []) }, { input: 0 });
    return undefined;
  }
  return r as Rank;
}

export interface IntCheck {
  min?: number;
  /** Why values below min are wrong ("the window must cover at least one element"). */
  reason?: string;
}

function showValue(v: ScalarValue | undefined): string {
  if (Array.isArray(v)) return `(${v.map(showValue).join(', ')})`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function badValue(ctx: OpContext, arg: string, value: ScalarValue | undefined, reason: string, help?: string): undefined {
  ctx.report('NET2009', { arg, value: showValue(value), reason }, { at: arg, help });
  return undefined;
}

/** A single integer argument with a lower bound. */
export function intArg(ctx: OpContext, arg: string, v: ScalarValue | undefined, check: IntCheck = {}): number | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return badValue(ctx, arg, v, 'expected an integer');
  if (check.min !== undefined && v < check.min) {
    return badValue(ctx, arg, v, check.reason ?? `must be at least ${check.min}`);
  }
  return v;
}

export function floatArg(ctx: OpContext, arg: string, v: ScalarValue | undefined): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return badValue(ctx, arg, v, 'expected a finite number');
  return v;
}

export function boolArg(ctx: OpContext, arg: string, v: ScalarValue | undefined): boolean | undefined {
  if (typeof v !== 'boolean') return badValue(ctx, arg, v, 'expected true or false');
  return v;
}

/** An int (the same on every axis) or a tuple with one int per spatial axis. */
export function perAxisInts(ctx: OpContext, arg: string, v: ScalarValue | undefined, rank: Rank, check: IntCheck = {}): number[] | undefined {
  if (Array.isArray(v)) {
    if (v.length !== rank) {
      ctx.report('NET2010', { arg, got: v.length, rank }, { at: arg });
      return undefined;
    }
    const out: number[] = [];
    for (const x of v) {
      if (typeof x !== 'number' || !Number.isSafeInteger(x)) return badValue(ctx, arg, v, 'expected integers');
      if (check.min !== undefined && x < check.min) return badValue(ctx, arg, v, check.reason ?? `every entry must be at least ${check.min}`);
      out.push(x);
    }
    return out;
  }
  const one = intArg(ctx, arg, v, check);
  return one === undefined ? undefined : new Array<number>(rank).fill(one);
}

/** A float or a tuple with one float per spatial axis. */
export function perAxisFloats(ctx: OpContext, arg: string, v: ScalarValue | undefined, rank: Rank): number[] | undefined {
  if (Array.isArray(v)) {
    if (v.length !== rank) {
      ctx.report('NET2010', { arg, got: v.length, rank }, { at: arg });
      return undefined;
    }
    const out: number[] = [];
    for (const x of v) {
      if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) return badValue(ctx, arg, v, 'expected positive numbers');
      out.push(x);
    }
    return out;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return badValue(ctx, arg, v, 'expected a positive number');
  return new Array<number>(rank).fill(v);
}

/** An axis argument, negative counting from the end, normalised to 0..rank-1. */
export function axisArg(ctx: OpContext, arg: string, v: ScalarValue | undefined, rank: number): number | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return badValue(ctx, arg, v, 'expected an integer axis');
  const a = v < 0 ? v + rank : v;
  if (a < 0 || a >= rank) {
    ctx.report('NET2012', { arg, value: v, rank }, { at: arg });
    return undefined;
  }
  return a;
}

/**
 * Check that every computed spatial size is at least 1: reported when it is a known
 * constant below 1 or a symbolic size the checker shows can never be positive.
 * `help(axis)` says what would fix it, and `setArg` is that fix as an argument value when
 * there is one (`pad=2`): one value for every axis, computed by the caller.
 */
export function checkSizes(
  ctx: OpContext, sizes: readonly Dim[], help?: (axis: number) => string | undefined,
  setArg?: () => SetArg | undefined,
): boolean {
  let ok = true;
  sizes.forEach((d, axis) => {
    const c = constValue(d);
    const bad = c !== undefined ? c < 1 : d.invalid !== undefined || !ctx.positiveDim(d);
    if (!bad) return;
    ok = false;
    const p = checkPositive(d);
    const size = c !== undefined ? String(c) : p.kind === 'ok' ? dimToString(d) : `${dimToString(d)} (${p.text})`;
    ctx.report('NET2006', { op: ctx.spelledAs, axis: spatialAxisName(axis, sizes.length), size }, { help: help?.(axis), setArg: setArg?.() });
  });
  return ok;
}

/** prod of a list of numbers. */
export function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Weight data with every slice along the first axis scaled: out[o, ...] = w[o, ...] * scale[o]. */
export function scaleFirstAxis(weight: Tensor, scale: Float64Array): Float32Array {
  const w = weight.data;
  const per = w.length / scale.length;
  const data = new Float32Array(w.length);
  for (let o = 0; o < scale.length; o++) for (let e = 0; e < per; e++) data[o * per + e] = w[o * per + e]! * scale[o]!;
  return data;
}

/** One value per axis as a label: `3` when every axis agrees, else `3x5`. */
function axesText(v: readonly number[]): string | undefined {
  if (v.length === 0) return undefined;
  return v.every((x) => x === v[0]) ? String(v[0]) : v.join('x');
}

/**
 * Label words of a sliding window: `k=3`, and `s=2`, `d=2`, `g=4` where they are not 1
 * (graph pictures).
 */
export function windowLabel(a: { kernel: number[]; stride: number[]; dilation?: number[]; groups?: number }): string[] {
  const words: string[] = [];
  const nonTrivial = (name: string, v: readonly number[] | undefined): void => {
    const t = v && axesText(v);
    if (t !== undefined && t !== '1') words.push(`${name}=${t}`);
  };
  const k = axesText(a.kernel);
  if (k !== undefined) words.push(`k=${k}`);
  nonTrivial('s', a.stride);
  nonTrivial('d', a.dilation);
  if (a.groups !== undefined && a.groups !== 1) words.push(`g=${a.groups}`);
  return words;
}
