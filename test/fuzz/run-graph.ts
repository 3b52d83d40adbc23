/**
 * Running a concrete graph the way `netc run` does: deterministic random weights and inputs,
 * the interpreter on the graph as checked, then the optimisation passes and the interpreter
 * again, whose outputs must agree (the passes promise to keep outputs).
 */
import type { GraphSummary } from '../../src/check/summary.ts';
import { runGraph } from '../../src/interp/run.ts';
import { detTensor } from '../../src/io/detTensor.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import type { Graph, WeightStore } from '../../src/ir/graph.ts';
import { numel, type Tensor } from '../../src/ir/tensor.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { relativeError } from './targets.ts';
import { graphParams } from '../../src/ir/params.ts';

/** Size caps: a fuzz input runs in milliseconds, whatever shapes it asks for. */
const CAPS = {
  interpret: { macs: 2_000_000, elements: 400_000, nodes: 400 },
  build: { macs: 500_000, elements: 100_000, nodes: 60 },
} as const;

export function smallEnough(graph: Graph<number>, summary: GraphSummary, what: keyof typeof CAPS): boolean {
  const cap = CAPS[what];
  const elements = graph.values.reduce((s, v) => s + numel(v.shape), 0)
    + graph.nodes.reduce((s, n) => s + Object.values(n.params).reduce((t, p) => t + numel(p.shape), 0), 0);
  return summary.totals.macs <= cap.macs && elements <= cap.elements && graph.nodes.length <= cap.nodes;
}

export interface InterpreterRun {
  inputs: Tensor[];
  weights: WeightStore;
  /** Outputs of the graph as checked. */
  reference: Map<string, Tensor>;
  optimized: Graph<number>;
  optimizedWeights: WeightStore;
  /** Outputs where the optimised graph disagrees with the original. */
  mismatches: string[];
}

export function randomInputs(graph: Graph<number>, seed: number): Tensor[] {
  return graph.inputs.map((io) => detTensor(`input/${seed}/${io.name}`, graph.values[io.value]!.shape, -1, 1));
}

export function interpreterOutputs(graph: Graph<number>, seed: number): InterpreterRun & { weights: WeightStore } {
  const weights = randomWeights(graphParams(graph), seed);
  const inputs = randomInputs(graph, seed);
  const reference = runGraph(graph, weights, inputs);
  const opt = optimize(graph, weights);
  const after = runGraph(opt.graph, opt.weights, inputs);
  const mismatches: string[] = [];
  for (const [name, t] of reference) {
    const got = after.get(name);
    const err = got ? relativeError(got.data, t.data) : Number.NaN;
    if (!(err < 1e-4)) mismatches.push(`optimised output ${name} differs from the original: relative L2 ${err}`);
  }
  return { inputs, weights, reference, optimized: opt.graph, optimizedWeights: opt.weights, mismatches };
}
