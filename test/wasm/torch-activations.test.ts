/**
 * The activation cases of test/fixtures/ops-torch (PyTorch float64 results) through Wasm:
 * each case is one node of a single module, standalone (no conv to fuse into).
 */
import { expect, test } from 'vitest';
import type { WeightStore } from '../../src/ir/graph.ts';
import { activationCases, irActivation } from '../support/torch-ops.ts';
import { buildGraph, relL2, runWasm, type NodeSpec } from './harness.ts';

test('ops-torch activation cases through Wasm (relative L2 < 1e-5)', async () => {
  expect(activationCases.length).toBe(13);
  const inputs: Record<string, number[]> = {};
  const nodes: NodeSpec[] = [];
  const weights: WeightStore = new Map();
  for (const c of activationCases) {
    const { op, attrs } = irActivation(c);
    const id = c.name.replace(/\W/g, '_');
    inputs[`${id}_x`] = c.inputs[0]!.shape;
    const params: Record<string, number[]> = {};
    for (const [role, t] of Object.entries(c.params)) {
      params[role] = t.shape;
      weights.set(`${id}.${role}`, t);
    }
    nodes.push({ op, inputs: [`${id}_x`], output: id, shape: c.outputs['y']!.shape, attrs, params });
  }
  const graph = buildGraph(inputs, nodes, nodes.map((n) => n.output));
  const { outputs } = await runWasm(graph, weights, activationCases.map((c) => c.inputs[0]!));
  const errors: Record<string, number> = {};
  for (const c of activationCases) errors[c.name] = relL2(outputs.get(c.name.replace(/\W/g, '_'))!.data, c.outputs['y']!.data);
  if (process.env.SHOW_ERRORS) console.table(Object.entries(errors).map(([n, e]) => ({ n, e: e.toExponential(2) })));
  for (const [name, e] of Object.entries(errors)) expect.soft(e, name).toBeLessThan(1e-5);
});
