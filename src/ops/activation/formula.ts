/**
 * Activations as formulas: each activation operator gives its scalar function once, as a
 * small expression over the input `x`, and every stage evaluates that one expression: the
 * interpreter in float64 per element (standalone nodes and fused epilogues alike), the Wasm
 * backend as f32x4 instructions (wasm/kernels/activation.ts). A new activation written in
 * this vocabulary needs no code anywhere else.
 *
 * The comparisons keep PyTorch's treatment of NaN and of -0: `atLeast(x, 0)` is
 * `x < 0 ? 0 : x`, so relu(NaN) is NaN and relu(-0) is -0, as torch.relu (clamp_min) gives.
 */

export type Formula =
  /** The input element. */
  | { f: 'x' }
  | { f: 'const'; value: number }
  | { f: 'add' | 'sub' | 'mul' | 'div'; a: Formula; b: Formula }
  /** a < bound ? bound : a (NaN stays NaN; f32x4.pmax in Wasm). */
  | { f: 'atLeast'; a: Formula; bound: number }
  /** bound < a ? bound : a (NaN stays NaN; f32x4.pmin in Wasm). */
  | { f: 'atMost'; a: Formula; bound: number }
  /** test > 0 ? then : otherwise (NaN takes `otherwise`). */
  | { f: 'ifPositive'; test: Formula; then: Formula; otherwise: Formula }
  /** exp, 1 / (1 + exp(-a)), tanh, erf: library functions (erf below) in the interpreter, shared helpers in Wasm. */
  | { f: 'exp' | 'sigmoid' | 'tanh' | 'erf'; a: Formula };

export const X: Formula = { f: 'x' };

export const constant = (value: number): Formula => ({ f: 'const', value });

/** min(max(a, lo), hi), either bound left out when it is infinite or absent. */
export function clamp(a: Formula, lo: number | undefined, hi: number | undefined): Formula {
  let e = a;
  if (lo !== undefined && lo !== -Infinity) e = { f: 'atLeast', a: e, bound: lo };
  if (hi !== undefined && hi !== Infinity) e = { f: 'atMost', a: e, bound: hi };
  return e;
}

/** The formula as a float64 function of one element. */
export function scalarFunction(e: Formula): (v: number) => number {
  switch (e.f) {
    case 'x': return (v) => v;
    case 'const': {
      const c = e.value;
      return () => c;
    }
    case 'add': case 'sub': case 'mul': case 'div': {
      const a = scalarFunction(e.a);
      const b = scalarFunction(e.b);
      if (e.f === 'add') return (v) => a(v) + b(v);
      if (e.f === 'sub') return (v) => a(v) - b(v);
      if (e.f === 'mul') return (v) => a(v) * b(v);
      return (v) => a(v) / b(v);
    }
    case 'atLeast': {
      const a = scalarFunction(e.a);
      const bound = e.bound;
      return (v) => {
        const t = a(v);
        return t < bound ? bound : t;
      };
    }
    case 'atMost': {
      const a = scalarFunction(e.a);
      const bound = e.bound;
      return (v) => {
        const t = a(v);
        return bound < t ? bound : t;
      };
    }
    case 'ifPositive': {
      const test = scalarFunction(e.test);
      const then = scalarFunction(e.then);
      const otherwise = scalarFunction(e.otherwise);
      return (v) => (test(v) > 0 ? then(v) : otherwise(v));
    }
    case 'exp': {
      const a = scalarFunction(e.a);
      return (v) => Math.exp(a(v));
    }
    case 'sigmoid': {
      const a = scalarFunction(e.a);
      return (v) => 1 / (1 + Math.exp(-a(v)));
    }
    case 'tanh': {
      const a = scalarFunction(e.a);
      return (v) => Math.tanh(a(v));
    }
    case 'erf': {
      const a = scalarFunction(e.a);
      return (v) => erf(a(v));
    }
  }
}

/**
 * The error function in float64 (JavaScript has none): erf(x) = 2/sqrt(pi) e^(-x^2)
 * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), a series of positive terms (no cancellation), summed
 * until a term no longer changes the sum; beyond |x| = 6, erf is +-1 to within 2e-17.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax === 0) return x;
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}
