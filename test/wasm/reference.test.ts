/**
 * The PyTorch reference op cases (test/fixtures/reference: float64 results of PyTorch)
 * through Wasm: every case with data becomes one branch of a single module, its inputs and
 * weights read from ops.safetensors, its attributes mapped from PyTorch's keyword arguments.
 */
import { expect, test } from 'vitest';
import type { WeightStore } from '../../src/ir/graph.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import { caseParams, irOp, opCases, referenceTensors } from '../support/reference-ops.ts';
import { buildGraph, relL2, runWasm, type NodeSpec } from './harness.ts';

// Winograd by the cost model (the default), and on every 3x3 conv it can take.
test.each(['auto', 'always'] as const)('PyTorch reference op cases through Wasm (relative L2 < 1e-5), Winograd %s', async (winograd) => {
  expect(opCases.length).toBeGreaterThan(20);
  const inputs: Record<string, number[]> = {};
  const nodes: NodeSpec[] = [];
  const weights: WeightStore = new Map();
  const xs: Tensor[] = [];
  for (const [name, c] of opCases) {
    const { op, attrs } = irOp(c);
    const id = name.replace(/\W/g, '_');
    inputs[`${id}_x`] = c.x;
    xs.push(referenceTensors.get(`${name}.x`)!);
    const params: Record<string, number[]> = {};
    for (const [role, tensor] of Object.entries(caseParams(name, c))) {
      params[role] = tensor.shape;
      weights.set(`${id}.${role}`, tensor);
    }
    nodes.push({ op, inputs: [`${id}_x`], output: id, shape: c.y, attrs, params });
  }
  const graph = buildGraph(inputs, nodes, nodes.map((n) => n.output));
  const { outputs, build } = await runWasm(graph, weights, xs, { winograd });
  if (winograd === 'always') expect(build.kernelNotes.some((k) => k.message.startsWith('Winograd'))).toBe(true);
  const errors: Record<string, number> = {};
  for (const [name] of opCases) {
    const id = name.replace(/\W/g, '_');
    errors[name] = relL2(outputs.get(id)!.data, referenceTensors.get(`${name}.y`)!.data);
  }
  if (process.env.SHOW_ERRORS) console.log(winograd, 'worst', Math.max(...Object.values(errors)).toExponential(2));
  if (process.env.SHOW_ERRORS) console.table(Object.entries(errors).map(([n, e]) => ({ n, e: e.toExponential(2) })));
  for (const [name, e] of Object.entries(errors)) expect.soft(e, name).toBeLessThan(1e-5);
});
