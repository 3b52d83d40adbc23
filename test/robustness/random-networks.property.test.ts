/**
 * Property tests on random valid networks built from every operator (net-generator.ts):
 *  - the checker's inferred shapes, after binding, equal PyTorch's formulas, and so do the
 *    shapes of the tensors the interpreter actually produces on random inputs;
 *  - the Wasm module built from the optimised graph computes what the interpreter computes
 *    on the graph as checked (relative L2 below 1e-5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/check.ts';
import { runGraph } from '../../src/interp/run.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph } from '../../src/ir/graph.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { randomInputs } from '../fuzz/run-graph.ts';
import { graphParams } from '../../src/ir/params.ts';
import { wasmOutputs } from '../fuzz/run-wasm.ts';
import { relativeError } from '../fuzz/targets.ts';
import { generateNet, netSpecArbitrary, OPERATORS, type GeneratedNet } from './net-generator.ts';

function build(net: GeneratedNet): Graph<number> {
  const checked = checkSource(net.source, 'gen.net', { bindings: net.bindings });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`generated network does not check:\n${net.source}\n${errors.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`).join('\n')}`);
  const concrete = concretize(checked.graphs[0]!, net.bindings);
  if (!concrete.graph) throw new Error(`generated network does not concretize:\n${net.source}\n${concrete.diagnostics.map((d) => d.message).join('\n')}`);
  return concrete.graph;
}

const show = (s: readonly number[]): string => `[${s.join(', ')}]`;

describe('random networks', () => {
  it('the generator reaches every operator', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(netSpecArbitrary(8), (spec) => {
      for (const op of generateNet(spec).used) seen.add(op);
    }), { numRuns: 400, seed: 11 });
    const expected = ['conv', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose', 'maxpool', 'avgpool', 'adaptive_avgpool', 'adaptive_maxpool',
      'global_avgpool', 'global_maxpool', 'batchnorm', 'relu', 'relu6', 'sigmoid', 'tanh', 'clip', 'leaky_relu', 'softmax', 'add', 'mul',
      'concat', 'flatten', 'linear', 'dropout', 'identity', 'upsample'];
    expect([...seen].sort()).toEqual(expect.arrayContaining(expected));
    expect(OPERATORS.length).toBeGreaterThan(20);
  });

  it('shape inference agrees with PyTorch formulas and with the interpreter', () => {
    fc.assert(fc.property(netSpecArbitrary(6), fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
      const net = generateNet(spec);
      const graph = build(net);
      // Named values: the checker's shapes against the formulas.
      for (const [name, want] of net.shapes) {
        const v = graph.values.find((x) => x.name === name) ?? (name === 'y' ? graph.values[graph.outputs[0]!.value] : undefined);
        expect(v, `value ${name} in\n${net.source}`).toBeDefined();
        expect(show(v!.shape), `shape of ${name} in\n${net.source}`).toBe(show(want));
      }
      // Every node: what the interpreter produced against what the checker inferred.
      const produced = new Map<number, number[]>();
      runGraph(graph, randomWeights(graphParams(graph), seed), randomInputs(graph, seed), {
        onNode: (node, out) => {
          expect(out.data.length, `${node.name} in\n${net.source}`).toBe(out.shape.reduce((a, b) => a * b, 1));
          produced.set(node.outputs[0]!, out.shape);
        },
      });
      for (const node of graph.nodes) {
        const v = graph.values[node.outputs[0]!]!;
        expect(show(produced.get(v.id)!), `${node.name} (${node.op}) in\n${net.source}`).toBe(show(v.shape));
      }
      const out = graph.values[graph.outputs[0]!.value]!;
      expect(show(produced.get(out.id) ?? out.shape)).toBe(show(net.shapes.get('y')!));
    }), { numRuns: 150, seed: 2024 });
  });

  it('the Wasm backend agrees with the interpreter (relative L2 < 1e-5)', async () => {
    await fc.assert(fc.asyncProperty(netSpecArbitrary(4), fc.integer({ min: 0, max: 1000 }), async (spec, seed) => {
      const net = generateNet(spec);
      const graph = build(net);
      const weights = randomWeights(graphParams(graph), seed);
      const inputs = randomInputs(graph, seed);
      const reference = runGraph(graph, weights, inputs);
      const opt = optimize(graph, weights);
      const got = await wasmOutputs(opt.graph, opt.weights, inputs);
      for (const [name, ref] of reference) {
        const err = relativeError(got.get(name)!, ref.data);
        expect(err, `output ${name} of\n${net.source}`).toBeLessThan(1e-5);
      }
    }), { numRuns: 40, seed: 7 });
  }, 120_000);
});
