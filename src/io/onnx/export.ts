/**
 * IR graph -> ONNX model bytes. Every node becomes one ONNX operator (two for a `linear` on
 * inputs of rank above 2); weights become float32 initializers under their hierarchical names
 * (`inception3a.p2_2.weight`) and nodes are named like PyTorch's exporter names them
 * (`/inception3a/p2_2/Conv`), so Netron shows the structure and importing the file back
 * recovers the same instance names.
 */
import type { Graph, Node, WeightStore } from '../../ir/graph.ts';
import { OnnxError } from './errors.ts';
import { exportNode } from './exportOps.ts';
import { OnnxWriter, unsupported, valueInfo } from './exportWriter.ts';
import { irVersionForOpset, MAX_OPSET, MIN_OPSET, onnx, type IValueInfoProto } from './proto.ts';

export interface ExportOptions {
  /** Opset of the default domain, 11 to 21; 17 when left out. */
  opset?: number;
  /** `producer_name` of the model; `netc` when left out. */
  producer?: string;
  /**
   * Sizes written as `dim_param` instead of their value: per value id, per axis, the symbol
   * (`N`) or expression (`H/2`) the size stands for, undefined where it is a number.
   */
  dimParams?: ReadonlyMap<number, readonly (string | undefined)[]>;
}

export const DEFAULT_EXPORT_OPSET = 17;
/** Give every IR value a unique ONNX name: graph inputs and outputs keep their names. */
function nameValues(w: OnnxWriter, graph: Graph<number>): void {
  for (const io of graph.inputs) w.valueNames.set(io.value, w.fresh(io.name));
  // A graph output that is also a graph input or another output is copied by an Identity later.
  for (const io of graph.outputs) if (!w.valueNames.has(io.value)) w.valueNames.set(io.value, w.fresh(io.name));
  for (const v of graph.values) if (!w.valueNames.has(v.id)) w.valueNames.set(v.id, w.fresh(v.name));
}

/**
 * Write `graph` with `weights` as an ONNX model. Throws OnnxError (NET5020, NET5021) for an
 * operator or attribute ONNX cannot express exactly, or a missing weight.
 */
export function exportOnnx(graph: Graph<number>, weights: WeightStore, options: ExportOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_EXPORT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new OnnxError('NET5021', { opset });
  const w = new OnnxWriter(graph, weights, opset);
  nameValues(w, graph);
  for (const n of topologicalOrder(graph)) exportNode(w, n);

  const outputs: IValueInfoProto[] = [];
  const seen = new Set<number>();
  const inputIds = new Set(graph.inputs.map((io) => io.value));
  for (const io of graph.outputs) {
    const shape = graph.values[io.value]!.shape;
    if (seen.has(io.value) || inputIds.has(io.value)) {
      const copy = w.fresh(io.name);
      w.nodes.push({ name: `/${copy}/Identity`, opType: 'Identity', input: [w.name(io.value)], output: [copy] });
      outputs.push(valueInfo(copy, shape, options.dimParams?.get(io.value)));
    } else {
      outputs.push(valueInfo(w.name(io.value), shape, options.dimParams?.get(io.value)));
    }
    seen.add(io.value);
  }
  const ioIds = new Set([...inputIds, ...graph.outputs.map((io) => io.value)]);
  const model = onnx.ModelProto.create({
    irVersion: irVersionForOpset(opset),
    producerName: options.producer ?? 'netc',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: graph.name,
      node: w.nodes,
      initializer: w.initializers,
      input: graph.inputs.map((io) => valueInfo(w.name(io.value), graph.values[io.value]!.shape, options.dimParams?.get(io.value))),
      output: outputs,
      valueInfo: graph.values.filter((v) => !ioIds.has(v.id) && v.producer !== undefined).map((v) => valueInfo(w.name(v.id), v.shape, options.dimParams?.get(v.id))),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Nodes in an order where every input is produced before it is read (ONNX requires it). */
function topologicalOrder(graph: Graph<number>): Node<number>[] {
  const done = new Set<number>();
  const onStack = new Set<number>();
  const order: Node<number>[] = [];
  for (const root of graph.nodes) {
    // Iterative depth-first walk: deep chains must not overflow the call stack.
    const stack: { node: Node<number>; next: number }[] = [{ node: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.node.id)) { stack.pop(); continue; }
      if (top.next < top.node.inputs.length) {
        const p = graph.values[top.node.inputs[top.next++]!]!.producer;
        if (p !== undefined && !done.has(p)) {
          if (onStack.has(p)) unsupported(graph.nodes[p]!, 'the graph has a cycle through this node');
          onStack.add(p);
          stack.push({ node: graph.nodes[p]!, next: 0 });
        }
        continue;
      }
      onStack.delete(top.node.id);
      done.add(top.node.id);
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}
