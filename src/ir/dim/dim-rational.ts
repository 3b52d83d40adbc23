/**
 * Exact rational arithmetic on bigints, for the coefficients of symbolic dimensions. Bigints
 * keep the algebra exact; dim-core.ts caps their size so that hostile input cannot make them
 * grow without bound.
 */

/** A reduced fraction n/d with d > 0. */
export interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Rat = { n: 0n, d: 1n };
export const ONE: Rat = { n: 1n, d: 1n };

export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function gcdBig(a: bigint, b: bigint): bigint {
  a = absBig(a);
  b = absBig(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function lcmBig(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  return absBig((a / gcdBig(a, b)) * b);
}

/** Floor division (towards minus infinity), d > 0. */
export function floorDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** n mod d in [0, d), d > 0. */
export function modBig(n: bigint, d: bigint): bigint {
  const r = n % d;
  return r < 0n ? r + d : r;
}

export function rat(n: bigint, d: bigint = 1n): Rat {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcdBig(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ratAdd = (a: Rat, b: Rat): Rat => (a.d === b.d ? rat(a.n + b.n, a.d) : rat(a.n * b.d + b.n * a.d, a.d * b.d));
export const ratMul = (a: Rat, b: Rat): Rat => rat(a.n * b.n, a.d * b.d);
export const ratNeg = (a: Rat): Rat => ({ n: -a.n, d: a.d });
export const ratIsZero = (a: Rat): boolean => a.n === 0n;
export const ratCmp = (a: Rat, b: Rat): number => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};

/** Bits needed for the numerator or denominator, whichever is larger. */
export function ratBits(a: Rat): number {
  const n = absBig(a.n);
  const m = n > a.d ? n : a.d;
  return m.toString(2).length;
}

export function ratToString(a: Rat): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
