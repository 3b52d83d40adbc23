/**
 * Activations on f32x4 vectors: the standalone elementwise kernels and the epilogue that conv
 * and other kernels apply before storing. Wasm has no exp, so exp is a Cephes-style range
 * reduction and degree-6 polynomial (about 1 ulp), emitted once as a helper function.
 *
 * NaN and infinities flow through without traps: min/max are the IEEE (NaN-propagating)
 * ones, and float-to-int conversion is the saturating one.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../module.ts';
import type { Activation, LowerArgs } from './types.ts';

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

/** Normalise an activation op or epilogue into min/max/slope form. */
export function activationOf(kind: Activation['kind'], attrs: { min?: number; max?: number; slope?: number }): Activation {
  switch (kind) {
    case 'relu':
      return { kind: 'clip', min: 0, max: Infinity };
    case 'relu6':
      return { kind: 'clip', min: 0, max: 6 };
    case 'clip':
      return { kind: 'clip', min: attrs.min ?? -Infinity, max: attrs.max ?? Infinity };
    case 'leaky_relu':
      return { kind: 'leaky_relu', slope: attrs.slope ?? 0.01 };
    default:
      return { kind };
  }
}

/** A key that identifies an activation for function sharing. */
export function activationKey(a: Activation | undefined): string {
  if (!a) return 'none';
  return `${a.kind}:${a.min ?? ''}:${a.max ?? ''}:${a.slope ?? ''}`;
}

/** The activation of the vector in local `v` (which it may overwrite). */
export function applyActivation(m: ModuleBuilder, f: FunctionBuilder, v: Local, act: Activation | undefined, helper: (n: 'sigmoid' | 'tanh') => string): Expr {
  if (!act) return f.get(v);
  switch (act.kind) {
    case 'clip': {
      // pmax(x, lo) = x < lo ? lo : x and pmin(x, hi) = hi < x ? hi : x keep a NaN x, as
      // IEEE max/min do, in one x86 instruction each (V8 spends about 8 on f32x4.max).
      let e = f.get(v);
      if (act.min !== undefined && act.min !== -Infinity) e = m.raw.f32x4.pmax(e, m.v.splatC(act.min));
      if (act.max !== undefined && act.max !== Infinity) e = m.raw.f32x4.pmin(e, m.v.splatC(act.max));
      return e;
    }
    case 'leaky_relu':
      // x > 0 ? x : slope * x; NaN fails the test and gives slope * NaN = NaN.
      return m.v.bitselect(f.get(v), m.v.mul(f.get(v), m.v.splatC(act.slope ?? 0.01)), m.v.gt(f.get(v), m.v.splatC(0)));
    case 'sigmoid':
    case 'tanh':
      return m.callValue(helper(act.kind), [f.get(v)], 'v128');
    default:
      return f.get(v);
  }
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

/** relu, relu6, clip, leaky_relu, sigmoid, tanh as standalone nodes. */
export function lowerActivation({ node, attrs, inputs, output, ctx }: LowerArgs<{ min?: number; max?: number; slope?: number }>): Expr[] {
  const m = ctx.m;
  const act = activationOf(node.op as Activation['kind'], attrs);
  const n = inputs[0]!.shape.reduce((a, b) => a * b, 1);
  const name = ctx.fn('act', [activationKey(act), n], ['i32', 'i32'], (f) => {
    const tmp = f.local('v128');
    return emitMapLoop(m, f, n, [f.param(0)], f.param(1), ([x]) =>
      m.block([f.set(tmp, f.get(x!)), applyActivation(m, f, tmp, act, (h) => ctx.helper(h))], 'v128'),
    );
  });
  return [m.call(name, [m.i32.c(inputs[0]!.ptr), m.i32.c(output.ptr)])];
}
