/**
 * Memory planning: places every value of the graph in one arena, reusing bytes of values that
 * are no longer live.
 *
 * 1. Liveness: a value lives from the node that produces it (graph inputs: from the start) to
 *    its last reader (graph outputs: to the end).
 * 2. Values that share memory (views and in-place results, see aliases.ts) form one group with
 *    the union of their lifetimes and the union of their byte ranges.
 * 3. In-place elementwise ops: an activation, batch norm, or add/mul whose first operand dies at
 *    that node and has the output's size writes over that operand (marked `inPlace`).
 * 4. Groups are placed greedily, largest first, at the lowest 16-byte aligned offset that does
 *    not overlap a placed group whose lifetime overlaps theirs.
 */
import type { Graph, MemoryPlan, ValueId, WeightStore } from '../ir/graph.ts';
import { numel } from '../ir/tensor.ts';
import { aliasGroupsOf } from './aliases.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, isGraphOutput } from './rewrite.ts';

const ALIGN = 16;
const ELEMENTWISE = new Set(['relu', 'relu6', 'clip', 'leaky_relu', 'sigmoid', 'tanh', 'batchnorm', 'add', 'sub', 'mul', 'div']);

function bytesOf(graph: Graph, v: ValueId): number {
  return numel(graph.values[v]!.shape) * 4;
}

function lifetimes(graph: Graph): { start: number[]; end: number[] } {
  const n = graph.nodes.length;
  const start = new Array<number>(graph.values.length).fill(Infinity);
  const end = new Array<number>(graph.values.length).fill(-Infinity);
  for (const io of graph.inputs) start[io.value] = -1;
  graph.nodes.forEach((node, i) => {
    for (const v of node.outputs) start[v] = Math.min(start[v]!, i);
    for (const v of node.inputs) end[v] = Math.max(end[v]!, i);
  });
  for (const io of graph.outputs) end[io.value] = n;
  for (let v = 0; v < graph.values.length; v++) if (end[v] === -Infinity) end[v] = start[v]!;
  return { start, end };
}

/** Mark elementwise nodes that can overwrite their first operand. */
function markInPlace(graph: Graph): number {
  const { end } = lifetimes(graph);
  const groups = aliasGroupsOf(graph);
  let count = 0;
  graph.nodes.forEach((node, i) => {
    if (!ELEMENTWISE.has(node.op) || node.attrs.outputView || node.attrs.inPlace) return;
    const x = node.inputs[0]!;
    const out = node.outputs[0]!;
    if (bytesOf(graph, x) !== bytesOf(graph, out)) return;
    if (end[x] !== i || isGraphOutput(graph, x) || graph.inputs.some((io) => io.value === x)) return;
    // The other operand must not live in the same bytes (add(x, x), or views of one buffer).
    if (node.inputs.slice(1).some((o) => o === x || groups.find(o)[0] === groups.find(x)[0])) return;
    if (!groups.alias(out, x, 0)) return;
    node.attrs = { ...node.attrs, inPlace: true };
    count++;
  });
  return count;
}

export function planMemory(graph: Graph): MemoryPlan {
  const { start, end } = lifetimes(graph);
  const groups = aliasGroupsOf(graph);
  interface Group { lo: number; hi: number; from: number; to: number; members: [ValueId, number][]; base: number }
  const byRoot = new Map<ValueId, Group>();
  let unplannedBytes = 0;
  for (let v = 0; v < graph.values.length; v++) {
    if (start[v] === Infinity) continue; // not computed by this graph
    const bytes = bytesOf(graph, v);
    const [root, off] = groups.find(v);
    let g = byRoot.get(root);
    if (!g) {
      g = { lo: Infinity, hi: -Infinity, from: Infinity, to: -Infinity, members: [], base: 0 };
      byRoot.set(root, g);
    }
    g.lo = Math.min(g.lo, off);
    g.hi = Math.max(g.hi, off + bytes);
    g.from = Math.min(g.from, start[v]!);
    g.to = Math.max(g.to, end[v]!);
    g.members.push([v, off]);
    unplannedBytes += bytes;
  }
  const list = [...byRoot.values()].sort((a, b) => b.hi - b.lo - (a.hi - a.lo) || a.from - b.from);
  const placed: Group[] = [];
  let arenaBytes = 0;
  for (const g of list) {
    const size = g.hi - g.lo;
    const conflicts = placed
      .filter((p) => p.from <= g.to && g.from <= p.to)
      .map((p) => [p.base, p.base + (p.hi - p.lo)] as const)
      .sort((a, b) => a[0] - b[0]);
    let offset = 0;
    for (const [lo, hi] of conflicts) {
      if (offset + size <= lo) break;
      offset = Math.max(offset, Math.ceil(hi / ALIGN) * ALIGN);
    }
    g.base = offset;
    placed.push(g);
    arenaBytes = Math.max(arenaBytes, offset + size);
  }
  const slots = new Map<ValueId, { offset: number; bytes: number }>();
  for (const g of placed) for (const [v, off] of g.members) slots.set(v, { offset: g.base + off - g.lo, bytes: bytesOf(graph, v) });
  return { arenaBytes: Math.ceil(arenaBytes / ALIGN) * ALIGN, unplannedBytes, slots };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 1)} MB`;
}

export const planMemoryPass: Pass = {
  name: 'plan-memory',
  doc: 'place every intermediate tensor in one arena by liveness, with reuse and in-place ops',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    const graph = cloneGraph(input, { keepLayout: true });
    const inPlace = markInPlace(graph);
    graph.memory = planMemory(graph);
    if (inPlace) log.add('plan-memory', `${inPlace} elementwise op${inPlace === 1 ? '' : 's'} run in place`);
    log.add('plan-memory', `arena ${mb(graph.memory.arenaBytes)} instead of ${mb(graph.memory.unplannedBytes)}`);
    return { graph, weights };
  },
};
