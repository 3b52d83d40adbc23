/**
 * `netc summary`: per-layer output shapes, trainable parameter counts and multiply-
 * accumulates (as PyTorch counting tools count them, from the operator table), and the peak
 * memory of live activations when the nodes run in order.
 */
import type { Graph } from '../ir/graph.ts';
import { numel } from '../ir/tensor.ts';
import { nodeMacs } from '../ops/registry.ts';

export interface LayerSummary {
  name: string;
  op: string;
  shape: number[];
  /** Trainable weights of this layer (batch-norm running statistics excluded). */
  params: number;
  macs: number;
}

export interface GraphSummary {
  entry: string;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
  layers: LayerSummary[];
  totals: { params: number; macs: number; peakActivationBytes: number };
}

const BYTES_PER_ELEMENT = 4;

export function summarize(graph: Graph<number>): GraphSummary {
  const layers: LayerSummary[] = graph.nodes.map((n) => ({
    name: n.name,
    op: n.op,
    shape: [...graph.values[n.outputs[0]!]!.shape],
    params: Object.values(n.params).filter((p) => p.trainable).reduce((s, p) => s + numel(p.shape), 0),
    macs: nodeMacs(n, n.inputs.map((i) => graph.values[i]!.shape), graph.values[n.outputs[0]!]!.shape),
  }));
  return {
    entry: graph.name,
    inputs: graph.inputs.map((io) => ({ name: io.name, shape: [...graph.values[io.value]!.shape] })),
    outputs: graph.outputs.map((io) => ({ name: io.name, shape: [...graph.values[io.value]!.shape] })),
    layers,
    totals: {
      params: layers.reduce((s, l) => s + l.params, 0),
      macs: layers.reduce((s, l) => s + l.macs, 0),
      peakActivationBytes: peakActivationBytes(graph),
    },
  };
}

/**
 * Peak bytes of tensors alive at once when nodes run in order: a tensor lives from its
 * producer (graph inputs from the start) to its last consumer (graph outputs to the end);
 * while a node runs, its inputs and outputs are alive together.
 */
export function peakActivationBytes(graph: Graph<number>): number {
  const lastUse = new Map<number, number>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((v) => lastUse.set(v, i)));
  const end = graph.nodes.length;
  for (const io of graph.outputs) lastUse.set(io.value, end);
  const bytes = (v: number) => numel(graph.values[v]!.shape) * BYTES_PER_ELEMENT;
  let live = 0;
  for (const io of graph.inputs) live += bytes(io.value);
  let peak = live;
  graph.nodes.forEach((n, i) => {
    for (const o of n.outputs) live += bytes(o);
    peak = Math.max(peak, live);
    const freed = new Set<number>();
    for (const v of [...n.inputs, ...n.outputs]) {
      if ((lastUse.get(v) ?? -1) <= i && !freed.has(v)) {
        freed.add(v);
        live -= bytes(v);
      }
    }
  });
  return peak;
}
