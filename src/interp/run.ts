/**
 * The reference interpreter: run a concrete graph node by node with the operator table's
 * kernels. It is the ground truth the passes and the Wasm backend are checked against, so it
 * favours plain semantics over speed: each node's output is a fresh float32 tensor, and a
 * value is dropped after its last use so peak memory stays near the widest cut of the graph.
 *
 * A node carrying an epilogue (ir/annotations.ts, set by passes/fuse-epilogue.ts) is run as
 * the unfused sequence it replaced: the layer, then `+ residual` (its last input), then the
 * activation's formula from the operator table, each rounded to float32, so a fused graph
 * matches its unfused original exactly.
 */
import type { Graph, Node, WeightStore } from '../ir/graph.ts';
import { numel, shapeToString, type Tensor } from '../ir/tensor.ts';
import { scalarFunction } from '../ops/activation/formula.ts';
import { epilogueFormula } from '../ops/activations.ts';
import { isOpName, opByName } from '../ops/registry.ts';
import type { OpDef } from '../ops/types.ts';
import { TensorFileError } from '../io/errors.ts';

export interface RunOptions {
  /** Called with every node's output as it is computed (e.g. to compare intermediates). */
  onNode?: (node: Node<number>, output: Tensor) => void;
  /** Kernel lookup; the operator table by default. */
  kernelFor?: (op: string) => OpDef['interp'] | undefined;
}

function tableKernel(op: string): OpDef['interp'] | undefined {
  return isOpName(op) ? opByName(op).interp : undefined;
}

/**
 * Run `graph` on `inputs` (by graph input name, or in the order of `graph.inputs`) and return
 * its outputs by name. Inputs of the wrong number or shape, and weights absent from the
 * store, are reported as TensorFileError (NET3004, NET3005, NET3001).
 */
export function runGraph(
  graph: Graph<number>,
  weights: WeightStore,
  inputs: Map<string, Tensor> | Tensor[],
  options: RunOptions = {},
): Map<string, Tensor> {
  const kernelFor = options.kernelFor ?? tableKernel;
  const values = new Array<Tensor | undefined>(graph.values.length);
  bindInputs(graph, inputs, values);

  // The last node reading each value; graph outputs are kept to the end.
  const lastUse = new Array<number>(graph.values.length).fill(-1);
  graph.nodes.forEach((node, i) => node.inputs.forEach((v) => (lastUse[v] = i)));
  for (const o of graph.outputs) lastUse[o.value] = Infinity;

  graph.nodes.forEach((node, i) => {
    const kernel = kernelFor(node.op);
    if (!kernel) throw new Error(`the interpreter has no kernel for operator ${node.op} (node ${node.name})`);
    if (node.outputs.length !== 1) throw new Error(`node ${node.name}: the interpreter runs single-output operators only`);
    const args = node.inputs.map((v) => {
      const t = values[v];
      if (!t) throw new Error(`node ${node.name}: input ${graph.values[v]?.name ?? v} is not computed before use`);
      return t;
    });
    const params: Record<string, Tensor> = {};
    for (const [role, ref] of Object.entries(node.params)) {
      const w = weights.get(ref.name);
      if (!w) throw new TensorFileError('NET3001', { name: ref.name, shape: shapeToString(ref.shape), file: 'the weight store' });
      params[role] = w;
    }
    const outValue = graph.values[node.outputs[0]!]!;
    const out = runNode(node, kernel, args, params, outValue.shape);
    if (out.data.length !== numel(outValue.shape)) {
      throw new Error(`node ${node.name} (${node.op}): kernel produced ${out.data.length} elements for ${shapeToString(outValue.shape)}`);
    }
    values[outValue.id] = out;
    options.onNode?.(node, out);
    for (const v of node.inputs) if (lastUse[v] === i) values[v] = undefined;
  });

  const result = new Map<string, Tensor>();
  for (const o of graph.outputs) {
    const t = values[o.value];
    if (!t) throw new Error(`output ${o.name} is never computed`);
    result.set(o.name, t);
  }
  return result;
}

function runNode(node: Node<number>, kernel: OpDef['interp'], args: Tensor[], params: Record<string, Tensor>, outShape: number[]): Tensor {
  const epilogue = node.attrs.epilogue;
  if (!epilogue || !opByName(node.op).epilogueHost) return kernel(args, params, node.attrs, outShape);
  const layerInputs = epilogue.residual ? args.slice(0, -1) : args;
  const out = kernel(layerInputs, params, node.attrs, outShape);
  const d = out.data;
  if (epilogue.residual) {
    const r = args[args.length - 1]!.data;
    if (r.length !== d.length) throw new Error(`node ${node.name}: residual has ${r.length} elements, the output ${d.length}`);
    for (let i = 0; i < d.length; i++) d[i] = d[i]! + r[i]!;
  }
  const formula = epilogueFormula(epilogue);
  if (formula) {
    const activate = scalarFunction(formula);
    for (let i = 0; i < d.length; i++) d[i] = activate(d[i]!);
  }
  return out;
}

function bindInputs(graph: Graph<number>, inputs: Map<string, Tensor> | Tensor[], values: (Tensor | undefined)[]): void {
  const given = Array.isArray(inputs) ? inputs.length : inputs.size;
  if (given !== graph.inputs.length) {
    throw new TensorFileError('NET3005', {
      network: graph.name,
      expected: graph.inputs.length,
      names: graph.inputs.map((i) => i.name).join(', ') || 'none',
      got: given,
    });
  }
  graph.inputs.forEach((io, k) => {
    const t = Array.isArray(inputs) ? inputs[k] : inputs.get(io.name);
    const want = graph.values[io.value]!.shape;
    if (!t) {
      throw new TensorFileError('NET3005', { network: graph.name, expected: graph.inputs.length, names: graph.inputs.map((i) => i.name).join(', '), got: `no ${io.name}` });
    }
    if (t.shape.length !== want.length || t.shape.some((d, a) => d !== want[a]) || t.data.length !== numel(want)) {
      throw new TensorFileError('NET3004', { name: io.name, got: shapeToString(t.shape), expected: shapeToString(want), source: 'the inputs given' });
    }
    values[io.value] = t;
  });
}
