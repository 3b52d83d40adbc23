/**
 * Broadcast elementwise ops, reductions, global max pool and linear without bias against
 * PyTorch (test/fixtures/ops-torch), on the interpreter kernels and through Wasm, by relative
 * L2 < 1e-5. The normalisation cases (`(x - mean) / std` operands [1, 3, 1, 1]) run twice:
 * with the operand as a second input and as the operator's own constant weight `value`.
 */
import { describe, expect, it } from 'vitest';
import type { WeightStore } from '../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import type { OpName } from '../../src/ops/attrs.ts';
import { opByName } from '../../src/ops/registry.ts';
import { torchOpCase, type TorchOpCase } from '../support/torch-ops.ts';
import { buildGraph, runWasm, type NodeSpec } from '../wasm/harness.ts';

interface Mapped {
  op: OpName;
  attrs: Record<string, unknown>;
  /** Tensors passed as inputs. */
  inputs: Tensor[];
  params: Record<string, Tensor>;
}

const binary = (op: OpName) => (c: TorchOpCase): Mapped => ({ op, attrs: {}, inputs: c.inputs, params: {} });
/** The second operand as the operator's constant weight. */
const withConstant = (op: OpName) => (c: TorchOpCase): Mapped => ({ op, attrs: { constant: c.inputs[1]!.shape }, inputs: [c.inputs[0]!], params: { value: c.inputs[1]! } });
const reduction = (op: OpName) => (c: TorchOpCase): Mapped => ({
  op, attrs: { axes: c.kwargs['dim'], keepdim: c.kwargs['keepdim'] }, inputs: c.inputs, params: {},
});

const CASES: [string, string, (c: TorchOpCase) => Mapped][] = [
  ['mul_se', 'mul_se', binary('mul')],
  ['mul_se_3d', 'mul_se_3d', binary('mul')],
  ['add_channel', 'add_channel', binary('add')],
  ['add_channel (constant)', 'add_channel', withConstant('add')],
  ['sub_norm', 'sub_norm', binary('sub')],
  ['sub_norm (constant)', 'sub_norm', withConstant('sub')],
  ['div_norm', 'div_norm', binary('div')],
  ['div_norm (constant)', 'div_norm', withConstant('div')],
  ['sub_same', 'sub_same', binary('sub')],
  ['div_same', 'div_same', binary('div')],
  ['mean_hw_keep', 'mean_hw_keep', reduction('reduce_mean')],
  ['mean_hw', 'mean_hw', reduction('reduce_mean')],
  ['mean_dhw_keep', 'mean_dhw_keep', reduction('reduce_mean')],
  ['amax_hw_keep', 'amax_hw_keep', reduction('reduce_max')],
  ['global_maxpool', 'global_maxpool', (c) => ({ op: 'adaptive_maxpool', attrs: { rank: 2, size: [1, 1] }, inputs: c.inputs, params: {} })],
  ['linear_nobias', 'linear_nobias', (c) => ({ op: 'linear', attrs: { outFeatures: c.params['weight']!.shape[0], bias: false }, inputs: c.inputs, params: c.params })],
];

const cases = CASES.map(([label, name, map]) => ({ label, c: torchOpCase(name), m: map(torchOpCase(name)) }));

describe('ops-torch cases: elementwise with broadcast, reductions, global max pool, linear', () => {
  it.each(cases.map((k) => [k.label, k] as const))('%s on the interpreter', (_label, { c, m }) => {
    const out = opByName(m.op).interp(m.inputs, m.params, m.attrs as never, c.outputs['y']!.shape);
    expect(out.shape).toEqual(c.outputs['y']!.shape);
    expect(relativeL2(out.data, c.outputs['y']!.data)).toBeLessThan(1e-5);
  });

  it('every case through one Wasm module', async () => {
    const inputs: Record<string, number[]> = {};
    const xs: Tensor[] = [];
    const nodes: NodeSpec[] = [];
    const weights: WeightStore = new Map();
    cases.forEach(({ c, m }, k) => {
      const names = m.inputs.map((t, i) => {
        inputs[`c${k}_in${i}`] = t.shape;
        xs.push(t);
        return `c${k}_in${i}`;
      });
      const params: Record<string, number[]> = {};
      for (const [role, t] of Object.entries(m.params)) {
        params[role] = t.shape;
        weights.set(`c${k}.${role}`, t);
      }
      nodes.push({ op: m.op, inputs: names, output: `c${k}`, shape: c.outputs['y']!.shape, attrs: m.attrs, params });
    });
    const { outputs } = await runWasm(buildGraph(inputs, nodes, nodes.map((n) => n.output)), weights, xs);
    const errors = cases.map(({ label, c }, k) => [label, relativeL2(outputs.get(`c${k}`)!.data, c.outputs['y']!.data)] as const);
    for (const [label, e] of errors) expect.soft(e, label).toBeLessThan(1e-5);
    expect(errors.length).toBe(CASES.length);
  });
});

describe('amax propagates NaN, mean of a non-spatial axis set', () => {
  it('on the interpreter and through Wasm', async () => {
    const data = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => Math.sin(i));
    data[5] = NaN; // batch 0, channel 1
    const x: Tensor = { shape: [2, 3, 2, 2], data };
    const nodes: NodeSpec[] = [
      { op: 'reduce_max', inputs: ['x'], output: 'mx', shape: [2, 3], attrs: { axes: [2, 3], keepdim: false } },
      { op: 'reduce_mean', inputs: ['x'], output: 'mn', shape: [1, 3, 2, 1], attrs: { axes: [0, 3], keepdim: true } },
    ];
    const graph = buildGraph({ x: x.shape }, nodes, ['mx', 'mn']);
    const { outputs } = await runWasm(graph, new Map(), [x]);
    const interpMax = opByName('reduce_max').interp([x], {}, { axes: [2, 3], keepdim: false }, [2, 3]);
    const interpMean = opByName('reduce_mean').interp([x], {}, { axes: [0, 3], keepdim: true }, [1, 3, 2, 1]);
    for (const mx of [interpMax.data, outputs.get('mx')!.data]) {
      expect(Number.isNaN(mx[1]!)).toBe(true);
      expect(mx.filter((v) => Number.isNaN(v))).toHaveLength(1);
      expect(mx[0]).toBe(Math.max(data[0]!, data[1]!, data[2]!, data[3]!));
    }
    // Channel 0, row 1: elements (n, 0, 1, w) for n in 0..1, w in 0..1.
    const want = (data[2]! + data[3]! + data[14]! + data[15]!) / 4;
    expect(interpMean.data[1]).toBeCloseTo(want, 6);
    expect(outputs.get('mn')!.data[1]).toBeCloseTo(want, 6);
    expect(Number.isNaN(interpMean.data[2]!)).toBe(true);
  });
});
