/**
 * Test helpers: hand-built graphs, a Wasm run of a graph (build, instantiate, copy inputs in,
 * run, copy outputs out), and random tensors from a seeded generator.
 */
import type { Graph, Node, ParamRef, Value, WeightStore } from '../../src/ir/graph.ts';
import { numel, type Tensor } from '../../src/ir/tensor.ts';
import { runGraph } from '../../src/interp/run.ts';
import { syntheticSpan } from '../../src/diag/span.ts';
import { buildModule, type BuildOptions, type BuildResult } from '../../src/wasm/codegen.ts';
import { F16_SECTION, float16Value } from '../../src/wasm/f16.ts';

export { randomTensor, rng } from '../support/random.ts';
import { randomTensor } from '../support/random.ts';

export interface NodeSpec {
  op: string;
  /** Names of input values (graph inputs or earlier node outputs). */
  inputs: string[];
  output: string;
  shape: number[];
  attrs?: Record<string, unknown>;
  /** Weight shapes by role; named `<output>.<role>`. */
  params?: Record<string, number[]>;
}

/** A Graph<number> from graph inputs and nodes in order; the last node's output is the graph output unless `outputs` says otherwise. */
export function buildGraph(inputs: Record<string, number[]>, nodes: NodeSpec[], outputs?: string[]): Graph<number> {
  const values: Value<number>[] = [];
  const ids = new Map<string, number>();
  const span = syntheticSpan('test.net');
  const addValue = (name: string, shape: number[], producer?: number): number => {
    const id = values.length;
    values.push({ id, name, shape: [...shape], producer });
    ids.set(name, id);
    return id;
  };
  for (const [name, shape] of Object.entries(inputs)) addValue(name, shape);
  const graphNodes: Node<number>[] = nodes.map((n, i) => {
    const params: Record<string, ParamRef<number>> = {};
    for (const [role, shape] of Object.entries(n.params ?? {})) params[role] = { name: `${n.output}.${role}`, shape, trainable: true };
    const inIds = n.inputs.map((name) => {
      const id = ids.get(name);
      if (id === undefined) throw new Error(`unknown value ${name}`);
      return id;
    });
    const out = addValue(n.output, n.shape, i);
    // Specs give op and attrs as data; they match by construction.
    return { id: i, op: n.op, name: n.output, inputs: inIds, outputs: [out], attrs: n.attrs ?? {}, params, span, instances: [] } as Node<number>;
  });
  const outNames = outputs ?? [nodes[nodes.length - 1]!.output];
  return {
    name: 'test',
    values,
    nodes: graphNodes,
    inputs: Object.keys(inputs).map((name) => ({ name, value: ids.get(name)! })),
    outputs: outNames.map((name) => ({ name, value: ids.get(name)! })),
  };
}

/** Random weights for every parameter of the graph. */
export function randomWeightsFor(graph: Graph<number>, next: () => number): WeightStore {
  const store: WeightStore = new Map();
  for (const n of graph.nodes) {
    for (const [role, p] of Object.entries(n.params)) {
      // Variances must be positive.
      store.set(p.name, role === 'running_var' ? randomTensor(p.shape, next, 0.2, 2) : randomTensor(p.shape, next));
    }
  }
  return store;
}

export interface WasmRun {
  build: BuildResult;
  outputs: Map<string, Tensor>;
}

export async function runWasm(graph: Graph<number>, weights: WeightStore, inputs: Tensor[], options: BuildOptions = {}): Promise<WasmRun> {
  const build = await buildModule(graph, weights, options);
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(build.wasm), {});
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  if (build.layout.f16) {
    // float16 weights: what the generated loader does, from the weights file or the custom section.
    const bytes = build.weightsBin ?? new Uint8Array(WebAssembly.Module.customSections(new WebAssembly.Module(build.wasm), F16_SECTION)[0]!);
    const halves = new Uint16Array(bytes.slice().buffer);
    let at = 0;
    for (const [offset, count] of build.layout.f16.runs) {
      const dst = new Float32Array(memory.buffer, offset, count);
      for (let i = 0; i < count; i++) dst[i] = float16Value(halves[at++]!);
    }
  } else if (build.weightsBin) new Uint8Array(memory.buffer, build.layout.constantsOffset, build.weightsBin.length).set(build.weightsBin);
  build.layout.inputs.forEach((io, k) => new Float32Array(memory.buffer, io.offset, numel(io.shape)).set(inputs[k]!.data));
  (instance.exports['run'] as () => void)();
  const outputs = new Map<string, Tensor>();
  for (const io of build.layout.outputs) {
    outputs.set(io.name, { shape: io.shape, data: new Float32Array(memory.buffer, io.offset, numel(io.shape)).slice() });
  }
  return { build, outputs };
}

/** Run graph through Wasm and the interpreter; the relative L2 error of every output. */
export async function compareWithInterp(graph: Graph<number>, weights: WeightStore, inputs: Tensor[], options: BuildOptions = {}): Promise<{ errors: Map<string, number>; run: WasmRun; ref: Map<string, Tensor> }> {
  const ref = runGraph(graph, weights, inputs);
  const run = await runWasm(graph, weights, inputs, options);
  const errors = new Map<string, number>();
  for (const [name, t] of ref) errors.set(name, relL2(run.outputs.get(name)!.data, t.data));
  return { errors, run, ref };
}

/** Relative L2 error; NaN at the same positions in both counts as equal, elsewhere as failure. */
export function relL2(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Number.NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const r = ref[i]!;
    if (Number.isNaN(r) || Number.isNaN(x)) {
      if (Number.isNaN(r) !== Number.isNaN(x)) return Number.NaN;
      continue;
    }
    if (!Number.isFinite(r) || !Number.isFinite(x)) {
      if (x !== r) return Number.NaN;
      continue;
    }
    num += (x - r) * (x - r);
    den += r * r;
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.sqrt(num / den);
}
