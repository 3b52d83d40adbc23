import type { Graph } from '../../src/ir/graph.ts';

/**
 * Two values whose lifetimes overlap may share bytes only if one is a view of the other
 * (same group and their ranges nest) — checked here by the weaker but sufficient condition
 * that overlapping live values are related through the alias annotations.
 */
export function assertNoLiveOverlap(graph: Graph): void {
  const plan = graph.memory!;
  const start = new Map<number, number>();
  const end = new Map<number, number>();
  graph.inputs.forEach((io) => start.set(io.value, -1));
  graph.nodes.forEach((n, i) => {
    n.outputs.forEach((v) => start.set(v, i));
    n.inputs.forEach((v) => end.set(v, Math.max(end.get(v) ?? -1, i)));
  });
  graph.outputs.forEach((io) => end.set(io.value, graph.nodes.length));
  const related = relatedPairs(graph);
  const vs = [...plan.slots.keys()];
  for (const a of vs) {
    for (const b of vs) {
      if (a >= b) continue;
      const sa = plan.slots.get(a)!;
      const sb = plan.slots.get(b)!;
      const overlapBytes = sa.offset < sb.offset + sb.bytes && sb.offset < sa.offset + sa.bytes;
      const la = [start.get(a)!, end.get(a) ?? start.get(a)!];
      const lb = [start.get(b)!, end.get(b) ?? start.get(b)!];
      const overlapTime = la[0]! <= lb[1]! && lb[0]! <= la[1]!;
      if (overlapBytes && overlapTime && !related.has(`${a},${b}`)) {
        throw new Error(`values ${graph.values[a]!.name} and ${graph.values[b]!.name} overlap while both live`);
      }
    }
  }
}

function relatedPairs(graph: Graph): Set<string> {
  // Values connected by view / in-place annotations, transitively.
  const parent = graph.values.map((v) => v.id);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const join = (a: number, b: number) => (parent[find(a)] = find(b));
  for (const n of graph.nodes) {
    if (n.op === 'slice' && n.attrs.view) join(n.outputs[0]!, n.inputs[0]!);
    const view = n.attrs.outputView as { value: number } | undefined;
    if (view) join(n.outputs[0]!, view.value);
    if (n.attrs.inPlace) join(n.outputs[0]!, n.inputs[0]!);
  }
  const out = new Set<string>();
  for (const a of graph.values) for (const b of graph.values) if (a.id < b.id && find(a.id) === find(b.id)) out.add(`${a.id},${b.id}`);
  return out;
}
