/**
 * Which values share memory with which, at what byte offset: the one place that reads the
 * view annotations passes leave in node attributes.
 *
 * - a channel view (the table's `view.kind === 'channels'`: slice) with `attrs.view`: its
 *   output is its input's bytes from channel `start` on.
 * - a node with `attrs.outputView = { value, channelOffset }`: it writes its output straight
 *   into that tensor (a concat's output) at that channel.
 * - a node with `attrs.inPlace`: its output reuses its first input's bytes.
 *
 * Views are only made where a channel range is contiguous: every axis before the channel axis
 * has size 1 (batch 1, the usual inference case).
 */
import type { Graph, Node, ValueId } from '../ir/graph.ts';
import { opByName } from '../ops/registry.ts';

export interface AliasGroups {
  /** value -> [root value, byte offset of the value relative to the root's start]. */
  find(v: ValueId): [ValueId, number];
  /** Merge so that `child` starts `offset` bytes after `parent`; false (and no change) if inconsistent. */
  alias(child: ValueId, parent: ValueId, offset: number): boolean;
}

export function channelBytes(graph: Graph, v: ValueId): number {
  const shape = graph.values[v]!.shape;
  return shape.slice(2).reduce((a, b) => a * b, 1) * 4;
}

/** Axes before the channel axis all have size 1, so channel ranges are contiguous. */
export function channelsContiguous(shape: number[]): boolean {
  return shape.length >= 2 && shape[0] === 1;
}

export function newAliasGroups(valueCount: number): AliasGroups {
  const parent = Array.from({ length: valueCount }, (_, i) => i);
  const offset = new Array<number>(valueCount).fill(0); // offset relative to parent[i]
  function find(v: ValueId): [ValueId, number] {
    let off = 0;
    let x = v;
    while (parent[x] !== x) {
      off += offset[x]!;
      x = parent[x]!;
    }
    return [x, off];
  }
  function alias(child: ValueId, par: ValueId, off: number): boolean {
    const [rc, oc] = find(child);
    const [rp, op] = find(par);
    // child = rc + oc, par = rp + op, child = par + off  =>  rc = rp + op + off - oc
    if (rc === rp) return oc === op + off;
    parent[rc] = rp;
    offset[rc] = op + off - oc;
    return true;
  }
  return { find, alias };
}

/** The first input channel a node covers when its table entry makes it a channel view (slice). */
export function channelViewStart(n: Node): number | undefined {
  const view = opByName(n.op).view;
  return view?.kind === 'channels' ? view.start(n.attrs) : undefined;
}

/** Rebuild the alias groups a graph's annotations describe. */
export function aliasGroupsOf(graph: Graph): AliasGroups {
  const groups = newAliasGroups(graph.values.length);
  for (const n of graph.nodes) {
    const out = n.outputs[0]!;
    const start = n.attrs.view ? channelViewStart(n) : undefined;
    if (start !== undefined) groups.alias(out, n.inputs[0]!, start * channelBytes(graph, n.inputs[0]!));
    const view = n.attrs.outputView;
    if (view) groups.alias(out, view.value, view.channelOffset * channelBytes(graph, view.value));
    if (n.attrs.inPlace) groups.alias(out, n.inputs[0]!, 0);
  }
  return groups;
}
