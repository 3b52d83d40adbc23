/**
 * Clean-up: removes what computes nothing at inference.
 *
 * - pass-through nodes, as the operator table's `passThrough` says: `identity` and `dropout`
 *   (dropout is the identity at inference), a `concat` of a single operand, a `flatten` that
 *   does not change the shape. Their readers read the input instead. Exact.
 * - dead nodes: nodes none of whose outputs reach a graph output. Exact.
 *
 * Weight-only subgraphs do not arise in the IR the checker builds (weights are parameters of
 * the node that owns them), so there is nothing here to constant-fold.
 */
import type { Graph, Node, WeightStore } from '../ir/graph.ts';
import { opByName } from '../ops/registry.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, compact, isGraphOutput, replaceUses } from './rewrite.ts';

function isPassThrough(graph: Graph, n: Node): boolean {
  const passThrough = opByName(n.op).passThrough;
  if (!passThrough) return false;
  return passThrough(n.attrs, n.inputs.map((v) => graph.values[v]!.shape), graph.values[n.outputs[0]!]!.shape);
}

export function removeIdentities(input: Graph, log: ExplainLog): Graph {
  const graph = cloneGraph(input);
  const removed = new Set<number>();
  const kinds = new Map<string, number>();
  for (const n of graph.nodes) {
    if (!isPassThrough(graph, n)) continue;
    const out = n.outputs[0]!;
    const src = n.inputs[0]!;
    // A graph output that is also a graph input cannot be bypassed: keep the node.
    if (isGraphOutput(graph, out) && graph.inputs.some((i) => i.value === src)) continue;
    if (isGraphOutput(graph, out)) {
      // Keep the output's name: the bypassed value takes it over.
      for (const o of graph.outputs) if (o.value === out) o.value = src;
    }
    replaceUses(graph, out, src);
    removed.add(n.id);
    kinds.set(n.op, (kinds.get(n.op) ?? 0) + 1);
  }
  for (const [op, count] of kinds) log.add('cleanup', `removed ${count} ${op} node${count === 1 ? '' : 's'} (no effect at inference)`);
  return compact(graph, (n) => !removed.has(n.id));
}

export function removeDeadNodes(input: Graph, log: ExplainLog): Graph {
  const live = new Set<number>(input.outputs.map((o) => o.value));
  const keep = new Set<number>();
  for (let i = input.nodes.length - 1; i >= 0; i--) {
    const n = input.nodes[i]!;
    if (n.outputs.some((v) => live.has(v))) {
      keep.add(n.id);
      for (const v of n.inputs) live.add(v);
    }
  }
  const dead = input.nodes.filter((n) => !keep.has(n.id));
  if (dead.length) log.add('cleanup', `removed ${dead.length} dead node${dead.length === 1 ? '' : 's'} (${dead.map((n) => n.name).join(', ')})`);
  return compact(input, (n) => keep.has(n.id));
}

export const cleanup: Pass = {
  name: 'cleanup',
  doc: 'remove identities, dropout, single-operand concats, no-op flattens and dead nodes',
  run(graph: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    return { graph: removeDeadNodes(removeIdentities(graph, log), log), weights };
  },
};
