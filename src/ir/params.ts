/** The weights a graph expects: every parameter once, in the order nodes first name them. */
import type { Graph, ParamRef } from './graph.ts';

export function graphParams<D>(graph: Graph<D>): ParamRef<D>[] {
  // Two nodes may name one parameter; a weight file has it once.
  const seen = new Map<string, ParamRef<D>>();
  for (const n of graph.nodes) for (const p of Object.values(n.params)) seen.set(p.name, p);
  return [...seen.values()];
}
