/**
 * Deciding equality and positivity of symbolic dimensions, and the divisibility
 * requirements under which two sizes agree (see dim.ts for the public API).
 *
 * Equality: a and b are equal when a - b is 0 in canonical form. Otherwise floors are
 * replaced by exact divisions, which is valid exactly when each floor's numerator is
 * divisible by its denominator; if the difference then vanishes, the answer is `requires`
 * with those divisibility conditions. Two replacements are tried: floor(E/k) -> E/k
 * ("E divisible by k") and floor((V + c)/k) -> V/k for the variable part V and the constant
 * 0 <= c < k ("V divisible by k"), which is what ceil-style numerators need.
 */
import {
  ONE, ZERO, floorDivBig, gcdBig, lcmBig, modBig, rat, ratCmp, ratNeg, ratToString, type Rat,
} from './dim-rational.ts';
import {
  clearDenominators, constDim, constPart, dimText, isConst, linear, mulDims, symDim, type Atom, type Dim,
} from './dim-core.ts';

/** "expr must be divisible by divisor". */
export interface Requirement {
  expr: Dim;
  divisor: number;
  text: string;
}

export type DimComparison =
  | { kind: 'equal' }
  | { kind: 'unequal'; reason?: string }
  | { kind: 'requires'; requirements: Requirement[] };

export type PositiveCheck =
  | { kind: 'ok' }
  | { kind: 'never'; text: string }
  | { kind: 'requires'; text: string; expr: Dim; min: number };

type Strategy = 'whole' | 'variable';

interface RawRequirement {
  /** Integer-coefficient expression and modulus: expr ≡ 0 (mod k). */
  expr: Dim;
  k: bigint;
}

/** Replace every floor of d by an exact division, recording what makes that valid. */
function exactify(d: Dim, strategy: Strategy, reqs: RawRequirement[]): Dim {
  const parts: [Dim, Rat][] = [];
  for (const t of d.terms) {
    let prod = constDim(t.coef);
    for (const a of t.atoms) prod = mulDims(prod, exactAtom(a, strategy, reqs));
    parts.push([prod, ONE]);
  }
  return linear(parts);
}

function exactAtom(a: Atom, strategy: Strategy, reqs: RawRequirement[]): Dim {
  if (a.kind === 'sym') return symDim(a.name);
  let num = exactify(a.num, strategy, reqs);
  if (strategy === 'variable') {
    // The canonical numerator's constant c is in [0, k): floor((V + c)/k) = V/k when k | V.
    num = linear([[num, ONE], [constDim(ratNeg(constPart(num))), ONE]]);
  }
  reqs.push({ expr: num, k: a.den });
  return linear([[num, rat(1n, a.den)]]);
}

/**
 * Normalise requirements: integer coefficients, common factors cancelled, constants reduced
 * modulo the divisor, and conditions on the same variable part combined (H ≡ 0 mod 8 and
 * H ≡ 0 mod 16 -> H ≡ 0 mod 16). Returns undefined when two conditions contradict.
 */
function normaliseRequirements(raw: readonly RawRequirement[]): Requirement[] | undefined {
  const byVar = new Map<string, { varPart: Dim; residue: bigint; k: bigint }>();
  for (const r of raw) {
    const [e0, l] = clearDenominators(r.expr);
    if (e0.invalid) return undefined;
    let k = r.k * l;
    let c = constPart(e0).n;
    const varPart = linear([[e0, ONE], [constDim(rat(-c)), ONE]]);
    let g = k;
    for (const t of varPart.terms) g = gcdBig(g, t.coef.n);
    if (modBig(c, g) !== 0n) return undefined; // g | V but g ∤ c: never divisible
    let v = varPart;
    if (g > 1n) {
      v = linear([[varPart, rat(1n, g)]]);
      c /= g;
      k /= g;
    }
    if (k === 1n) continue;
    // V ≡ -c (mod k)
    let residue = modBig(-c, k);
    const prev = byVar.get(v.key);
    if (prev) {
      const merged = crt(prev.residue, prev.k, residue, k);
      if (!merged) return undefined;
      [residue, k] = merged;
    }
    byVar.set(v.key, { varPart: v, residue, k });
  }
  const out: Requirement[] = [];
  for (const { varPart, residue, k } of byVar.values()) {
    // V ≡ residue (mod k)  <=>  k | V - residue; print the constant in (-k, 0] as V + (k - residue).
    const shift = residue === 0n ? 0n : k - residue;
    const expr = linear([[varPart, ONE], [constDim(rat(shift)), ONE]]);
    const divisor = Number(k);
    out.push({ expr, divisor, text: `${dimText(expr)} must be divisible by ${divisor}` });
  }
  return out;
}

/** Combine x ≡ r1 (mod m1) and x ≡ r2 (mod m2); undefined when inconsistent. */
function crt(r1: bigint, m1: bigint, r2: bigint, m2: bigint): [bigint, bigint] | undefined {
  const g = gcdBig(m1, m2);
  if (modBig(r2 - r1, g) !== 0n) return undefined;
  const m = lcmBig(m1, m2);
  // Search the m/m1 candidates r1 + i*m1; moduli here are small (products of strides).
  const steps = m / m1;
  if (steps > 1_000_000n) return undefined;
  for (let i = 0n; i < steps; i++) {
    const x = r1 + i * m1;
    if (modBig(x - r2, m2) === 0n) return [modBig(x, m), m];
  }
  return undefined;
}

/** Whether the difference d (with floors) can be shown never to be 0. */
function provablyNonzero(d: Dim): boolean {
  // d = exact part + sum of c_i * (floor(E_i/k_i) - E_i/k_i) with each deviation in
  // [-(k_i-1)/k_i, 0]; handled when floors occur only linearly and unnested.
  let lo: Rat = ZERO;
  let hi: Rat = ZERO;
  const reqs: RawRequirement[] = [];
  for (const t of d.terms) {
    const floors = t.atoms.filter((a) => a.kind === 'floor');
    if (floors.length === 0) continue;
    if (t.atoms.length !== 1 || floors[0]!.kind !== 'floor' || floors[0]!.num.depth > 0) return false;
    const k = floors[0]!.den;
    const span = ratMulInt(t.coef, -(k - 1n), k);
    if (ratCmp(span, ZERO) < 0) lo = ratAdd2(lo, span);
    else hi = ratAdd2(hi, span);
  }
  const exact = exactify(d, 'whole', reqs);
  if (!isConst(exact)) return false;
  const c = constPart(exact);
  return ratCmp(ratAdd2(c, lo), ZERO) > 0 || ratCmp(ratAdd2(c, hi), ZERO) < 0;
}

const ratMulInt = (a: Rat, n: bigint, d: bigint): Rat => rat(a.n * n, a.d * d);
const ratAdd2 = (a: Rat, b: Rat): Rat => rat(a.n * b.d + b.n * a.d, a.d * b.d);

/**
 * Comparisons by the canonical keys of both sides: a network compares the same pairs of
 * sizes in every instance of a block. Results are frozen, as they are shared.
 */
const comparisons = new Map<string, DimComparison>();
const COMPARISONS_KEPT = 8192;

export function compareDims(a: Dim, b: Dim): DimComparison {
  if (a.invalid || b.invalid) return { kind: 'unequal', reason: a.invalid ?? b.invalid };
  // Equal canonical forms: the difference is 0 without building it.
  if (a === b || a.key === b.key) return { kind: 'equal' };
  const key = `${a.key}\u0000${b.key}`;
  const known = comparisons.get(key);
  if (known) return known;
  const c = compareCanonical(a, b);
  if (c.kind === 'requires') {
    for (const r of c.requirements) Object.freeze(r);
    Object.freeze(c.requirements);
  }
  Object.freeze(c);
  if (comparisons.size >= COMPARISONS_KEPT) comparisons.clear();
  comparisons.set(key, c);
  return c;
}

function compareCanonical(a: Dim, b: Dim): DimComparison {
  const diff = linear([[a, ONE], [b, rat(-1n)]]);
  if (diff.invalid) return { kind: 'unequal', reason: diff.invalid };
  if (diff.terms.length === 0) return { kind: 'equal' };
  if (isConst(diff)) {
    const c = constPart(diff);
    return { kind: 'unequal', reason: `they differ by ${ratToString(c.n < 0n ? ratNeg(c) : c)}` };
  }
  let contradiction = false;
  for (const strategy of ['whole', 'variable'] as const) {
    const raw: RawRequirement[] = [];
    const exact = exactify(diff, strategy, raw);
    if (exact.invalid || exact.terms.length !== 0 || raw.length === 0) continue;
    const reqs = normaliseRequirements(raw);
    if (!reqs) {
      contradiction = true;
      continue;
    }
    return reqs.length === 0 ? { kind: 'equal' } : { kind: 'requires', requirements: reqs };
  }
  if (contradiction || provablyNonzero(diff)) return { kind: 'unequal', reason: 'they are never equal' };
  return { kind: 'unequal', reason: `${dimText(a)} and ${dimText(b)} cannot be shown equal for every size` };
}

/** Combine requirement lists into the strongest equivalent list (H/8 even -> H divisible by 16). */
export function combineRequirements(reqs: readonly Requirement[]): Requirement[] | undefined {
  return normaliseRequirements(reqs.map((r) => ({ expr: r.expr, k: BigInt(r.divisor) })));
}

/**
 * The condition under which d is an integer: `H/2` needs "H must be divisible by 2".
 * Undefined when d has integer coefficients (always an integer).
 */
export function integralityRequirement(d: Dim): Requirement | undefined {
  const [e, l] = clearDenominators(d);
  if (l === 1n || e.invalid) return undefined;
  return normaliseRequirements([{ expr: e, k: l }])?.[0];
}

// ---- positivity ----

/** A lower bound of d over all bindings with every variable >= 1, when one is easy to see. */
function lowerBound(d: Dim): Rat | undefined {
  let total: Rat = ZERO;
  for (const t of d.terms) {
    if (t.atoms.length === 0) {
      total = ratAdd2(total, t.coef);
      continue;
    }
    if (t.coef.n < 0n) return undefined;
    let prod: Rat = ONE;
    for (const a of t.atoms) {
      const lb = a.kind === 'sym' ? ONE : atomFloorLowerBound(a);
      if (lb === undefined || lb.n < 0n) return undefined;
      prod = ratMulInt(prod, lb.n, lb.d);
    }
    total = ratAdd2(total, ratMulInt(t.coef, prod.n, prod.d));
  }
  return total;
}

function atomFloorLowerBound(a: Atom & { kind: 'floor' }): Rat | undefined {
  const lb = lowerBound(a.num);
  if (lb === undefined) return undefined;
  return rat(floorDivBig(floorDivBig(lb.n, lb.d), a.den));
}

/** Whether d >= 1 for every binding with variables >= 1; else when, or that it never is. */
const positivity = new Map<string, PositiveCheck>();

export function checkPositive(d: Dim): PositiveCheck {
  if (d.invalid) return checkPositiveCanonical(d);
  // By canonical key, like comparisons; a result's `expr` is then a Dim equal to d.
  const known = positivity.get(d.key);
  if (known) return known;
  const c = Object.freeze(checkPositiveCanonical(d));
  if (positivity.size >= COMPARISONS_KEPT) positivity.clear();
  positivity.set(d.key, c);
  return c;
}

function checkPositiveCanonical(d: Dim): PositiveCheck {
  if (d.invalid) return { kind: 'never', text: `the size is ${d.invalid}` };
  if (isConst(d)) {
    const c = constPart(d);
    return ratCmp(c, ONE) >= 0 ? { kind: 'ok' } : { kind: 'never', text: `the size would be ${ratToString(c)}` };
  }
  const lb = lowerBound(d);
  if (lb !== undefined && ratCmp(lb, ONE) >= 0) return { kind: 'ok' };
  // One variable term a*X + c (X a variable or a floor): solve a*X + c >= 1 for X.
  const vars = d.terms.filter((t) => t.atoms.length > 0);
  if (vars.length === 1 && vars[0]!.atoms.length === 1) {
    const t = vars[0]!;
    const c = constPart(d);
    const need = rat(c.d - c.n, c.d); // 1 - c
    const x = ratMulInt(need, t.coef.d, t.coef.n); // (1 - c)/a, sign handled below
    if (t.coef.n > 0n) {
      const m = -floorDivBig(-x.n, x.d); // ceil
      return atLeast(t.atoms[0]!, m, d);
    }
    const m = floorDivBig(x.n, x.d); // a < 0: X <= floor((1-c)/a)
    if (m < 1n) return { kind: 'never', text: `${dimText(d)} is below 1 for every size` };
    return { kind: 'requires', text: `${atomText(t.atoms[0]!)} must be at most ${m}`, expr: d, min: 1 };
  }
  return { kind: 'requires', text: `${dimText(d)} must be at least 1`, expr: d, min: 1 };
}

function atomText(a: Atom): string {
  return dimText({ terms: [{ atoms: [a], coef: ONE, mkey: a.key }], key: a.key, depth: 0 });
}

/** X >= m for an atom X: a variable directly, floor(E/k) >= m as E >= k*m. */
function atLeast(a: Atom, m: bigint, whole: Dim): PositiveCheck {
  if (m <= 1n && a.kind === 'sym') return { kind: 'ok' };
  if (a.kind === 'sym') return { kind: 'requires', text: `${a.name} must be at least ${m}`, expr: whole, min: 1 };
  const e = a.num;
  const target = m * a.den;
  const vars = e.terms.filter((t) => t.atoms.length > 0);
  const lb = lowerBound(e);
  if (lb !== undefined && ratCmp(lb, rat(target)) >= 0) return { kind: 'ok' };
  if (vars.length === 1 && vars[0]!.atoms.length === 1 && vars[0]!.coef.n > 0n) {
    const t = vars[0]!;
    const c = constPart(e);
    const x = ratMulInt(rat(target * c.d - c.n, c.d), t.coef.d, t.coef.n);
    return atLeast(t.atoms[0]!, -floorDivBig(-x.n, x.d), whole);
  }
  return { kind: 'requires', text: `${dimText(whole)} must be at least 1`, expr: whole, min: 1 };
}
