/**
 * The canonical form of symbolic dimensions (see dim.ts for the public API).
 *
 * A dimension is a polynomial with rational coefficients over atoms, where an atom is a
 * dimension variable (`H`) or `floor(E/k)` of a canonical polynomial E with integer
 * coefficients. Rational coefficients come from exact division written in types (`H/2` is
 * `1/2 * H`). Floor atoms are normalised on construction:
 *
 *   - rational coefficients of E are cleared: floor(E/k) = floor(L*E / (L*k));
 *   - integer multiples of k leave the floor: floor((2H+3)/2) = H + 1 + floor(1/2) = H + 1;
 *   - a common factor of k and E's variable coefficients is cancelled:
 *     floor((2H+1)/4) = floor((H + floor(1/2))/2) = floor(H/2);
 *   - nested floors merge: floor((floor(E/a) + c)/b) = floor((E + a*c)/(a*b)).
 *
 * Two expressions with the same canonical `key` are equal for every binding. Sizes are
 * capped (terms, degree, nesting, coefficient bits): past the caps the result is an
 * `invalid` dimension that carries the reason, never an exception.
 */
import {
  ONE, ZERO, floorDivBig, gcdBig, lcmBig, rat, ratAdd, ratIsZero, ratMul, ratNeg, ratToString, type Rat,
} from './dim-rational.ts';

export type Atom =
  | { readonly kind: 'sym'; readonly name: string; readonly key: string }
  | { readonly kind: 'floor'; readonly num: Dim; readonly den: bigint; readonly key: string };

/** coef * product of atoms (repeated atoms are powers); no atoms is the constant term. */
export interface Term {
  readonly atoms: readonly Atom[];
  readonly coef: Rat;
  /** Key of the monomial (the atoms alone). */
  readonly mkey: string;
}

/** An immutable, canonical symbolic integer expression. */
export interface Dim {
  /** Non-zero terms, highest degree first, the constant last. */
  readonly terms: readonly Term[];
  /** Canonical text: equal keys mean equal expressions. */
  readonly key: string;
  /** Set when the expression could not be represented (too large, bad divisor, ...). */
  readonly invalid?: string;
  /** Floor nesting depth (0 without floors). */
  readonly depth: number;
}

export const LIMITS = { terms: 256, degree: 16, depth: 48, bits: 200 } as const;

export function invalidDim(reason: string): Dim {
  return Object.freeze({ terms: [], key: `<invalid: ${reason}>`, invalid: reason, depth: 0 });
}

/** 2^bits: a numerator or denominator at or above it needs more than LIMITS.bits bits. */
const COEF_BOUND = 1n << BigInt(LIMITS.bits);

/** ratBits(c) > LIMITS.bits, without printing the bigints in binary. */
function ratTooLarge(c: Rat): boolean {
  return c.n >= COEF_BOUND || -c.n >= COEF_BOUND || c.d >= COEF_BOUND;
}

const monoKey = (atoms: readonly Atom[]): string => atoms.map((a) => a.key).join('*');

function compareTerms(a: Term, b: Term): number {
  if (a.atoms.length !== b.atoms.length) return b.atoms.length - a.atoms.length;
  return a.mkey < b.mkey ? -1 : a.mkey > b.mkey ? 1 : 0;
}

/** Accumulates terms by monomial; `build()` gives the canonical Dim. */
class PolyBuilder {
  private readonly map = new Map<string, { atoms: readonly Atom[]; coef: Rat }>();
  invalid?: string;

  addTerm(atoms: readonly Atom[], coef: Rat, mkey: string = monoKey(atoms)): void {
    if (ratIsZero(coef)) return;
    const prev = this.map.get(mkey);
    if (prev) prev.coef = ratAdd(prev.coef, coef);
    else this.map.set(mkey, { atoms, coef });
    if (this.map.size > LIMITS.terms) this.invalid ??= `more than ${LIMITS.terms} terms`;
  }

  addDim(d: Dim, scale: Rat = ONE): void {
    if (d.invalid) {
      this.invalid ??= d.invalid;
      return;
    }
    for (const t of d.terms) this.addTerm(t.atoms, ratMul(t.coef, scale), t.mkey);
  }

  build(): Dim {
    if (this.invalid) return invalidDim(this.invalid);
    const terms: Term[] = [];
    let depth = 0;
    for (const [mkey, { atoms, coef }] of this.map) {
      if (ratIsZero(coef)) continue;
      if (ratTooLarge(coef)) return invalidDim('a coefficient is too large');
      if (atoms.length > LIMITS.degree) return invalidDim(`degree above ${LIMITS.degree}`);
      for (const a of atoms) if (a.kind === 'floor') depth = Math.max(depth, a.num.depth + 1);
      terms.push(Object.freeze({ atoms, coef, mkey }));
    }
    if (depth > LIMITS.depth) return invalidDim('floors nested too deeply');
    terms.sort(compareTerms);
    const key = terms.length === 0 ? '0' : terms.map((t) => `${ratToString(t.coef)}*${t.mkey}`).join(' + ');
    return Object.freeze({ terms: Object.freeze(terms), key, depth });
  }
}

export function constDim(c: Rat): Dim {
  const b = new PolyBuilder();
  b.addTerm([], c, '');
  return b.build();
}

export function symDim(name: string): Dim {
  const atom: Atom = Object.freeze({ kind: 'sym', name, key: name });
  const b = new PolyBuilder();
  b.addTerm([atom], ONE, name);
  return b.build();
}

export function linear(parts: readonly (readonly [Dim, Rat])[]): Dim {
  const b = new PolyBuilder();
  for (const [d, s] of parts) b.addDim(d, s);
  return b.build();
}

export function mulDims(x: Dim, y: Dim): Dim {
  if (x.invalid) return x;
  if (y.invalid) return y;
  if (x.terms.length * y.terms.length > LIMITS.terms * 4) return invalidDim(`more than ${LIMITS.terms} terms`);
  const b = new PolyBuilder();
  for (const s of x.terms) {
    for (const t of y.terms) {
      if (s.atoms.length + t.atoms.length > LIMITS.degree) return invalidDim(`degree above ${LIMITS.degree}`);
      const atoms = [...s.atoms, ...t.atoms].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
      b.addTerm(atoms, ratMul(s.coef, t.coef));
    }
  }
  return b.build();
}

/** The constant term's value, ZERO when there is none. */
export function constPart(d: Dim): Rat {
  const last = d.terms[d.terms.length - 1];
  return last && last.atoms.length === 0 ? last.coef : ZERO;
}

export function isConst(d: Dim): boolean {
  if (d.invalid) return false;
  // Canonical terms are highest degree first with one constant term at most.
  const ts = d.terms;
  for (let i = 0; i < ts.length; i++) if (ts[i]!.atoms.length !== 0) return false;
  return true;
}

/** Scale so that every coefficient is an integer: returns [L*d, L] with the least such L. */
export function clearDenominators(d: Dim): [Dim, bigint] {
  let l = 1n;
  for (const t of d.terms) l = lcmBig(l, t.coef.d);
  return l === 1n ? [d, 1n] : [linear([[d, rat(l)]]), l];
}

/** Canonical floor(E/k), k a positive bigint. */
export function floorDim(e: Dim, k: bigint): Dim {
  if (e.invalid) return e;
  if (k <= 0n) return invalidDim('division by a non-positive number');
  if (k >= COEF_BOUND) return invalidDim('a divisor is too large');
  const [ei, l] = clearDenominators(e);
  if (ei.invalid) return ei;
  k *= l;
  if (k === 1n) return ei;
  // Integer multiples of k leave the floor; the rest R has coefficients in [0, k).
  const outside = new PolyBuilder();
  const rest: { atoms: readonly Atom[]; mkey: string; c: bigint }[] = [];
  let restConst = 0n;
  for (const t of ei.terms) {
    const q = floorDivBig(t.coef.n, k);
    outside.addTerm(t.atoms, rat(q), t.mkey);
    const r = t.coef.n - q * k;
    if (r === 0n) continue;
    if (t.atoms.length === 0) restConst = r;
    else rest.push({ atoms: t.atoms, mkey: t.mkey, c: r });
  }
  if (rest.length === 0) return outside.build(); // 0 <= restConst < k: its floor is 0
  // Cancel a factor shared by k and the variable coefficients; the constant rounds down.
  let g = k;
  for (const r of rest) g = gcdBig(g, r.c);
  if (g > 1n) {
    for (const r of rest) r.c /= g;
    restConst = floorDivBig(restConst, g);
    k /= g;
  }
  const inner = new PolyBuilder();
  for (const r of rest) inner.addTerm(r.atoms, rat(r.c), r.mkey);
  inner.addTerm([], rat(restConst), '');
  const innerDim = inner.build();
  if (innerDim.invalid) return innerDim;
  // floor((floor(E2/a) + c)/k) = floor((E2 + a*c)/(a*k)).
  const [lead] = rest;
  if (rest.length === 1 && lead && lead.c === 1n && lead.atoms.length === 1 && lead.atoms[0]!.kind === 'floor') {
    const f = lead.atoms[0]!;
    const merged = floorDim(linear([[f.num, ONE], [constDim(rat(restConst * f.den)), ONE]]), f.den * k);
    return linear([[outside.build(), ONE], [merged, ONE]]);
  }
  if (innerDim.depth + 1 > LIMITS.depth) return invalidDim('floors nested too deeply');
  const atom: Atom = Object.freeze({ kind: 'floor', num: innerDim, den: k, key: `floor(${innerDim.key}/${k})` });
  outside.addTerm([atom], ONE, atom.key);
  return outside.build();
}

/** Rebuild d with every atom passed through `f` (symbols) and floors re-normalised. */
export function mapAtoms(d: Dim, f: (name: string) => Dim | undefined): Dim {
  if (d.invalid) return d;
  const b = new PolyBuilder();
  for (const t of d.terms) {
    let prod = constDim(t.coef);
    for (const a of t.atoms) {
      const v = a.kind === 'sym' ? (f(a.name) ?? symDim(a.name)) : floorDim(mapAtoms(a.num, f), a.den);
      prod = mulDims(prod, v);
      if (prod.invalid) return prod;
    }
    b.addDim(prod);
  }
  return b.build();
}

/** Rebuild d with every floor atom floor(E/k) passed through `f` (innermost first); undefined keeps it. */
export function mapFloors(d: Dim, f: (num: Dim, den: bigint) => Dim | undefined): Dim {
  if (d.invalid || d.depth === 0) return d;
  const b = new PolyBuilder();
  for (const t of d.terms) {
    let prod = constDim(t.coef);
    for (const a of t.atoms) {
      let v: Dim;
      if (a.kind === 'sym') v = symDim(a.name);
      else {
        const num = mapFloors(a.num, f);
        v = f(num, a.den) ?? floorDim(num, a.den);
      }
      prod = mulDims(prod, v);
      if (prod.invalid) return prod;
    }
    b.addDim(prod);
  }
  return b.build();
}

/** Every dimension variable in d, sorted. */
export function symbolsOf(d: Dim, into: Set<string> = new Set()): Set<string> {
  for (const t of d.terms) {
    for (const a of t.atoms) {
      if (a.kind === 'sym') into.add(a.name);
      else symbolsOf(a.num, into);
    }
  }
  return into;
}

// ---- printing ----

const bigStr = (n: bigint): string => n.toString();

function atomToString(a: Atom): string {
  if (a.kind === 'sym') return a.name;
  // floor((E + k - 1)/k) with a constant-free E is ceil(E/k) for integer E.
  const c = constPart(a.num);
  if (a.den > 1n && c.n === a.den - 1n && c.d === 1n && a.num.terms.length > 1) {
    const e = linear([[a.num, ONE], [constDim(ratNeg(c)), ONE]]);
    return `ceil(${wrap(e)}/${bigStr(a.den)})`;
  }
  return `floor(${wrap(a.num)}/${bigStr(a.den)})`;
}

function wrap(d: Dim): string {
  const s = dimText(d);
  return /^[\w]+$/.test(s) || /^floor\(.*\)$|^ceil\(.*\)$/.test(s) && balanced(s) ? s : `(${s})`;
}

/** True when the outer parentheses of `f(...)` enclose the whole string. */
function balanced(s: string): boolean {
  let depth = 0;
  for (let i = s.indexOf('('); i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      depth--;
      if (depth === 0 && i !== s.length - 1) return false;
    }
  }
  return true;
}

/**
 * Readable text: `H`, `2*C`, `H - 4`, `H/2`, `(H + 1)/2` (exact division), `floor(H/2)`,
 * `ceil(H/2)`, `H*W`. A polynomial with fractional coefficients is printed over their
 * common denominator.
 */
export function dimText(d: Dim): string {
  if (d.invalid) return `<${d.invalid}>`;
  if (d.terms.length === 0) return '0';
  let l = 1n;
  for (const t of d.terms) l = lcmBig(l, t.coef.d);
  let out = '';
  d.terms.forEach((t, i) => {
    const c = (t.coef.n * l) / t.coef.d;
    const neg = c < 0n;
    const mag = neg ? -c : c;
    const mono = t.atoms.map(atomToString).join('*');
    const body = mono === '' ? bigStr(mag) : mag === 1n ? mono : `${bigStr(mag)}*${mono}`;
    out += i === 0 ? (neg ? `-${body}` : body) : neg ? ` - ${body}` : ` + ${body}`;
  });
  if (l === 1n) return out;
  return d.terms.length === 1 && !out.startsWith('-') ? `${out}/${bigStr(l)}` : `(${out})/${bigStr(l)}`;
}
