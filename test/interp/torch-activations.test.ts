/**
 * The activation cases of test/fixtures/ops-torch (PyTorch float64 results) through the
 * interpreter kernels of the operator table.
 */
import { describe, expect, it } from 'vitest';
import { relativeL2 } from '../../src/ir/tensor.ts';
import type { OpName } from '../../src/ops/attrs.ts';
import { opByName } from '../../src/ops/registry.ts';
import { activationCases, irActivation } from '../support/torch-ops.ts';

describe('activation kernels against PyTorch (ops-torch, float64 reference)', () => {
  it('has every activation case', () => expect(activationCases.map((c) => c.name).sort()).toEqual([
    'elu_0.5', 'elu_1', 'gelu_erf', 'gelu_tanh', 'hardsigmoid', 'hardswish', 'hardtanh_m1_1', 'leaky_relu_0.1',
    'prelu_3d', 'prelu_channel', 'prelu_single', 'relu6', 'silu',
  ]));

  it.each(activationCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { op, attrs } = irActivation(c);
    const y = c.outputs['y']!;
    const out = opByName(op as OpName).interp(c.inputs, c.params, attrs as never, y.shape);
    expect(out.shape).toEqual(y.shape);
    expect(relativeL2(out.data, y.data)).toBeLessThan(1e-5);
  });
});
