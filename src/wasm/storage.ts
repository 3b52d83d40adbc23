/**
 * Where each value's elements live: its storage root (the value owning a buffer), the byte
 * offset inside it and the batch stride. Outputs of operators whose table entry is a whole
 * view (identity, dropout, flatten) alias their input; a node with `attrs.outputView` writes
 * into its slice of a concat buffer, which
 * makes that concat's copy unnecessary. A view is honoured only where its consumers cannot
 * tell: batch 1 (the slice is contiguous), or the concat is its only reader.
 */
import type { Graph, OutputView, ValueId } from '../ir/graph.ts';
import { numel } from '../ir/tensor.ts';
import { opByName } from '../ops/registry.ts';
import type { BufferRequest } from './layout.ts';

export interface Storage {
  root: ValueId;
  byteOffset: number;
  /** Elements between batch items. */
  batchStride: number;
}

export interface StoragePlan {
  storage: Map<ValueId, Storage>;
  requests: BufferRequest[];
}

export function planStorage(graph: Graph<number>): StoragePlan {
  const dense = (v: ValueId): number => {
    const s = graph.values[v]!.shape;
    return s.length === 0 ? 1 : numel(s) / s[0]!;
  };
  const consumers = new Map<ValueId, number[]>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((v) => consumers.set(v, [...(consumers.get(v) ?? []), i])));
  const outputs = new Set(graph.outputs.map((o) => o.value));

  const views = new Map<ValueId, OutputView>();
  for (const node of graph.nodes) {
    const view = node.attrs.outputView;
    if (!view) continue;
    const v = node.outputs[0]!;
    const target = graph.values[view.value];
    const shape = graph.values[v]!.shape;
    if (!target || target.shape.length !== shape.length) continue;
    const readers = consumers.get(v) ?? [];
    const onlyConcat = !outputs.has(v) && readers.length > 0 && readers.every((i) => graph.nodes[i]!.outputs[0] === view.value && graph.nodes[i]!.op === 'concat');
    if (shape[0] === 1 || onlyConcat) views.set(v, view);
  }

  const storage = new Map<ValueId, Storage>();
  const resolve = (v: ValueId, depth = 0): Storage => {
    const known = storage.get(v);
    if (known) return known;
    let s: Storage = { root: v, byteOffset: 0, batchStride: dense(v) };
    const view = views.get(v);
    const producer = graph.values[v]!.producer;
    const node = producer === undefined ? undefined : graph.nodes[producer];
    if (view && depth < 64) {
      const base = resolve(view.value, depth + 1);
      const spatial = numel(graph.values[v]!.shape.slice(2));
      s = { root: base.root, byteOffset: base.byteOffset + view.channelOffset * spatial * 4, batchStride: base.batchStride };
    } else if (node && opByName(node.op).view?.kind === 'whole' && depth < 64) {
      const src = resolve(node.inputs[0]!, depth + 1);
      const srcDense = src.batchStride === dense(node.inputs[0]!) || graph.values[v]!.shape[0] === 1;
      if (srcDense) s = { ...src, batchStride: dense(v) };
    }
    storage.set(v, s);
    return s;
  };
  for (const v of graph.values) resolve(v.id);

  const spans = new Map<ValueId, { first: number; last: number; bytes: number }>();
  const touch = (root: ValueId, at: number, bytes?: number): void => {
    const span = spans.get(root) ?? { first: at, last: at, bytes: 0 };
    span.first = Math.min(span.first, at);
    span.last = Math.max(span.last, at);
    if (bytes !== undefined) span.bytes = Math.max(span.bytes, bytes);
    spans.set(root, span);
  };
  for (const io of graph.inputs) touch(storage.get(io.value)!.root, -1);
  graph.nodes.forEach((n, i) => {
    for (const v of n.inputs) touch(storage.get(v)!.root, i);
    for (const v of n.outputs) touch(storage.get(v)!.root, i);
  });
  for (const io of graph.outputs) touch(storage.get(io.value)!.root, graph.nodes.length);
  for (const v of graph.values) {
    const s = storage.get(v.id)!;
    if (s.root === v.id) touch(v.id, spans.get(v.id)?.first ?? -1, numel(v.shape) * 4);
  }
  const requests = [...spans.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, s]) => ({ id, bytes: s.bytes, first: s.first, last: s.last }));
  return { storage, requests };
}
