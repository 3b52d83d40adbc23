/**
 * Each activation is one formula in its table entry (ops/activation/formula.ts): the
 * interpreter's kernel and a fused epilogue evaluate the same one. Signed zeros and NaN
 * follow PyTorch eager: torch.relu is clamp_min(x, 0), which returns x unless x < 0, so
 * relu(-0) is -0 and relu(NaN) is NaN; hardtanh/clamp (relu6, clip) likewise; leaky_relu is
 * x > 0 ? x : slope * x.
 */
import { describe, expect, it } from 'vitest';
import { scalarFunction } from '../../src/ops/activation/formula.ts';
import { activationFormula, epilogueFormula, isActivation } from '../../src/ops/activations.ts';
import { OPS, opByName } from '../../src/ops/registry.ts';
import type { OpName } from '../../src/ir/graph.ts';

const INPUTS = [-7, -0.5, -0, 0, 0.5, 7, Number.NaN];

function apply(op: OpName, attrs: object): number[] {
  const f = scalarFunction(activationFormula(op, attrs)!);
  return INPUTS.map(f);
}

/** Array equality that tells -0 from 0 and NaN from NaN (Object.is per element). */
function same(got: number[], want: number[]): boolean {
  return got.length === want.length && got.every((v, i) => Object.is(v, want[i]));
}

describe('activation formulas', () => {
  it('relu keeps -0 and NaN, as torch.relu (clamp_min) does', () => {
    expect(same(apply('relu', {}), [0, 0, -0, 0, 0.5, 7, NaN])).toBe(true);
  });
  it('relu6 and clip clamp, keeping -0 and NaN', () => {
    expect(same(apply('relu6', { min: 0, max: 6 }), [0, 0, -0, 0, 0.5, 6, NaN])).toBe(true);
    expect(same(apply('clip', { min: -1, max: 1 }), [-1, -0.5, -0, 0, 0.5, 1, NaN])).toBe(true);
    expect(same(apply('clip', { max: 1 }), [-7, -0.5, -0, 0, 0.5, 1, NaN])).toBe(true);
  });
  it('leaky_relu is x > 0 ? x : slope * x', () => {
    expect(same(apply('leaky_relu', { slope: 0.5 }), [-3.5, -0.25, -0, 0, 0.5, 7, NaN])).toBe(true);
    expect(same(apply('leaky_relu', { slope: -1 }), [7, 0.5, 0, -0, 0.5, 7, NaN])).toBe(true);
  });
  it('sigmoid and tanh', () => {
    expect(apply('sigmoid', {}).slice(2, 4)).toEqual([0.5, 0.5]);
    expect(apply('sigmoid', {})[0]).toBeCloseTo(1 / (1 + Math.exp(7)), 15);
    expect(same(apply('tanh', {}).slice(2), [-0, 0, Math.tanh(0.5), Math.tanh(7), NaN])).toBe(true);
  });
  it('hardsigmoid and hardswish are PyTorch\'s relu6(x + 3) / 6 forms', () => {
    expect(same(apply('hardsigmoid', { alpha: 1 / 6, beta: 0.5 }), [0, 2.5 / 6, 0.5, 0.5, 3.5 / 6, 1, NaN])).toBe(true);
    expect(same(apply('hardsigmoid', { alpha: 0.2, beta: 0.5 }), [0, 0.4, 0.5, 0.5, 0.6, 1, NaN])).toBe(true);
    expect(same(apply('hardswish', {}), [-0, (-0.5 * 2.5) / 6, -0, 0, (0.5 * 3.5) / 6, 7, NaN])).toBe(true);
  });
  it('silu, gelu and elu', () => {
    expect(apply('silu', {})[5]).toBeCloseTo(7 / (1 + Math.exp(-7)), 14);
    // GELU(x) = x Phi(x); Phi(0.5) = 0.6914624612740131.
    expect(apply('gelu', { approximate: 'none' })[4]).toBeCloseTo(0.5 * 0.6914624612740131, 14);
    expect(apply('gelu', { approximate: 'tanh' })[4]).toBeCloseTo(0.5 * 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (0.5 + 0.044715 * 0.125))), 14);
    expect(same(apply('elu', { alpha: 2 }).slice(2), [2 * (Math.exp(-0) - 1), 0, 0.5, 7, NaN])).toBe(true);
    expect(apply('elu', { alpha: 2 })[0]).toBeCloseTo(2 * (Math.exp(-7) - 1), 15);
  });
  it('the kernel of a node and an epilogue use the same formula', () => {
    const x = { shape: [1, 7], data: Float32Array.from(INPUTS) };
    const attrsOf: Record<string, object> = {
      clip: { min: -1, max: 1 }, leaky_relu: { slope: 0.1 }, relu6: { min: 0, max: 6 }, hardsigmoid: { alpha: 0.2, beta: 0.5 },
      gelu: { approximate: 'tanh' }, elu: { alpha: 0.5 },
    };
    for (const op of ['relu', 'relu6', 'clip', 'leaky_relu', 'sigmoid', 'tanh', 'hardsigmoid', 'hardswish', 'silu', 'gelu', 'elu'] as const) {
      const attrs = attrsOf[op] ?? {};
      const node = Array.from(opByName(op).interp([x], {}, attrs as never, [1, 7]).data);
      const fused = Array.from(Float32Array.from(INPUTS.map(scalarFunction(epilogueFormula({ activation: op, ...attrs })!))));
      expect(same(node, fused), op).toBe(true);
    }
  });
  it('only activations have a formula, and every one is elementwise', () => {
    const names = OPS.filter((d) => d.activation).map((d) => d.name).sort();
    expect(names).toEqual(['clip', 'elu', 'gelu', 'hardsigmoid', 'hardswish', 'leaky_relu', 'relu', 'relu6', 'sigmoid', 'silu', 'tanh']);
    // prelu has a weight: an elementwise operator, but no formula of the value alone.
    expect(isActivation('prelu')).toBe(false);
    for (const n of names) expect(isActivation(n) && opByName(n).elementwise).toBe(true);
    expect(epilogueFormula({ residual: true })).toBeUndefined();
  });
});
