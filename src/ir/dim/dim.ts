/**
 * Symbolic tensor dimensions: immutable, canonical integer expressions over dimension
 * variables (`N`, `C`, `H`), with +, -, *, floor / ceil division by a positive integer, and
 * exact division (`H/2` written in a type, which asserts divisibility).
 *
 * Canonical form (dim-core.ts): a polynomial with rational coefficients over atoms, an atom
 * being a variable or floor(E/k). Equal canonical forms are equal expressions, so
 * `floor((H + 2*1 - 3)/1) + 1` is `H`. Equality beyond that (2*floor(H/2) vs H) is decided
 * by `compareDims`, which names the divisibility the equality needs (dim-compare.ts).
 *
 * Text form (`dimToString`): `H`, `2*C`, `H - 4`, `H*W`; exact division `H/2`, `(H + 1)/2`;
 * floor division `floor(H/2)`, `floor((H + 1)/3)`, and `ceil(H/2)` for floor((H + 1)/2).
 *
 * Nothing here throws: a value that cannot be represented (a non-integer or huge constant,
 * a divisor that is not a positive integer, an expression past the size caps) gives a Dim
 * with `invalid` set; `isSafeDim` is false for it and for any coefficient beyond 2^53.
 */
import { ONE, lcmBig, rat, ratBits, type Rat } from './dim-rational.ts';
import {
  constDim, constPart, dimText, floorDim, invalidDim, isConst, linear, mapAtoms, mapFloors, mulDims, symDim, symbolsOf,
  type Dim,
} from './dim-core.ts';
import type { Requirement } from './dim-compare.ts';

export type { Dim } from './dim-core.ts';
export {
  checkPositive, combineRequirements, compareDims, integralityRequirement,
  type DimComparison, type PositiveCheck, type Requirement,
} from './dim-compare.ts';

/** A dimension, or a plain integer standing for a constant one. */
export type DimLike = Dim | number;

const toDim = (d: DimLike): Dim => (typeof d === 'number' ? dimConst(d) : d);

const SAFE_BITS = 53;

/** Constant dimensions of everyday sizes, built once: most shapes a checker sees are concrete. */
const smallConsts = new Map<number, Dim>();

/** A constant dimension; a non-integer or unsafe number gives an invalid Dim. */
export function dimConst(n: number): Dim {
  if (!Number.isSafeInteger(n)) return invalidDim(`${n} is not a representable integer size`);
  if (n >= -1024 && n <= 1 << 16) {
    let d = smallConsts.get(n);
    if (!d) smallConsts.set(n, (d = constDim(rat(BigInt(n)))));
    return d;
  }
  return constDim(rat(BigInt(n)));
}

/**
 * Both operands constant: the plain integer result, when it is safe, or undefined to take
 * the general (exact, bigint) path. Arithmetic on concrete shapes then never canonicalises.
 */
function constFast(a: DimLike, b: DimLike, op: (x: number, y: number) => number): Dim | undefined {
  const x = typeof a === 'number' ? a : constValue(a);
  if (x === undefined || !Number.isSafeInteger(x)) return undefined;
  const y = typeof b === 'number' ? b : constValue(b);
  if (y === undefined || !Number.isSafeInteger(y)) return undefined;
  const r = op(x, y);
  return Number.isSafeInteger(r) ? dimConst(r) : undefined;
}

/**
 * Results of symbolic arithmetic by operation and canonical operand keys: every instance of
 * a block repeats the same size computations. Dims are immutable, so results are shared.
 */
const symbolicResults = new Map<string, Dim>();
const SYMBOLIC_RESULTS_KEPT = 16384;

const keyOf = (d: DimLike): string | undefined => (typeof d === 'number' ? String(d) : d.invalid ? undefined : d.key);

function remembered(op: string, a: DimLike, b: DimLike, compute: () => Dim): Dim {
  const ka = keyOf(a);
  const kb = keyOf(b);
  if (ka === undefined || kb === undefined) return compute();
  const key = `${op}\u0000${ka}\u0000${kb}`;
  const known = symbolicResults.get(key);
  if (known) return known;
  const d = compute();
  if (symbolicResults.size >= SYMBOLIC_RESULTS_KEPT) symbolicResults.clear();
  symbolicResults.set(key, d);
  return d;
}

export function dimFromNumber(n: DimLike): Dim {
  return toDim(n);
}

/** A dimension variable. */
export function dimSym(name: string): Dim {
  return symDim(name);
}

export function dimAdd(a: DimLike, b: DimLike): Dim {
  const fast = constFast(a, b, (x, y) => x + y);
  if (fast) return fast;
  return remembered('+', a, b, () => linear([[toDim(a), ONE], [toDim(b), ONE]]));
}

export function dimSub(a: DimLike, b: DimLike): Dim {
  const fast = constFast(a, b, (x, y) => x - y);
  if (fast) return fast;
  return remembered('-', a, b, () => linear([[toDim(a), ONE], [toDim(b), rat(-1n)]]));
}

export function dimMul(a: DimLike, b: DimLike): Dim {
  const fast = constFast(a, b, (x, y) => x * y);
  if (fast) return fast;
  return remembered('*', a, b, () => mulDims(toDim(a), toDim(b)));
}

function divisor(k: number): bigint | undefined {
  return Number.isSafeInteger(k) && k > 0 ? BigInt(k) : undefined;
}

/** Exact floor division of safe integers (no rounding of x / y through a float). */
function floorDivInt(x: number, y: number): number {
  const r = ((x % y) + y) % y;
  return (x - r) / y;
}

/** floor(a / k), k a positive integer. */
export function dimFloorDiv(a: DimLike, k: number): Dim {
  const kb = divisor(k);
  if (kb === undefined) return invalidDim(`division by ${k}`);
  return constFast(a, k, floorDivInt) ?? remembered('//', a, k, () => floorDim(toDim(a), kb));
}

/** ceil(a / k) = floor((a + k - 1) / k) for integer a, k a positive integer. */
export function dimCeilDiv(a: DimLike, k: number): Dim {
  const kb = divisor(k);
  if (kb === undefined) return invalidDim(`division by ${k}`);
  const fast = constFast(a, k, (x, y) => -floorDivInt(-x, y));
  if (fast) return fast;
  // An exact-division coefficient (H/2) is an integer by assumption; scale it away first so
  // that the numerator has integer coefficients: ceil(E/k) = ceil(L*E/(L*k)).
  const d = toDim(a);
  let l = 1n;
  for (const t of d.terms) l = lcmBig(l, t.coef.d);
  const e = linear([[d, rat(l)], [constDim(rat(l * kb - 1n)), ONE]]);
  return floorDim(e, l * kb);
}

/** a / k where the division is asserted exact (`H/2` in a type): the value (1/k)*a. */
export function dimExactDiv(a: DimLike, k: number): Dim {
  const kb = divisor(k);
  return kb === undefined ? invalidDim(`division by ${k}`) : remembered('/', a, k, () => linear([[toDim(a), rat(1n, kb)]]));
}

/** The value of a constant integer dimension; undefined when symbolic, fractional or unsafe. */
export function constValue(d: Dim): number | undefined {
  if (!isConst(d)) return undefined;
  return ratToSafeInt(constPart(d));
}

/**
 * The value of a constant dimension as a float, also when it is beyond 2^53 (where
 * constValue gives undefined): size limits compare it, so that `[65536*65536*65536, ...]`
 * is "too large" rather than silently unchecked.
 */
export function constApprox(d: Dim): number | undefined {
  if (!isConst(d)) return undefined;
  const c = constPart(d);
  return Number(c.n) / Number(c.d);
}

function ratToSafeInt(c: Rat): number | undefined {
  if (c.d !== 1n) return undefined;
  const n = Number(c.n);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function dimToString(d: Dim): string {
  return dimText(d);
}

/** Structural equality of canonical forms (no divisibility reasoning; see compareDims). */
export function dimEquals(a: Dim, b: Dim): boolean {
  return !a.invalid && !b.invalid && a.key === b.key;
}

/** Replace variables by dimensions or integers; others stay symbolic. */
export function substitute(d: Dim, map: ReadonlyMap<string, DimLike> | Readonly<Record<string, DimLike>>): Dim {
  const get = map instanceof Map
    ? (n: string) => (map as ReadonlyMap<string, DimLike>).get(n)
    : (n: string) => (Object.hasOwn(map, n) ? (map as Readonly<Record<string, DimLike>>)[n] : undefined);
  return mapAtoms(d, (name) => {
    const v = get(name);
    return v === undefined ? undefined : toDim(v);
  });
}

/** The integer value of d under the bindings; undefined when a variable is unbound or the
 * value is not an integer (an exact division that does not divide) or not safe. */
export function evalDim(d: Dim, bindings: ReadonlyMap<string, number>): number | undefined {
  for (const s of symbolsOf(d)) if (!bindings.has(s)) return undefined;
  return constValue(substitute(d, bindings));
}

/** The dimension variables d mentions, sorted. */
export function dimSymbols(d: Dim): string[] {
  return [...symbolsOf(d)].sort();
}

/** Representable, with every coefficient within 2^53 (and so every constant a safe integer). */
export function isSafeDim(d: Dim): boolean {
  if (d.invalid) return false;
  const ok = (x: Dim): boolean =>
    x.terms.every((t) => ratBits(t.coef) <= SAFE_BITS && t.atoms.every((a) => a.kind === 'sym' || (a.den < 2n ** 53n && ok(a.num))));
  return ok(d);
}

/**
 * d as a person writes it given divisibility the network already requires: a floor whose
 * division is exact under a requirement ("D must be divisible by 8") becomes that exact
 * division, so `2*floor(D/2) - 12` reads `D - 12` and `floor(D/8)` reads `D/8`. The result
 * is equal to d for every size that meets the requirements; it is for messages only.
 */
export function dimAssuming(d: Dim, requirements: readonly Requirement[]): Dim {
  if (requirements.length === 0 || d.depth === 0) return d;
  const exact = (num: Dim, den: bigint): boolean =>
    requirements.some((r) => r.expr.key === num.key && BigInt(r.divisor) % den === 0n);
  return mapFloors(d, (num, den) => (exact(num, den) ? linear([[num, rat(1n, den)]]) : undefined));
}

/**
 * The divisibility that would make every floor of d exact: for `2*floor(D/2) - 12`, "D
 * divisible by 2". With `dimAssuming` it prints d as a person writes it for those sizes.
 */
export function floorsExactWhen(d: Dim): Requirement[] {
  const out = new Map<string, Requirement>();
  const walk = (x: Dim): void => {
    for (const t of x.terms) {
      for (const a of t.atoms) {
        if (a.kind !== 'floor') continue;
        walk(a.num);
        const key = `${a.num.key}|${a.den}`;
        if (!out.has(key)) out.set(key, { expr: a.num, divisor: Number(a.den), text: `${dimText(a.num)} must be divisible by ${a.den}` });
      }
    }
  };
  walk(d);
  return [...out.values()];
}

/**
 * Text with each term over its own denominator, `D/2 - 14` rather than `(D - 28)/2`, for a
 * sum of variables with fractional coefficients and an integer constant; otherwise
 * `dimToString`.
 */
export function dimTextByTerm(d: Dim): string {
  if (d.invalid || d.depth > 0) return dimText(d);
  if (d.terms.some((t) => t.atoms.length > 1 || (t.atoms.length === 0 && t.coef.d !== 1n))) return dimText(d);
  let out = '';
  d.terms.forEach((t, i) => {
    const neg = t.coef.n < 0n;
    const n = neg ? -t.coef.n : t.coef.n;
    const name = t.atoms[0]?.kind === 'sym' ? t.atoms[0].name : undefined;
    const body = name === undefined ? String(n) : `${n === 1n ? '' : `${n}*`}${name}${t.coef.d === 1n ? '' : `/${t.coef.d}`}`;
    out += i === 0 ? (neg ? `-${body}` : body) : neg ? ` - ${body}` : ` + ${body}`;
  });
  return out === '' ? '0' : out;
}
