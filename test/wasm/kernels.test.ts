/**
 * Every non-convolution kernel through Wasm vs the interpreter, across shapes and
 * arguments: one module per operator family, each case a branch of the graph.
 */
import { describe, expect, test } from 'vitest';
import { buildGraph, compareWithInterp, randomTensor, randomWeightsFor, rng, type NodeSpec } from './harness.ts';
import { poolAttrs, poolOut } from './shapes.ts';

interface Case {
  name: string;
  op: string;
  inputs: number[][];
  out: number[];
  attrs?: Record<string, unknown>;
  params?: Record<string, number[]>;
}

async function runCases(cases: Case[], seed: number, special = false): Promise<void> {
  const next = rng(seed);
  const inputs: Record<string, number[]> = {};
  const nodes: NodeSpec[] = cases.map((c) => {
    const names = c.inputs.map((shape, k) => {
      inputs[`${c.name}_in${k}`] = shape;
      return `${c.name}_in${k}`;
    });
    return { op: c.op, inputs: names, output: c.name, shape: c.out, attrs: c.attrs ?? {}, params: c.params };
  });
  const graph = buildGraph(inputs, nodes, cases.map((c) => c.name));
  const weights = randomWeightsFor(graph, next);
  const xs = graph.inputs.map((io) => {
    const t = randomTensor(graph.values[io.value]!.shape, next, -4, 4);
    if (special && t.data.length > 8) {
      t.data[1] = Number.NaN;
      t.data[5] = Number.POSITIVE_INFINITY;
      t.data[t.data.length - 2] = Number.NEGATIVE_INFINITY;
    }
    return t;
  });
  const { errors } = await compareWithInterp(graph, weights, xs);
  if (process.env.SHOW_ERRORS) console.log([...errors].map(([n, e]) => `${n}=${e.toExponential(1)}`).join(' '));
  for (const [name, e] of errors) expect.soft(e, name).toBeLessThan(1e-5);
}

const same = (name: string, op: string, shape: number[], attrs: Record<string, unknown> = {}): Case => ({ name, op, inputs: [shape], out: shape, attrs });

describe('elementwise kernels', () => {
  test('activations, with NaN and infinities flowing through', async () => {
    const cases: Case[] = [];
    for (const [op, attrs] of [['relu', {}], ['relu6', {}], ['clip', { min: -1.5, max: 2 }], ['leaky_relu', { slope: 0.1 }], ['sigmoid', {}], ['tanh', {}]] as const) {
      cases.push(same(`${op}_odd`, op, [2, 3, 5, 7], attrs), same(`${op}_small`, op, [1, 3], attrs), same(`${op}_1d`, op, [1, 4, 16], attrs));
    }
    await runCases(cases, 1, true);
  });

  test('activations on wide ranges (exp clamping, tanh near 0)', async () => {
    const next = rng(5);
    const graph = buildGraph({ a: [1, 2, 50, 10], b: [1, 2, 50, 10] }, [
      { op: 'sigmoid', inputs: ['a'], output: 'sig', shape: [1, 2, 50, 10] },
      { op: 'tanh', inputs: ['b'], output: 'tanh', shape: [1, 2, 50, 10] },
    ], ['sig', 'tanh']);
    const wide = randomTensor([1, 2, 50, 10], next, -120, 120);
    const small = randomTensor([1, 2, 50, 10], next, -1e-3, 1e-3);
    const { errors } = await compareWithInterp(graph, new Map(), [wide, small]);
    for (const [name, e] of errors) expect.soft(e, name).toBeLessThan(1e-6);
  });

  test('batchnorm, add, mul with broadcasting', async () => {
    const bn = (name: string, shape: number[]): Case => ({
      name, op: 'batchnorm', inputs: [shape], out: shape, attrs: { eps: 1e-3 },
      params: { weight: [shape[1]!], bias: [shape[1]!], running_mean: [shape[1]!], running_var: [shape[1]!] },
    });
    await runCases([
      bn('bn2d', [2, 5, 3, 3]),
      bn('bn1d', [1, 4, 10]),
      bn('bn3d', [1, 3, 2, 3, 5]),
      bn('bnflat', [3, 6]),
      { name: 'add_same', op: 'add', inputs: [[2, 3, 5, 5], [2, 3, 5, 5]], out: [2, 3, 5, 5] },
      { name: 'add3', op: 'add', inputs: [[1, 4, 3, 3], [1, 4, 3, 3], [1, 4, 3, 3]], out: [1, 4, 3, 3] },
      { name: 'mul_channel', op: 'mul', inputs: [[2, 6, 4, 5], [6, 1, 1]], out: [2, 6, 4, 5] },
      { name: 'mul_channel4d', op: 'mul', inputs: [[1, 6, 4, 4], [1, 6, 1, 1]], out: [1, 6, 4, 4] },
      { name: 'add_first_bcast', op: 'add', inputs: [[1, 3, 1, 1], [2, 3, 3, 7]], out: [2, 3, 3, 7] },
      { name: 'mul_row', op: 'mul', inputs: [[2, 3, 4, 5], [5]], out: [2, 3, 4, 5] },
      { name: 'add_mixed', op: 'add', inputs: [[2, 1, 4, 1], [1, 3, 1, 5]], out: [2, 3, 4, 5] },
    ], 2, true);
  });

  test('softmax', async () => {
    await runCases([
      { name: 'sm_classes', op: 'softmax', inputs: [[2, 10]], out: [2, 10], attrs: { axis: 1 } },
      { name: 'sm_channels', op: 'softmax', inputs: [[1, 5, 3, 3]], out: [1, 5, 3, 3], attrs: { axis: 1 } },
      { name: 'sm_inner4', op: 'softmax', inputs: [[2, 3, 4, 2]], out: [2, 3, 4, 2], attrs: { axis: 1 } },
      { name: 'sm_last', op: 'softmax', inputs: [[1, 3, 4, 7]], out: [1, 3, 4, 7], attrs: { axis: 3 } },
      { name: 'sm_first', op: 'softmax', inputs: [[3, 4]], out: [3, 4], attrs: { axis: 0 } },
      // The last axis four classes at a time (softmax_rows), with 0 and 3 odd floats.
      { name: 'sm_rows_1000', op: 'softmax', inputs: [[2, 1000]], out: [2, 1000], attrs: { axis: 1 } },
      { name: 'sm_rows_7', op: 'softmax', inputs: [[3, 7]], out: [3, 7], attrs: { axis: 1 } },
      { name: 'sm_rows_4d', op: 'softmax', inputs: [[1, 2, 3, 9]], out: [1, 2, 3, 9], attrs: { axis: 3 } },
    ], 3);
  });
});

describe('data movement and linear', () => {
  test('concat, flatten, identity, dropout, linear', async () => {
    await runCases([
      { name: 'cat_c', op: 'concat', inputs: [[2, 3, 4, 4], [2, 5, 4, 4], [2, 1, 4, 4]], out: [2, 9, 4, 4], attrs: { axis: 1 } },
      { name: 'cat_h', op: 'concat', inputs: [[1, 2, 3, 5], [1, 2, 4, 5]], out: [1, 2, 7, 5], attrs: { axis: 2 } },
      { name: 'flat', op: 'flatten', inputs: [[2, 3, 2, 2]], out: [2, 12], attrs: { start: 1, end: 3 } },
      { name: 'ident', op: 'identity', inputs: [[1, 3, 5]], out: [1, 3, 5] },
      { name: 'drop', op: 'dropout', inputs: [[2, 7]], out: [2, 7], attrs: { p: 0.5 } },
      { name: 'fc', op: 'linear', inputs: [[2, 20]], out: [2, 13], attrs: { outFeatures: 13, bias: true }, params: { weight: [13, 20], bias: [13] } },
      { name: 'fc_nobias', op: 'linear', inputs: [[1, 64]], out: [1, 10], attrs: { outFeatures: 10, bias: false }, params: { weight: [10, 64] } },
      { name: 'fc_3d', op: 'linear', inputs: [[3, 5, 7]], out: [3, 5, 16], attrs: { outFeatures: 16, bias: true }, params: { weight: [16, 7], bias: [16] } },
      { name: 'fc_one', op: 'linear', inputs: [[2, 3]], out: [2, 1], attrs: { outFeatures: 1, bias: true }, params: { weight: [1, 3], bias: [1] } },
    ], 4);
  });
});

describe('pooling and upsampling', () => {
  const pool = (name: string, op: 'maxpool' | 'avgpool', x: number[], o: Parameters<typeof poolAttrs>[1]): Case => {
    const attrs = poolAttrs((x.length - 2) as 1 | 2 | 3, o);
    return { name, op, inputs: [x], out: poolOut(x, attrs), attrs: { ...attrs } };
  };
  test('max and average pools: padding, ceil mode, dilation, count_include_pad, 1d/2d/3d', async () => {
    await runCases([
      pool('max_k3s2p1', 'maxpool', [1, 3, 9, 9], { k: 3, s: 2, p: 1 }),
      pool('max_ceil', 'maxpool', [2, 2, 10, 11], { k: 3, s: 2, ceil: true }),
      pool('max_ceil_pad', 'maxpool', [1, 2, 8, 8], { k: 3, s: 2, p: 1, ceil: true }),
      pool('max_dil', 'maxpool', [1, 2, 11, 11], { k: 3, s: 1, d: 2, p: 1 }),
      pool('max_1d', 'maxpool', [1, 3, 15], { k: 4, s: 3, p: 2 }),
      pool('max_3d', 'maxpool', [1, 2, 5, 6, 7], { k: 2, s: 2, ceil: true }),
      pool('max_big_window', 'maxpool', [1, 2, 12, 13], { k: 9, s: 3, p: 4, ceil: true }),
      pool('avg_cip', 'avgpool', [1, 3, 9, 9], { k: 3, s: 2, p: 1, cip: true }),
      pool('avg_nocip', 'avgpool', [1, 3, 9, 9], { k: 3, s: 2, p: 1, cip: false }),
      pool('avg_ceil_cip', 'avgpool', [1, 2, 10, 10], { k: 3, s: 2, p: 1, ceil: true, cip: true }),
      pool('avg_ceil_nocip', 'avgpool', [1, 2, 7, 8], { k: 2, s: 2, ceil: true, cip: false }),
      pool('avg_1d', 'avgpool', [2, 2, 13], { k: 5, s: 2, p: 2 }),
      pool('avg_3d', 'avgpool', [1, 2, 4, 5, 6], { k: 3, s: 1, p: 1, cip: false }),
      // Inception v3's pool branch (vector kernel, rows of 35: tails of 3) and a window too
      // large to unroll (the scalar kernel).
      pool('avg_k3s1p1_35', 'avgpool', [1, 3, 35, 35], { k: 3, s: 1, p: 1 }),
      pool('avg_big_window', 'avgpool', [1, 2, 12, 13], { k: 9, s: 3, p: 4, ceil: true, cip: false }),
    ], 5, true);
  });

  test('adaptive pools', async () => {
    const ad = (name: string, op: string, x: number[], size: number[]): Case => ({
      name, op, inputs: [x], out: [x[0]!, x[1]!, ...size], attrs: { rank: size.length, size },
    });
    await runCases([
      ad('aavg', 'adaptive_avgpool', [1, 3, 7, 9], [3, 4]),
      ad('aavg_global', 'adaptive_avgpool', [2, 5, 6, 6], [1, 1]),
      // Global average pooling four floats at a time: planes of 49 and 3 floats.
      ad('aavg_global_7x7', 'adaptive_avgpool', [1, 6, 7, 7], [1, 1]),
      ad('aavg_global_1d', 'adaptive_avgpool', [2, 3, 3], [1]),
      ad('amax', 'adaptive_maxpool', [1, 3, 10, 7], [4, 3]),
      ad('aavg_1d', 'adaptive_avgpool', [1, 2, 11], [4]),
      ad('amax_3d', 'adaptive_maxpool', [1, 2, 5, 4, 6], [2, 3, 4]),
      ad('aavg_up', 'adaptive_avgpool', [1, 1, 3, 3], [5, 5]),
    ], 6, true);
  });

  test('upsample: nearest, (bi/tri)linear, align_corners, scale factors', async () => {
    const up = (name: string, x: number[], size: number[], mode: 'nearest' | 'linear', alignCorners = false, scale?: number[]): Case => ({
      name, op: 'upsample', inputs: [x], out: [x[0]!, x[1]!, ...size], attrs: { rank: size.length, mode, size, alignCorners, ...(scale ? { scale } : {}) },
    });
    await runCases([
      up('near2x', [1, 3, 4, 5], [8, 10], 'nearest', false, [2, 2]),
      // Vector rows (eight doubled outputs, four blended ones at a time) with odd tails.
      up('near2x_wide', [1, 2, 3, 9], [6, 18], 'nearest', false, [2, 2]),
      up('bilinear_wide', [1, 2, 5, 13], [10, 26], 'linear', false, [2, 2]),
      up('near3x_wide', [1, 2, 2, 6], [6, 18], 'nearest', false, [3, 3]),
      up('near_odd', [1, 2, 5, 3], [7, 8], 'nearest'),
      up('near_scale', [1, 2, 4, 4], [6, 6], 'nearest', false, [1.5, 1.5]),
      up('bilinear', [1, 3, 4, 5], [8, 10], 'linear', false, [2, 2]),
      up('bilinear_ac', [2, 2, 4, 5], [7, 9], 'linear', true),
      up('bilinear_down', [1, 2, 8, 8], [5, 3], 'linear'),
      up('linear1d', [1, 2, 7], [15], 'linear'),
      up('trilinear', [1, 2, 3, 4, 2], [6, 8, 4], 'linear', false, [2, 2, 2]),
      up('trilinear_ac', [1, 1, 3, 3, 3], [5, 4, 6], 'linear', true),
      up('near3d', [1, 2, 2, 3, 2], [4, 6, 4], 'nearest', false, [2, 2, 2]),
    ], 7);
  });
});
