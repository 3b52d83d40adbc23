/**
 * Small tools for rewriting graphs: who uses a value, replacing uses, and rebuilding a graph
 * with dead nodes dropped and ids renumbered so that ids stay dense indices.
 */
import { LAYOUT_ANNOTATIONS } from '../ir/annotations.ts';
import type { Graph, Node, NodeId, NodeOf, Value, ValueId } from '../ir/graph.ts';
import type { Span } from '../diag/span.ts';

/** For each value, the nodes that read it (in node order; a node reading twice appears twice). */
export function usersOf(graph: Graph): Map<ValueId, Node[]> {
  const users = new Map<ValueId, Node[]>();
  for (const n of graph.nodes) {
    for (const v of n.inputs) {
      const list = users.get(v);
      if (list) list.push(n);
      else users.set(v, [n]);
    }
  }
  return users;
}

export function isGraphOutput(graph: Graph, v: ValueId): boolean {
  return graph.outputs.some((o) => o.value === v);
}

/** The only node reading `v`, when exactly one node reads it once and it is not a graph output. */
export function soleUser(graph: Graph, users: Map<ValueId, Node[]>, v: ValueId): Node | undefined {
  const list = users.get(v);
  if (!list || list.length !== 1 || isGraphOutput(graph, v)) return undefined;
  return list[0];
}

/**
 * A deep copy of a graph, so passes never mutate their input. Layout decisions (views,
 * in-place marks, the memory plan) hold only for the graph they were made on, so a copy made
 * for a structural rewrite drops them; the layout passes, which run last, pass `keepLayout`.
 */
export function cloneGraph(graph: Graph, options: { keepLayout?: boolean } = {}): Graph {
  const copy = cloneGraphExact(graph);
  if (!options.keepLayout) {
    for (const n of copy.nodes) for (const k of LAYOUT_ANNOTATIONS) delete n.attrs[k];
  } else if (graph.memory) {
    copy.memory = graph.memory;
  }
  return copy;
}

function cloneGraphExact(graph: Graph): Graph {
  return {
    name: graph.name,
    values: graph.values.map((v) => ({ ...v, shape: [...v.shape] })),
    nodes: graph.nodes.map(cloneNode),
    inputs: graph.inputs.map((io) => ({ ...io })),
    outputs: graph.outputs.map((io) => ({ ...io })),
  };
}

function cloneNode<N extends Node>(n: N): N {
  return {
    ...n,
    inputs: [...n.inputs],
    outputs: [...n.outputs],
    attrs: cloneAttrs(n.attrs),
    params: { ...n.params },
    instances: [...n.instances],
  };
}

/** Attributes are plain data (numbers, strings, arrays, records): a JSON round trip copies them. */
function cloneAttrs<A>(a: A): A {
  return JSON.parse(JSON.stringify(a)) as A;
}

/** Replace every read of `from` by `to` (graph outputs included). */
export function replaceUses(graph: Graph, from: ValueId, to: ValueId): void {
  for (const n of graph.nodes) n.inputs = n.inputs.map((v) => (v === from ? to : v));
  for (const o of graph.outputs) if (o.value === from) o.value = to;
}

/**
 * Rebuild the graph keeping only `keep` nodes (in their order) and the values they and the
 * graph's inputs/outputs touch; ids are renumbered densely.
 */
export function compact(graph: Graph, keep: (n: Node) => boolean = () => true): Graph {
  const nodes = graph.nodes.filter(keep);
  const usedValues = new Set<ValueId>();
  for (const io of graph.inputs) usedValues.add(io.value);
  for (const io of graph.outputs) usedValues.add(io.value);
  for (const n of nodes) for (const v of [...n.inputs, ...n.outputs]) usedValues.add(v);
  const valueMap = new Map<ValueId, ValueId>();
  const values: Value[] = [];
  for (const v of graph.values) {
    if (!usedValues.has(v.id)) continue;
    valueMap.set(v.id, values.length);
    values.push({ ...v, id: values.length });
  }
  const nodeMap = new Map<NodeId, NodeId>();
  const newNodes: Node[] = nodes.map((n, i) => {
    nodeMap.set(n.id, i);
    return { ...n, id: i, inputs: n.inputs.map((v) => valueMap.get(v)!), outputs: n.outputs.map((v) => valueMap.get(v)!) };
  });
  for (const v of values) v.producer = v.producer === undefined ? undefined : nodeMap.get(v.producer);
  for (const n of newNodes) {
    const view = n.attrs.outputView;
    if (view) n.attrs.outputView = { ...view, value: valueMap.get(view.value)! };
  }
  return {
    name: graph.name,
    values,
    nodes: newNodes,
    inputs: graph.inputs.map((io) => ({ ...io, value: valueMap.get(io.value)! })),
    outputs: graph.outputs.map((io) => ({ ...io, value: valueMap.get(io.value)! })),
  };
}

/** Add a value, returning its id. */
export function addValue(graph: Graph, name: string, shape: number[], span?: Span): ValueId {
  const id = graph.values.length;
  graph.values.push({ id, name, shape: [...shape], span });
  return id;
}

/** Re-sort nodes so that every node comes after the producers of its inputs (stable otherwise). */
export function topoSort(graph: Graph): Graph {
  const produced = new Set<ValueId>(graph.inputs.map((i) => i.value));
  const remaining = [...graph.nodes];
  const order: Node[] = [];
  while (remaining.length) {
    const idx = remaining.findIndex((n) => n.inputs.every((v) => produced.has(v)));
    if (idx < 0) throw new Error('topoSort: the graph has a cycle');
    const [n] = remaining.splice(idx, 1);
    order.push(n!);
    for (const v of n!.outputs) produced.add(v);
  }
  const g = { ...graph, nodes: order };
  return compactProducers(compact(g));
}

/** Recompute `producer` of every value from the nodes. */
export function compactProducers(graph: Graph): Graph {
  for (const v of graph.values) v.producer = undefined;
  for (const n of graph.nodes) for (const o of n.outputs) graph.values[o]!.producer = n.id;
  return graph;
}

/**
 * Where a node stands in the user's own source: its call, or, when that call is inside the
 * standard library, the nearest block instance outside it. For explain messages.
 */
export function userSpan(node: Node): Span {
  if (!isLibrary(node.span.file)) return node.span;
  for (const frame of node.instances) if (!isLibrary(frame.span.file)) return frame.span;
  return node.span;
}

function isLibrary(file: string): boolean {
  return file.startsWith('std/') || file.startsWith('std\\');
}

/** `file:line` or `file:line-line` covering some nodes in the user's source. */
export function sourceRange(nodes: Node[]): string {
  if (nodes.length === 0) return '';
  const spans = nodes.map(userSpan);
  const file = spans[0]!.file.split(/[\\/]/).pop();
  const lines = spans.map((s) => s.start.line);
  const lo = Math.min(...lines);
  const hi = Math.max(...lines);
  return `${file}:${lo === hi ? lo : `${lo}-${hi}`}`;
}

/**
 * A 1x1 convolution with groups = 1, no padding and weights: a plain matrix product over
 * channels at every position (stride aside), which is what the 1x1 fusions and the batch-norm
 * folding into a following conv need.
 */
export function isUnpaddedPointwiseConv(n: Node): n is NodeOf<'conv'> {
  if (n.op !== 'conv' || !n.params.weight) return false;
  const a = n.attrs;
  return a.groups === 1 && a.kernel.every((k) => k === 1) && a.padBegin.every((p) => p === 0) && a.padEnd.every((p) => p === 0);
}
