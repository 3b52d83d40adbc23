/**
 * Every op case of the PyTorch reference (test/fixtures/reference/cases.json) through the
 * interpreter kernels of the operator table: inputs and expected outputs from ops.safetensors,
 * attributes mapped from the case's PyTorch keyword arguments (test/support/reference-ops.ts).
 */
import { describe, expect, it } from 'vitest';
import { relativeL2 } from '../../src/ir/tensor.ts';
import type { OpName } from '../../src/ops/attrs.ts';
import { opByName } from '../../src/ops/registry.ts';
import { caseParams, casesWithoutData, irOp, opCases, referenceTensors } from '../support/reference-ops.ts';

// The reference file lacks the tensors of some cases (leaky_relu_0.1); they are listed as
// skipped, and the unit tests of the kernels cover those ops.
const errors: Record<string, number> = {};

describe('interpreter kernels against PyTorch (float64 reference)', () => {
  it('has op cases to run', () => expect(opCases.length).toBeGreaterThan(20));

  it.each(opCases)('%s', (name, c) => {
    const { op, attrs } = irOp(c);
    const x = referenceTensors.get(`${name}.x`)!;
    const y = referenceTensors.get(`${name}.y`)!;
    expect(x.shape).toEqual(c.x);
    const out = opByName(op as OpName).interp([x], caseParams(name, c), attrs, c.y);
    expect(out.shape).toEqual(y.shape);
    const err = relativeL2(out.data, y.data);
    errors[name] = err;
    expect(err).toBeLessThan(1e-5);
  });

  for (const [name] of casesWithoutData) it.skip(`${name} (no tensors in ops.safetensors)`, () => {});

  it('error table', () => {
    console.table(Object.entries(errors).map(([name, relL2]) => ({ name, relL2: relL2.toExponential(2) })));
    expect(Object.keys(errors).length).toBe(opCases.length);
  });
});
