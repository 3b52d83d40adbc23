/** Figures of a checked graph the bench rows need: its distinct weights and its multiply-adds. */
import type { Graph, ParamRef } from '../src/ir/graph.ts';
import { numel } from '../src/ir/tensor.ts';

/** Every weight of the graph once (nodes may share one). */
export function paramsOf(graph: Graph<number>): ParamRef<number>[] {
  const seen = new Map<string, ParamRef<number>>();
  for (const n of graph.nodes) for (const p of Object.values(n.params)) seen.set(p.name, p);
  return [...seen.values()];
}

/** Multiply-adds of the convolutions, transposed convolutions and linear layers. */
export function macsOf(graph: Graph<number>): number {
  let macs = 0;
  for (const n of graph.nodes) {
    const w = n.params['weight'];
    if (!w) continue;
    const out = graph.values[n.outputs[0]!]!.shape;
    const input = graph.values[n.inputs[0]!]!.shape;
    if (n.op === 'conv') macs += numel(out) * numel(w.shape.slice(1));
    else if (n.op === 'conv_transpose') macs += numel(input) * numel(w.shape.slice(1));
    else if (n.op === 'linear') macs += numel(out) * w.shape[1]!;
  }
  return macs;
}
