/**
 * add, sub, mul and div, with broadcasting (right-aligned, size-1 axes repeat). The output is split
 * into outer axes (plain loops) and the longest inner run over which each operand is either
 * contiguous or constant; the run is vectorised, a constant operand splatted. Equal shapes
 * are one run; a per-channel [C, 1, 1] operand gives runs of H*W with a splat.
 * More than two inputs fold left through the output buffer.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../module.ts';
import type { LowerArgs } from './types.ts';

type BinOp = 'add' | 'sub' | 'mul' | 'div';

/** Element strides of `shape` broadcast to `out` (0 on repeated axes). */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    const axis = out.length - shape.length + a;
    strides[axis] = shape[a] === 1 ? 0 : stride;
    stride *= shape[a]!;
  }
  return strides;
}

interface Split {
  outer: number[];
  outerA: number[];
  outerB: number[];
  run: number;
  aConst: boolean;
  bConst: boolean;
}

function splitRuns(out: readonly number[], sa: number[], sb: number[]): Split {
  let k = out.length;
  let run = 1;
  let aMode: boolean | undefined;
  let bMode: boolean | undefined;
  while (k > 0) {
    const size = out[k - 1]!;
    if (size !== 1) {
      const aC = sa[k - 1] === 0;
      const bC = sb[k - 1] === 0;
      const aOk = aC ? aMode !== false : aMode !== true && sa[k - 1] === run;
      const bOk = bC ? bMode !== false : bMode !== true && sb[k - 1] === run;
      if (!aOk || !bOk) break;
      aMode = aC;
      bMode = bC;
      run *= size;
    }
    k--;
  }
  return { outer: out.slice(0, k), outerA: sa.slice(0, k), outerB: sb.slice(0, k), run, aConst: aMode ?? false, bConst: bMode ?? false };
}

export function lowerElementwise({ node, inputs: tensors, output, params, ctx }: LowerArgs): Expr[] {
  const m = ctx.m;
  const op = node.op as BinOp;
  const outShape = output.shape;
  const stmts: Expr[] = [];
  // A constant operand (the weight `value`) is the last operand, placed with the weights.
  const value = params['value'];
  const inputs = value
    ? [...tensors, { ptr: ctx.constant(value.data), shape: value.shape, batchStride: value.data.length }]
    : tensors;
  let acc = inputs[0]!;
  for (let k = 1; k < inputs.length; k++) {
    const b = inputs[k]!;
    const split = splitRuns(outShape, broadcastStrides(acc.shape, outShape), broadcastStrides(b.shape, outShape));
    const name = ctx.fn(`ew_${op}`, split, ['i32', 'i32', 'i32'], (f) => emitBinary(ctx.m, f, op, split));
    stmts.push(m.call(name, [m.i32.c(acc.ptr), m.i32.c(b.ptr), m.i32.c(output.ptr)]));
    acc = { ...output };
  }
  if (inputs.length === 1 && inputs[0]!.ptr !== output.ptr) {
    stmts.push(m.memCopy(m.i32.c(output.ptr), m.i32.c(inputs[0]!.ptr), m.i32.c(outShape.reduce((x, y) => x * y, 1) * 4)));
  }
  return stmts;
}

function emitBinary(m: ModuleBuilder, f: FunctionBuilder, op: BinOp, s: Split): Expr[] {
  const i32 = m.i32;
  const [a, b, out] = [f.param(0), f.param(1), f.param(2)];
  const pa = f.local('i32');
  const pb = f.local('i32');
  const po = f.local('i32');
  const i = f.local('i32');
  const va = f.local('v128');
  const vb = f.local('v128');
  const apply = (x: Expr, y: Expr): Expr => m.v[op](x, y);
  const at = (p: Local, isConst: boolean): Expr => (isConst ? f.get(p) : i32.add(f.get(p), i32.shl(f.get(i), i32.c(2))));
  const vecEnd = (s.run >> 2) << 2;
  const inner: Expr[] = [];
  if (s.aConst) inner.push(f.set(va, m.v.load32Splat(f.get(pa))));
  if (s.bConst) inner.push(f.set(vb, m.v.load32Splat(f.get(pb))));
  const vload = (p: Local, isConst: boolean, v: Local): Expr => (isConst ? f.get(v) : m.v.load(at(p, false)));
  inner.push(f.for(i, 0, vecEnd, 4, [m.v.store(at(po, false), apply(vload(pa, s.aConst, va), vload(pb, s.bConst, vb)))]));
  for (let t = vecEnd; t < s.run; t++) {
    const la = s.aConst ? f.get(va) : m.v.load32Zero(f.get(pa), t * 4);
    const lb = s.bConst ? f.get(vb) : m.v.load32Zero(f.get(pb), t * 4);
    inner.push(m.v.store32Lane(f.get(po), apply(la, lb), 0, t * 4));
  }
  // Outer loops: one index local per outer axis; addresses recomputed at the innermost level.
  const idx = s.outer.map(() => f.local('i32'));
  const addr = (base: Local, strides: number[], elemStride: number[]): Expr => {
    let e = f.get(base);
    idx.forEach((l, k) => {
      const st = strides[k]! * elemStride[k]!;
      if (st !== 0) e = i32.add(e, i32.mul(f.get(l), i32.c(st * 4)));
    });
    return e;
  };
  const ones = s.outer.map(() => 1);
  const outStrides = s.outer.map((_, k) => s.outer.slice(k + 1).reduce((x, y) => x * y, 1) * s.run);
  let body: Expr[] = [
    f.set(pa, addr(a, s.outerA, ones)),
    f.set(pb, addr(b, s.outerB, ones)),
    f.set(po, addr(out, outStrides, ones)),
    ...inner,
  ];
  for (let k = s.outer.length - 1; k >= 0; k--) body = [f.for(idx[k]!, 0, s.outer[k]!, 1, body)];
  return body;
}
