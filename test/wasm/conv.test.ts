/**
 * Convolution and transposed convolution through Wasm vs the interpreter: many cases per
 * module (parallel branches of one graph) to keep the suite fast. The direct kernel is
 * tested with the fast paths off; the default build (fast paths on) runs the same cases.
 */
import { describe, expect, test } from 'vitest';
import type { Rank } from '../../src/ops/attrs.ts';
import { buildGraph, compareWithInterp, randomTensor, randomWeightsFor, rng, type NodeSpec } from './harness.ts';
import { convAttrs, convOut, convTransposeAttrs, convTransposeOut } from './shapes.ts';

interface Case {
  name: string;
  x: number[];
  rank: Rank;
  cout: number;
  o: Parameters<typeof convAttrs>[2];
  epilogue?: Record<string, unknown>;
}

const convCases: Case[] = [
  { name: 'k3p1', x: [1, 3, 9, 9], rank: 2, cout: 5, o: { k: 3, p: 1 } },
  { name: 'k3s2', x: [2, 4, 11, 10], rank: 2, cout: 6, o: { k: 3, s: 2, p: 1 } },
  { name: 'k7s2p3', x: [1, 3, 17, 15], rank: 2, cout: 8, o: { k: 7, s: 2, p: 3 } },
  { name: 'k1', x: [1, 16, 7, 7], rank: 2, cout: 9, o: { k: 1, bias: false } },
  { name: 'dil2', x: [1, 4, 12, 13], rank: 2, cout: 4, o: { k: 3, d: 2, p: 2 } },
  { name: 'groups2', x: [1, 6, 8, 9], rank: 2, cout: 4, o: { k: 3, p: 1, g: 2 } },
  { name: 'depthwise', x: [1, 8, 10, 10], rank: 2, cout: 8, o: { k: 3, p: 1, g: 8 } },
  { name: 'depthwise_s2', x: [1, 5, 9, 11], rank: 2, cout: 10, o: { k: 5, s: 2, p: 2, g: 5 } },
  { name: 'same_even', x: [1, 2, 8, 7], rank: 2, cout: 3, o: { k: 4, p: 1, pEnd: 2 } },
  { name: 'rect', x: [1, 3, 6, 20], rank: 2, cout: 4, o: { k: [1, 5], s: [1, 3], p: [0, 2] } },
  { name: 'narrow', x: [1, 2, 5, 3], rank: 2, cout: 3, o: { k: 3, p: 1 } },
  { name: 'c1d', x: [2, 3, 31], rank: 1, cout: 5, o: { k: 5, s: 2, p: 2 } },
  { name: 'c1d_dil', x: [1, 4, 20], rank: 1, cout: 4, o: { k: 3, d: 3, p: 3, g: 2 } },
  { name: 'c3d', x: [1, 2, 5, 6, 7], rank: 3, cout: 3, o: { k: 3, p: 1 } },
  { name: 'c3d_s2', x: [1, 3, 7, 8, 9], rank: 3, cout: 4, o: { k: [3, 2, 3], s: 2, p: [1, 0, 1] } },
  { name: 'big_kernel', x: [1, 2, 14, 14], rank: 2, cout: 2, o: { k: 9, p: 4 } },
  { name: 'relu', x: [1, 3, 8, 8], rank: 2, cout: 4, o: { k: 3, p: 1 }, epilogue: { activation: 'relu' } },
  { name: 'relu6_res', x: [1, 4, 9, 9], rank: 2, cout: 4, o: { k: 3, p: 1 }, epilogue: { activation: 'relu6', residual: true } },
  { name: 'leaky_s2', x: [1, 3, 9, 9], rank: 2, cout: 5, o: { k: 3, s: 2, p: 1 }, epilogue: { activation: 'leaky_relu', slope: 0.2 } },
  { name: 'sigmoid', x: [1, 3, 7, 9], rank: 2, cout: 4, o: { k: 3, p: 1 }, epilogue: { activation: 'sigmoid' } },
  { name: 'tanh_res_s2', x: [1, 3, 9, 9], rank: 2, cout: 6, o: { k: 3, s: 2, p: 1 }, epilogue: { activation: 'tanh', residual: true } },
  { name: 'clip', x: [1, 3, 6, 6], rank: 2, cout: 4, o: { k: 3, p: 1 }, epilogue: { activation: 'clip', min: -0.3, max: 0.4 } },
];

function convGraph(cases: Case[]) {
  const inputs: Record<string, number[]> = {};
  const nodes: NodeSpec[] = [];
  for (const c of cases) {
    const attrs = convAttrs(c.rank, c.cout, c.o);
    const out = convOut(c.x, attrs);
    inputs[`${c.name}_x`] = c.x;
    const ins = [`${c.name}_x`];
    if (c.epilogue?.['residual']) {
      inputs[`${c.name}_r`] = out;
      ins.push(`${c.name}_r`);
    }
    const params: Record<string, number[]> = { weight: [c.cout, c.x[1]! / attrs.groups, ...attrs.kernel] };
    if (attrs.bias) params['bias'] = [c.cout];
    nodes.push({ op: 'conv', inputs: ins, output: c.name, shape: out, attrs: { ...attrs, ...(c.epilogue ? { epilogue: c.epilogue } : {}) }, params });
  }
  return buildGraph(inputs, nodes, cases.map((c) => c.name));
}

function check(errors: Map<string, number>): void {
  if (process.env.SHOW_ERRORS) console.log([...errors].map(([n, e]) => `${n}=${e.toExponential(1)}`).join(" "));
  for (const [name, e] of errors) expect.soft(e, name).toBeLessThan(1e-5);
}

describe('conv', () => {
  const next = rng(7);
  const graph = convGraph(convCases);
  const weights = randomWeightsFor(graph, next);
  const inputs = graph.inputs.map((io) => randomTensor(graph.values[io.value]!.shape, next));

  test('direct kernel matches the interpreter', async () => {
    const { errors, run } = await compareWithInterp(graph, weights, inputs, { fastConvPaths: false });
    check(errors);
    expect(run.build.layout.kernelFunctions).toBeGreaterThan(convCases.length / 2);
  });

  test('default build (fast paths where they apply) matches the interpreter', async () => {
    check((await compareWithInterp(graph, weights, inputs)).errors);
  });
});

describe('conv_transpose', () => {
  const cases: { name: string; x: number[]; rank: Rank; cout: number; o: Parameters<typeof convTransposeAttrs>[2]; epilogue?: Record<string, unknown> }[] = [
    { name: 's2k4p1', x: [1, 4, 5, 5], rank: 2, cout: 3, o: { k: 4, s: 2, p: 1 } },
    { name: 's1k3', x: [2, 3, 6, 7], rank: 2, cout: 5, o: { k: 3 } },
    { name: 's2op1', x: [1, 2, 5, 4], rank: 2, cout: 6, o: { k: 3, s: 2, p: 1, op: 1 } },
    { name: 'dil2', x: [1, 3, 5, 5], rank: 2, cout: 2, o: { k: 3, s: 2, d: 2, p: 2, op: 1 } },
    { name: 'groups', x: [1, 4, 4, 6], rank: 2, cout: 6, o: { k: 3, s: 2, g: 2, bias: false } },
    { name: 't1d', x: [1, 3, 9], rank: 1, cout: 4, o: { k: 5, s: 3, p: 1, op: 2 } },
    { name: 't3d', x: [1, 2, 3, 4, 3], rank: 3, cout: 3, o: { k: 2, s: 2 } },
    { name: 'dcgan', x: [1, 8, 1, 1], rank: 2, cout: 5, o: { k: 4, s: 1, p: 0, bias: false }, epilogue: { activation: 'relu' } },
    { name: 'tanh_res', x: [1, 3, 4, 4], rank: 2, cout: 3, o: { k: 4, s: 2, p: 1 }, epilogue: { activation: 'tanh', residual: true } },
  ];
  test('matches the interpreter', async () => {
    const next = rng(11);
    const inputs: Record<string, number[]> = {};
    const nodes: NodeSpec[] = [];
    for (const c of cases) {
      const attrs = convTransposeAttrs(c.rank, c.cout, c.o);
      const out = convTransposeOut(c.x, attrs);
      inputs[`${c.name}_x`] = c.x;
      const ins = [`${c.name}_x`];
      if (c.epilogue?.['residual']) {
        inputs[`${c.name}_r`] = out;
        ins.push(`${c.name}_r`);
      }
      const params: Record<string, number[]> = { weight: [c.x[1]!, c.cout / attrs.groups, ...attrs.kernel] };
      if (attrs.bias) params['bias'] = [c.cout];
      nodes.push({ op: 'conv_transpose', inputs: ins, output: c.name, shape: out, attrs: { ...attrs, ...(c.epilogue ? { epilogue: c.epilogue } : {}) }, params });
    }
    const graph = buildGraph(inputs, nodes, cases.map((c) => c.name));
    const weights = randomWeightsFor(graph, next);
    const xs = graph.inputs.map((io) => randomTensor(graph.values[io.value]!.shape, next));
    check((await compareWithInterp(graph, weights, xs)).errors);
  });
});
