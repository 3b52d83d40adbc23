/**
 * Horizontal 1x1 fusion (CombineParallelConv2D in TVM's terms): parallel 1x1 convolutions that
 * read the same tensor with the same stride, no padding, groups = 1 and the same epilogue
 * activation become one convolution whose output channels are theirs concatenated; each
 * original output becomes a `slice` of it (a view, no copy, after memory planning).
 *
 * GoogLeNet's Inception: the three 1x1 convs on the block input (64 + 96 + 16 channels)
 * become one 192 -> 176 matrix product.
 *
 * Exact: each output channel is computed by the same dot product as before.
 *
 * Segment order: a branch whose output is the first operand of a concat is placed last, so
 * that the concat-in-place pass can lay the fused output right before the concat's buffer and
 * that branch's slice on the concat's first channels (no copy for it either).
 */
import type { Graph, Node, NodeOf, ParamRef, WeightStore } from '../ir/graph.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { addValue, cloneGraph, compact, isUnpaddedPointwiseConv, soleUser, sourceRange, topoSort, usersOf } from './rewrite.ts';

function fusableKey(n: NodeOf<'conv'>): string | undefined {
  const a = n.attrs;
  if (a.epilogue?.residual) return undefined;
  return JSON.stringify({ x: n.inputs[0], stride: a.stride, rank: a.rank, epi: a.epilogue ?? null });
}

/** `inception3a.p1_1`, `inception3a.p2_1` -> `inception3a.{p1_1,p2_1}` */
export function fusedName(names: string[]): string {
  const parts = names.map((n) => n.split('.'));
  const prefix: string[] = [];
  for (let i = 0; ; i++) {
    const seg = parts[0]![i];
    if (seg === undefined || parts.some((p) => p[i] !== seg || p.length === i + 1)) break;
    prefix.push(seg);
  }
  const rest = parts.map((p) => p.slice(prefix.length).join('.'));
  return [...prefix, `{${rest.join(',')}}`].join('.');
}

export const fuse1x1Horizontal: Pass = {
  name: 'fuse-1x1-horizontal',
  doc: 'combine parallel 1x1 convs reading the same tensor into one conv with concatenated outputs',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    const graph = cloneGraph(input);
    const next: WeightStore = new Map(weights);
    const users = usersOf(graph);
    const groups = new Map<string, NodeOf<'conv'>[]>();
    for (const n of graph.nodes) {
      if (!isUnpaddedPointwiseConv(n)) continue;
      const key = fusableKey(n);
      if (key === undefined) continue;
      const list = groups.get(key);
      if (list) list.push(n);
      else groups.set(key, [n]);
    }
    const removed = new Set<number>();
    const added: Node[] = [];
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const firstOfConcat = (n: NodeOf<'conv'>): boolean => {
        const u = soleUser(graph, users, n.outputs[0]!);
        return u !== undefined && u.op === 'concat' && u.inputs[0] === n.outputs[0];
      };
      const lastIdx = members.findIndex(firstOfConcat);
      const ordered = lastIdx >= 0 ? [...members.filter((_, i) => i !== lastIdx), members[lastIdx]!] : members;
      const first = ordered[0]!;
      const attrs0 = first.attrs;
      const couts = ordered.map((n) => n.attrs.outChannels);
      const total = couts.reduce((a, b) => a + b, 0);
      const w0 = next.get(first.params.weight!.name)!;
      const cin = w0.shape[1]!;
      const wData = new Float32Array(total * cin);
      const bData = new Float32Array(total);
      const anyBias = ordered.some((n) => n.params.bias);
      let off = 0;
      for (const n of ordered) {
        const w = next.get(n.params.weight!.name)!;
        wData.set(w.data, off * cin);
        const c = n.attrs.outChannels;
        if (n.params.bias) bData.set(next.get(n.params.bias.name)!.data, off);
        off += c;
      }
      const name = fusedName(ordered.map((n) => n.name));
      const kernelOnes = attrs0.kernel.map(() => 1);
      const weight: ParamRef = { name: `${name}.weight`, shape: [total, cin, ...kernelOnes], trainable: true };
      next.set(weight.name, { shape: weight.shape, data: wData });
      const params: Record<string, ParamRef> = { weight };
      if (anyBias) {
        params.bias = { name: `${name}.bias`, shape: [total], trainable: true };
        next.set(params.bias.name, { shape: [total], data: bData });
      }
      const outShape = [...graph.values[first.outputs[0]!]!.shape];
      outShape[1] = total;
      const fusedOut = addValue(graph, name, outShape, first.span);
      const fused: Node = {
        ...first,
        id: graph.nodes.length + added.length,
        name,
        inputs: [first.inputs[0]!],
        outputs: [fusedOut],
        attrs: { ...first.attrs, outChannels: total, bias: anyBias, fusedFrom: ordered.map((n) => n.name) },
        params,
      };
      graph.values[fusedOut]!.producer = fused.id;
      added.push(fused);
      off = 0;
      for (const n of ordered) {
        const c = n.attrs.outChannels;
        const slice: Node = {
          ...n,
          id: graph.nodes.length + added.length,
          op: 'slice',
          name: `${n.name}.slice`,
          inputs: [fusedOut],
          outputs: [n.outputs[0]!],
          attrs: { axis: 1, start: off, length: c },
          params: {},
        };
        graph.values[n.outputs[0]!]!.producer = slice.id;
        added.push(slice);
        removed.add(n.id);
        off += c;
      }
      for (const n of ordered) {
        for (const p of Object.values(n.params)) next.delete(p.name);
      }
      log.add(
        'fuse-1x1-horizontal',
        `fused ${ordered.map((n) => n.name).join(', ')} (${sourceRange(ordered)}) into one 1x1 conv ${cin}->${total}`,
      );
    }
    if (added.length === 0) return { graph: input, weights };
    // New nodes go where the first member was: insert, then restore a valid order.
    const kept = graph.nodes.filter((n) => !removed.has(n.id));
    const g: Graph = { ...graph, nodes: [...kept, ...added] };
    return { graph: topoSort(compactNodeIds(g)), weights: next };
  },
};

/** Node ids must equal their index before topoSort re-derives producers. */
function compactNodeIds(g: Graph): Graph {
  const idMap = new Map<number, number>();
  const nodes = g.nodes.map((n, i) => {
    idMap.set(n.id, i);
    return { ...n, id: i };
  });
  for (const v of g.values) if (v.producer !== undefined) v.producer = idMap.get(v.producer);
  return compact({ ...g, nodes });
}
