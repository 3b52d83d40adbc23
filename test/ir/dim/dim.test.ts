import { describe, expect, it } from 'vitest';
import {
  checkPositive, combineRequirements, compareDims, constValue, dimAdd, dimCeilDiv, dimConst, dimEquals, dimExactDiv,
  dimFloorDiv, dimFromNumber, dimMul, dimSub, dimSym, dimSymbols, dimToString, evalDim, integralityRequirement,
  isSafeDim, substitute, type Dim,
} from '../../../src/ir/dim/dim.ts';

const H = dimSym('H');
const W = dimSym('W');
const str = dimToString;
const texts = (a: Dim, b: Dim): string[] | string => {
  const r = compareDims(a, b);
  return r.kind === 'requires' ? r.requirements.map((q) => q.text) : r.kind;
};

describe('canonical form', () => {
  it('simplifies the conv rule with k=3, pad=1, stride=1 to H', () => {
    expect(str(dimAdd(dimFloorDiv(dimSub(dimAdd(H, 2), 3), 1), 1))).toBe('H');
    expect(dimEquals(dimAdd(dimFloorDiv(dimAdd(H, dimSub(dimMul(2, 1), 3)), 1), 1), H)).toBe(true);
  });
  it('pulls exact multiples out of a floor', () => {
    expect(str(dimFloorDiv(dimAdd(dimMul(H, 2), 3), 2))).toBe('H + 1');
    expect(str(dimFloorDiv(dimAdd(H, 5), 2))).toBe('ceil(H/2) + 2');
    expect(str(dimFloorDiv(dimAdd(dimMul(H, 2), 1), 4))).toBe('floor(H/2)');
  });
  it('merges nested floors', () => {
    expect(str(dimFloorDiv(dimFloorDiv(H, 2), 2))).toBe('floor(H/4)');
    expect(str(dimFloorDiv(dimAdd(dimFloorDiv(dimSub(H, 1), 2), 1), 2))).toBe('floor((H + 1)/4)');
  });
  it('prints readable text', () => {
    expect(str(dimMul(2, dimSym('C')))).toBe('2*C');
    expect(str(dimSub(W, 4))).toBe('W - 4');
    expect(str(dimExactDiv(H, 2))).toBe('H/2');
    expect(str(dimExactDiv(dimAdd(H, 1), 2))).toBe('(H + 1)/2');
    expect(str(dimCeilDiv(H, 2))).toBe('ceil(H/2)');
    expect(str(dimMul(H, W))).toBe('H*W');
    expect(str(dimSub(0, H))).toBe('-H');
    expect(str(dimConst(0))).toBe('0');
  });
  it('treats exact division as multiplication by a fraction', () => {
    expect(dimEquals(dimMul(dimExactDiv(H, 2), 2), H)).toBe(true);
    expect(str(dimExactDiv(dimExactDiv(H, 8), 2))).toBe('H/16');
    expect(integralityRequirement(dimExactDiv(dimExactDiv(H, 8), 2))?.text).toBe('H must be divisible by 16');
    expect(integralityRequirement(H)).toBeUndefined();
    expect(str(dimFloorDiv(dimExactDiv(H, 2), 3))).toBe('floor(H/6)');
  });
});

describe('values', () => {
  it('evaluates under bindings', () => {
    const b = new Map([['H', 7], ['W', 3]]);
    expect(evalDim(dimFloorDiv(H, 2), b)).toBe(3);
    expect(evalDim(dimCeilDiv(H, 2), b)).toBe(4);
    expect(evalDim(dimMul(H, W), b)).toBe(21);
    expect(evalDim(dimExactDiv(H, 2), b)).toBeUndefined();
    expect(evalDim(dimSym('N'), b)).toBeUndefined();
    expect(constValue(dimAdd(3, 4))).toBe(7);
    expect(constValue(H)).toBeUndefined();
    expect(constValue(dimFromNumber(5))).toBe(5);
  });
  it('substitutes dimensions and lists symbols', () => {
    const d = dimAdd(dimFloorDiv(H, 2), W);
    expect(str(substitute(d, new Map([['H', dimMul(2, dimSym('X'))]])))).toBe('W + X');
    expect(str(substitute(d, { W: 1 }))).toBe('floor(H/2) + 1');
    expect(dimSymbols(dimMul(dimFloorDiv(W, 3), H))).toEqual(['H', 'W']);
  });
  it('marks unrepresentable values instead of throwing', () => {
    expect(isSafeDim(dimConst(1.5))).toBe(false);
    expect(isSafeDim(dimConst(2 ** 60))).toBe(false);
    expect(isSafeDim(dimMul(2 ** 40, 2 ** 40))).toBe(false);
    expect(constValue(dimMul(2 ** 40, 2 ** 40))).toBeUndefined();
    expect(isSafeDim(dimFloorDiv(H, 0))).toBe(false);
    expect(isSafeDim(dimFloorDiv(H, -2))).toBe(false);
    expect(isSafeDim(dimFloorDiv(H, Number.NaN))).toBe(false);
    let big: Dim = dimAdd(H, W);
    for (let i = 0; i < 40; i++) big = dimMul(big, big);
    expect(isSafeDim(big)).toBe(false);
    let huge: Dim = dimConst(3);
    for (let i = 0; i < 200; i++) huge = dimMul(huge, huge);
    expect(isSafeDim(huge)).toBe(false);
    expect(isSafeDim(dimMul(H, 1000))).toBe(true);
    expect(compareDims(huge, H).kind).toBe('unequal');
  });
});

describe('compareDims', () => {
  it('decides equality and constant differences', () => {
    expect(compareDims(dimAdd(H, 1), dimAdd(1, H))).toEqual({ kind: 'equal' });
    expect(compareDims(dimAdd(H, 1), H)).toMatchObject({ kind: 'unequal', reason: 'they differ by 1' });
    expect(compareDims(dimConst(3), dimConst(5)).kind).toBe('unequal');
  });
  it('names the divisibility an equality needs', () => {
    expect(texts(dimMul(dimFloorDiv(H, 2), 2), H)).toEqual(['H must be divisible by 2']);
    expect(texts(dimMul(dimFloorDiv(dimFloorDiv(H, 2), 2), 4), H)).toEqual(['H must be divisible by 4']);
    expect(texts(dimMul(dimCeilDiv(H, 2), 2), H)).toEqual(['H must be divisible by 2']);
    expect(texts(dimMul(dimFloorDiv(dimAdd(H, 1), 2), 2), dimAdd(H, 1))).toEqual(['H + 1 must be divisible by 2']);
    expect(texts(dimExactDiv(dimExactDiv(H, 8), 2), dimFloorDiv(H, 16))).toEqual(['H must be divisible by 16']);
    expect(texts(dimAdd(dimMul(dimFloorDiv(H, 2), 2), dimMul(dimFloorDiv(W, 3), 3)), dimAdd(H, W)))
      .toEqual(['H must be divisible by 2', 'W must be divisible by 3']);
  });
  it('symbolic convT k2 s2 of floor(H/2) is H when H is even', () => {
    const pooled = dimFloorDiv(H, 2);
    const up = dimAdd(dimMul(dimSub(pooled, 1), 2), 2);
    expect(texts(up, H)).toEqual(['H must be divisible by 2']);
  });
  it('reports sizes that can never be equal', () => {
    expect(compareDims(dimFloorDiv(H, 2), dimAdd(dimExactDiv(H, 2), 1))).toMatchObject({ kind: 'unequal', reason: 'they are never equal' });
    expect(compareDims(H, W).kind).toBe('unequal');
    expect(compareDims(dimMul(H, H), H).kind).toBe('unequal');
  });
  it('combines nested requirements into the strongest one', () => {
    const reqs = [
      { expr: dimExactDiv(H, 8), divisor: 2, text: '' },
      { expr: H, divisor: 4, text: '' },
    ];
    expect(combineRequirements(reqs)?.map((r) => r.text)).toEqual(['H must be divisible by 16']);
    expect(combineRequirements([{ expr: H, divisor: 2, text: '' }, { expr: dimAdd(H, 1), divisor: 2, text: '' }])).toBeUndefined();
    expect(combineRequirements([{ expr: dimMul(H, 2), divisor: 4, text: '' }])?.map((r) => r.text)).toEqual(['H must be divisible by 2']);
    expect(combineRequirements([{ expr: dimAdd(dimMul(H, 2), 1), divisor: 4, text: '' }])).toBeUndefined();
  });
});

describe('checkPositive', () => {
  it('accepts sizes that are always positive', () => {
    expect(checkPositive(H).kind).toBe('ok');
    expect(checkPositive(dimAdd(dimFloorDiv(dimSub(H, 1), 2), 1)).kind).toBe('ok');
    expect(checkPositive(dimMul(H, W)).kind).toBe('ok');
    expect(checkPositive(dimConst(3)).kind).toBe('ok');
  });
  it('names the smallest input size that works', () => {
    expect(checkPositive(dimSub(H, 6))).toMatchObject({ kind: 'requires', text: 'H must be at least 7' });
    expect(checkPositive(dimAdd(dimFloorDiv(dimSub(H, 7), 2), 1))).toMatchObject({ text: 'H must be at least 7' });
    expect(checkPositive(dimFloorDiv(H, 4))).toMatchObject({ text: 'H must be at least 4' });
    expect(checkPositive(dimSub(5, H))).toMatchObject({ text: 'H must be at most 4' });
  });
  it('reports sizes that are never positive', () => {
    expect(checkPositive(dimConst(0)).kind).toBe('never');
    expect(checkPositive(dimConst(-3)).kind).toBe('never');
    expect(checkPositive(dimSub(0, H)).kind).toBe('never');
  });
});
