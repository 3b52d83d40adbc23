import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDims, dimAdd, dimCeilDiv, dimExactDiv, dimFloorDiv, dimMul, dimSub, dimSym, dimToString, evalDim, type Dim,
} from '../../../src/ir/dim/dim.ts';

/** An expression tree evaluated naively, next to the Dim built from it. */
type Expr =
  | { op: 'sym'; name: string }
  | { op: 'const'; value: number }
  | { op: 'add' | 'sub' | 'mul'; a: Expr; b: Expr }
  | { op: 'floor' | 'ceil'; a: Expr; k: number };

const SYMS = ['H', 'W', 'C'];

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('sym' as const), name: fc.constantFrom(...SYMS) }),
    fc.record({ op: fc.constant('const' as const), value: fc.integer({ min: -6, max: 9 }) }),
    fc.record({ op: fc.constantFrom('add' as const, 'sub' as const), a: tie('e'), b: tie('e') }),
    fc.record({ op: fc.constant('mul' as const), a: tie('e'), b: fc.oneof(tie('e'), fc.record({ op: fc.constant('const' as const), value: fc.integer({ min: -3, max: 4 }) })) }),
    fc.record({ op: fc.constantFrom('floor' as const, 'ceil' as const), a: tie('e'), k: fc.integer({ min: 1, max: 6 }) }),
  ),
})).e;

function build(e: Expr): Dim {
  switch (e.op) {
    case 'sym': return dimSym(e.name);
    case 'const': return dimAdd(e.value, 0);
    case 'add': return dimAdd(build(e.a), build(e.b));
    case 'sub': return dimSub(build(e.a), build(e.b));
    case 'mul': return dimMul(build(e.a), build(e.b));
    case 'floor': return dimFloorDiv(build(e.a), e.k);
    case 'ceil': return dimCeilDiv(build(e.a), e.k);
  }
}

function naive(e: Expr, b: ReadonlyMap<string, number>): number {
  return naiveRaw(e, b) + 0; // no -0
}

function naiveRaw(e: Expr, b: ReadonlyMap<string, number>): number {
  switch (e.op) {
    case 'sym': return b.get(e.name)!;
    case 'const': return e.value;
    case 'add': return naive(e.a, b) + naive(e.b, b);
    case 'sub': return naive(e.a, b) - naive(e.b, b);
    case 'mul': return naive(e.a, b) * naive(e.b, b);
    case 'floor': return Math.floor(naive(e.a, b) / e.k);
    case 'ceil': return Math.ceil(naive(e.a, b) / e.k);
  }
}

const bindingArb = fc.record({ H: fc.integer({ min: 1, max: 70 }), W: fc.integer({ min: 1, max: 70 }), C: fc.integer({ min: 1, max: 70 }) })
  .map((r) => new Map(Object.entries(r)));

/** Expressions that are often equal to e up to divisibility: k*floor(e/k), ceil, re-association. */
const relatedArb = (e: Expr): fc.Arbitrary<Expr> => fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((k): Expr => ({ op: 'mul', a: { op: 'floor', a: e, k }, b: { op: 'const', value: k } })),
  fc.integer({ min: 1, max: 4 }).map((k): Expr => ({ op: 'mul', a: { op: 'ceil', a: e, k }, b: { op: 'const', value: k } })),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([j, k]): Expr => ({
    op: 'mul', a: { op: 'floor', a: { op: 'floor', a: e, k: j }, k }, b: { op: 'const', value: j * k },
  })),
  fc.integer({ min: 1, max: 3 }).map((s): Expr => ({
    // transposed conv k=s, stride s of a stride-s pool: (floor(e/s) - 1)*s + s
    op: 'add', a: { op: 'mul', a: { op: 'sub', a: { op: 'floor', a: e, k: s }, b: { op: 'const', value: 1 } }, b: { op: 'const', value: s } }, b: { op: 'const', value: s },
  })),
  exprArb,
);

const holds = (reqs: { expr: Dim; divisor: number }[], b: ReadonlyMap<string, number>): boolean =>
  reqs.every((r) => {
    const v = evalDim(r.expr, b);
    return v !== undefined && v % r.divisor === 0;
  });

describe('dimension algebra properties', () => {
  it('the canonical form evaluates like the expression', () => {
    fc.assert(fc.property(exprArb, bindingArb, (e, b) => {
      const d = build(e);
      expect(evalDim(d, b), dimToString(d)).toBe(naive(e, b));
    }), { numRuns: 2000 });
  });

  it('exact division undoes multiplication', () => {
    fc.assert(fc.property(exprArb, fc.integer({ min: 1, max: 9 }), (e, k) => {
      const d = build(e);
      expect(compareDims(dimExactDiv(dimMul(d, k), k), d)).toEqual({ kind: 'equal' });
    }), { numRuns: 500 });
  });

  it('equal and requires are sound under every binding (that meets the requirements)', () => {
    const pair = exprArb.chain((e) => fc.tuple(fc.constant(e), relatedArb(e)));
    let requires = 0;
    fc.assert(fc.property(pair, fc.array(bindingArb, { minLength: 20, maxLength: 20 }), ([e, f], bindings) => {
      const r = compareDims(build(e), build(f));
      if (r.kind === 'requires') requires++;
      for (const b of bindings) {
        if (r.kind === 'equal') expect(naive(f, b)).toBe(naive(e, b));
        if (r.kind === 'requires' && holds(r.requirements, b)) expect(naive(f, b)).toBe(naive(e, b));
      }
    }), { numRuns: 1500 });
    expect(requires).toBeGreaterThan(50);
  });

  it('"never equal" is never wrong', () => {
    fc.assert(fc.property(exprArb, exprArb, fc.array(bindingArb, { minLength: 10, maxLength: 10 }), (e, f, bindings) => {
      const r = compareDims(build(e), build(f));
      if (r.kind === 'unequal' && (r.reason === 'they are never equal' || r.reason?.startsWith('they differ by'))) {
        for (const b of bindings) expect(naive(f, b)).not.toBe(naive(e, b));
      }
    }), { numRuns: 1500 });
  });
});
