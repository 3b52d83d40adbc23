import { describe, expect, it } from 'vitest';
import type { ParamRef } from '../../src/ir/graph.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';

const params: ParamRef[] = [
  { name: 'conv.weight', shape: [8, 4, 3, 3], trainable: true },
  { name: 'conv.bias', shape: [8], trainable: true },
  { name: 'bn.weight', shape: [8], trainable: true },
  { name: 'bn.bias', shape: [8], trainable: true },
  { name: 'bn.running_mean', shape: [8], trainable: false },
  { name: 'bn.running_var', shape: [8], trainable: false },
  { name: 'fc.weight', shape: [10, 96], trainable: true },
  { name: 'up.weight', shape: [8, 4, 4, 4], trainable: true },
];

const range = (d: Float32Array): [number, number] => [Math.min(...d), Math.max(...d)];

describe('randomWeights', () => {
  const w = randomWeights(params, 7);

  it('gives every parameter a tensor of its shape', () => {
    for (const p of params) expect(w.get(p.name)!.shape).toEqual(p.shape);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const again = randomWeights(params, 7);
    const other = randomWeights(params, 8);
    for (const p of params) {
      expect(again.get(p.name)!.data).toEqual(w.get(p.name)!.data);
      expect(other.get(p.name)!.data).not.toEqual(w.get(p.name)!.data);
    }
  });

  it('does not depend on the other parameters (a tensor is a function of seed and name)', () => {
    const alone = randomWeights([params[6]!], 7);
    expect(alone.get('fc.weight')!.data).toEqual(w.get('fc.weight')!.data);
  });

  it('uses He-uniform weight bounds sqrt(6 / fan_in) and small biases', () => {
    const [lo, hi] = range(w.get('conv.weight')!.data);
    const bound = Math.sqrt(6 / 36);
    expect(lo).toBeGreaterThanOrEqual(-bound);
    expect(hi).toBeLessThanOrEqual(bound);
    expect(hi - lo).toBeGreaterThan(bound); // spread over the range, not a constant
    expect(Math.max(...range(w.get('fc.weight')!.data).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 96));
    expect(Math.max(...range(w.get('conv.bias')!.data).map(Math.abs))).toBeLessThanOrEqual(0.05);
  });

  it('gives batch norm a positive variance, gamma near 1 and small beta and mean', () => {
    const [vlo, vhi] = range(w.get('bn.running_var')!.data);
    expect(vlo).toBeGreaterThanOrEqual(0.5);
    expect(vhi).toBeLessThanOrEqual(1.5);
    const [glo, ghi] = range(w.get('bn.weight')!.data);
    expect(glo).toBeGreaterThanOrEqual(0.5);
    expect(ghi).toBeLessThanOrEqual(1.5);
    for (const name of ['bn.bias', 'bn.running_mean']) {
      expect(Math.max(...range(w.get(name)!.data).map(Math.abs))).toBeLessThanOrEqual(0.1);
    }
  });
});
