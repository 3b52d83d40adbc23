/**
 * What the checker reuses between calls and instances (remembered comparisons, parameter
 * analysis per block, parsed files, library text) must not change any result; hover records
 * can be turned off without changing anything else.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource, type CheckResult } from '../../src/check/check.ts';
import { checkPositive, compareDims, dimAdd, dimExactDiv, dimFloorDiv, dimMul, dimSym } from '../../src/ir/dim/dim.ts';
import { closestName } from '../../src/check/suggest.ts';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.net')).sort();

const text = (r: CheckResult, hovers = true): string =>
  JSON.stringify({ d: r.diagnostics, g: r.graphs, q: r.requirements, h: hovers ? r.hovers : undefined }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

describe('results do not depend on what was checked before', () => {
  it.each(examples)('%s: the same result twice, and after other files', (f) => {
    const src = readFileSync(join(examplesDir, f), 'utf8');
    const first = text(checkSource(src, f));
    for (const other of examples) checkSource(readFileSync(join(examplesDir, other), 'utf8'), other);
    expect(text(checkSource(src, f))).toBe(first);
  });

  it('a seeded mistake in a renamed copy reports the same as in the original', () => {
    const src = readFileSync(join(examplesDir, 'resnet50.net'), 'utf8').replace(/conv\((\d+)/, (_m, c: string) => `conv(${Number(c) + 1}`);
    const a = checkSource(src, 'a.net');
    checkSource(readFileSync(join(examplesDir, 'resnet50.net'), 'utf8'), 'b.net');
    const b = checkSource(src, 'a.net');
    expect(a.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(text(b)).toBe(text(a));
  });
});

describe('hovers: false', () => {
  it.each(examples)('%s: no hover records, everything else equal', (f) => {
    const src = readFileSync(join(examplesDir, f), 'utf8');
    const on = checkSource(src, f);
    const off = checkSource(src, f, { hovers: false });
    expect(on.hovers.length).toBeGreaterThan(0);
    expect(off.hovers).toEqual([]);
    expect(text(off, false)).toBe(text(on, false));
  });
});

describe('remembered dimension comparisons', () => {
  const H = dimSym('H');
  it('give the same answer as the first time, and cannot be changed by a caller', () => {
    const a = dimFloorDiv(dimAdd(H, 1), 2);
    const b = dimExactDiv(H, 2);
    const first = compareDims(a, b);
    expect(first.kind).toBe('requires');
    const again = compareDims(dimFloorDiv(dimAdd(H, 1), 2), dimExactDiv(H, 2));
    expect(again).toEqual(first);
    expect(Object.isFrozen(again)).toBe(true);
    if (again.kind === 'requires') expect(() => (again.requirements as unknown[]).push(1)).toThrow();
    expect(compareDims(dimMul(H, 2), dimAdd(H, H)).kind).toBe('equal');
    expect(compareDims(dimAdd(H, 1), H)).toEqual({ kind: 'unequal', reason: 'they differ by 1' });
  });

  it('positivity answers repeat', () => {
    const d = dimAdd(dimFloorDiv(H, 4), -2);
    const first = checkPositive(d);
    expect(first.kind).toBe('requires');
    expect(checkPositive(dimAdd(dimFloorDiv(H, 4), -2))).toEqual(first);
  });
});

describe('remembered symbolic arithmetic', () => {
  it('a repeated operation gives an equal dimension, shared and frozen', () => {
    const H = dimSym('H');
    const first = dimAdd(dimFloorDiv(dimAdd(H, 1), 2), 3);
    const again = dimAdd(dimFloorDiv(dimAdd(H, 1), 2), 3);
    expect(again.key).toBe(first.key);
    expect(Object.isFrozen(again)).toBe(true);
    // A number and the constant dimension of the same value are the same operand.
    expect(dimMul(H, 2).key).toBe(dimMul(H, dimAdd(1, 1)).key);
    expect(dimExactDiv(dimMul(H, 4), 2).key).toBe(dimMul(H, 2).key);
    expect(dimExactDiv(H, 0).invalid).toBeDefined();
  });
});

describe('suggestions', () => {
  it('skip candidates whose length alone puts them past the limit', () => {
    expect(closestName('Bottleneck', ['BottleneckV12345', 'Botleneck'])).toBe('Botleneck');
    expect(closestName('conv', ['convolution'])).toBeUndefined();
    expect(closestName('Conv', ['conv'])).toBe('conv');
  });
});
