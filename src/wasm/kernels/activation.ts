/**
 * Activations on f32x4 vectors: the standalone elementwise kernels and the epilogue that conv
 * and other kernels apply before storing. Wasm has no exp, so exp is a Cephes-style range
 * reduction and degree-6 polynomial (about 1 ulp), emitted once as a helper function.
 *
 * NaN and infinities flow through without traps: min/max are the IEEE (NaN-propagating)
 * ones, and float-to-int conversion is the saturating one.
 */
import type { Formula } from '../../ops/activation/formula.ts';
import { activationFormula } from '../../ops/activations.ts';
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../module.ts';
import type { LowerArgs } from './types.ts';

/** exp(x) lane-wise; inputs are clamped to [-87, 88] so that 2^n stays a normal number. */
export function emitExpHelper(m: ModuleBuilder, name: string): void {
  m.addFunction(name, ['v128'], 'v128', (f) => {
    const x = f.param(0);
    const n = f.local('v128');
    const r = f.local('v128');
    const v = m.v;
    const c = (k: number): Expr => v.splatC(k);
    const poly = (coeffs: number[]): Expr => {
      let acc = c(coeffs[0]!);
      for (const k of coeffs.slice(1)) acc = v.add(v.mul(acc, f.get(r)), c(k));
      return acc;
    };
    return [
      f.set(x, v.min(v.max(f.get(x), c(-87)), c(88))),
      f.set(n, v.nearest(v.mul(f.get(x), c(Math.LOG2E)))),
      f.set(r, v.sub(v.sub(f.get(x), v.mul(f.get(n), c(0.693359375))), v.mul(f.get(n), c(-2.12194440e-4)))),
      // y = P(r) * r^2 + r + 1
      f.set(x, v.add(v.add(v.mul(poly([1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]), v.mul(f.get(r), f.get(r))), f.get(r)), c(1))),
      // 2^n built in the exponent field.
      v.mul(f.get(x), v.i32x4Shl(v.i32x4Add(v.toI32x4(f.get(n)), v.isplat(m.i32.c(127))), 23)),
    ];
  });
}

export function emitSigmoidHelper(m: ModuleBuilder, name: string, exp: string): void {
  m.addFunction(name, ['v128'], 'v128', (f) => [
    m.v.div(m.v.splatC(1), m.v.add(m.v.splatC(1), m.callValue(exp, [m.v.neg(f.get(f.param(0)))], 'v128'))),
  ]);
}

/** tanh: an odd polynomial below |x| = 0.625 (no cancellation), 1 - 2/(e^2|x| + 1) above. */
export function emitTanhHelper(m: ModuleBuilder, name: string, exp: string): void {
  m.addFunction(name, ['v128'], 'v128', (f) => {
    const x = f.param(0);
    const ax = f.local('v128');
    const z = f.local('v128');
    const v = m.v;
    const c = (k: number): Expr => v.splatC(k);
    let p = c(-5.70498872745e-3);
    for (const k of [2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]) p = v.add(v.mul(p, f.get(z)), c(k));
    const small = v.add(v.mul(v.mul(p, f.get(z)), f.get(x)), f.get(x));
    const big = v.sub(c(1), v.div(c(2), v.add(m.callValue(exp, [v.add(f.get(ax), f.get(ax))], 'v128'), c(1))));
    const signMask = v.isplat(m.i32.c(0x80000000 | 0));
    const signedBig = v.bitselect(f.get(x), big, signMask);
    return [
      f.set(ax, v.abs(f.get(x))),
      f.set(z, v.mul(f.get(x), f.get(x))),
      v.bitselect(small, signedBig, v.lt(f.get(ax), c(0.625))),
    ];
  });
}

/**
 * erf(x) lane-wise: x P(x^2) / Q(x^2) with x clamped to [-4, 4] (erf(4) rounds to 1 in
 * float32), the rational approximation Eigen and XLA use for float32. Measured against a
 * float64 erf on [-6, 6] in steps of 1e-5 (float32 arithmetic): max absolute error 4.2e-7,
 * about 7 float32 ulps near |erf| = 1, 3.3 ulps on [0, 1].
 */
export function emitErfHelper(m: ModuleBuilder, name: string): void {
  m.addFunction(name, ['v128'], 'v128', (f) => {
    const x = f.param(0);
    const x2 = f.local('v128');
    const v = m.v;
    const c = (k: number): Expr => v.splatC(k);
    const poly = (coeffs: number[]): Expr => {
      let acc = c(coeffs[0]!);
      for (const k of coeffs.slice(1)) acc = v.add(v.mul(acc, f.get(x2)), c(k));
      return acc;
    };
    const p = poly([-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2]);
    const q = poly([-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2]);
    return [
      // pmin/pmax keep a NaN input NaN (it is their first operand).
      f.set(x, m.raw.f32x4.pmax(m.raw.f32x4.pmin(f.get(x), c(4)), c(-4))),
      f.set(x2, v.mul(f.get(x), f.get(x))),
      v.div(v.mul(f.get(x), p), q),
    ];
  });
}

/** A key that identifies an activation for function sharing (relu and clip(min=0) share one). */
export function activationKey(a: Formula | undefined): string {
  return a ? JSON.stringify(a) : 'none';
}

/**
 * The activation formula (ops/activation/formula.ts) applied to the vector in local `v`, as
 * f32x4 instructions.
 */
export function applyActivation(m: ModuleBuilder, f: FunctionBuilder, v: Local, act: Formula | undefined, helper: (n: 'exp' | 'sigmoid' | 'tanh' | 'erf') => string): Expr {
  if (!act) return f.get(v);
  const emit = (e: Formula): Expr => {
    switch (e.f) {
      case 'x': return f.get(v);
      case 'const': return m.v.splatC(e.value);
      case 'add': return m.v.add(emit(e.a), emit(e.b));
      case 'sub': return m.v.sub(emit(e.a), emit(e.b));
      case 'mul': return m.v.mul(emit(e.a), emit(e.b));
      case 'div': return m.v.div(emit(e.a), emit(e.b));
      // pmax(a, lo) = a < lo ? lo : a and pmin(a, hi) = hi < a ? hi : a keep a NaN a, as
      // IEEE max/min do, in one x86 instruction each (V8 spends about 8 on f32x4.max).
      case 'atLeast': return m.raw.f32x4.pmax(emit(e.a), m.v.splatC(e.bound));
      case 'atMost': return m.raw.f32x4.pmin(emit(e.a), m.v.splatC(e.bound));
      // test > 0 ? then : otherwise; NaN fails the test.
      case 'ifPositive': return m.v.bitselect(emit(e.then), emit(e.otherwise), m.v.gt(emit(e.test), m.v.splatC(0)));
      case 'exp': case 'sigmoid': case 'tanh': case 'erf': return m.callValue(helper(e.f), [emit(e.a)], 'v128');
    }
  };
  return emit(act);
}

/**
 * Apply `body` to `n` floats from `src` to `dst` four at a time; the last n % 4 one lane at a
 * time (load32_zero / store32_lane), so nothing past either buffer is touched.
 */
export function emitMapLoop(m: ModuleBuilder, f: FunctionBuilder, n: number, src: Local[], dst: Local, body: (vals: Local[]) => Expr): Expr[] {
  const i = f.local('i32');
  const vals = src.map(() => f.local('v128'));
  const out: Expr[] = [];
  const vecEnd = (n >> 2) << 2;
  const at = (p: Local): Expr => m.i32.add(f.get(p), m.i32.shl(f.get(i), m.i32.c(2)));
  out.push(f.for(i, 0, vecEnd, 4, [
    ...src.map((s, k) => f.set(vals[k]!, m.v.load(at(s)))),
    m.v.store(at(dst), body(vals)),
  ]));
  for (let t = vecEnd; t < n; t++) {
    out.push(
      ...src.map((s, k) => f.set(vals[k]!, m.v.load32Zero(f.get(s), t * 4))),
      m.v.store32Lane(f.get(dst), body(vals), 0, t * 4),
    );
  }
  return out;
}

/** Any activation operator as a standalone node: its table entry's formula over every element. */
export function lowerActivation({ node, inputs, output, ctx }: LowerArgs): Expr[] {
  const m = ctx.m;
  const act = activationFormula(node.op, node.attrs);
  if (!act) throw new Error(`${node.op} is lowered as an activation but its table entry has no formula`);
  const n = inputs[0]!.shape.reduce((a, b) => a * b, 1);
  const name = ctx.fn('act', [activationKey(act), n], ['i32', 'i32'], (f) => {
    const tmp = f.local('v128');
    return emitMapLoop(m, f, n, [f.param(0)], f.param(1), ([x]) =>
      m.block([f.set(tmp, f.get(x!)), applyActivation(m, f, tmp, act, (h) => ctx.helper(h))], 'v128'),
    );
  });
  return [m.call(name, [m.i32.c(inputs[0]!.ptr), m.i32.c(output.ptr)])];
}
