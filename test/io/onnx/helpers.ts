/** Shared pieces of the ONNX tests: reference fixtures, onnxruntime, and checking `.net` source into a concrete graph. */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { checkSource } from '../../../src/check/check.ts';
import { concretize } from '../../../src/check/concretize.ts';
import type { Graph, WeightStore } from '../../../src/ir/graph.ts';
import type { Tensor } from '../../../src/ir/tensor.ts';

export const refDir = new URL('../../fixtures/reference/', import.meta.url);
export const readRef = (name: string): Uint8Array => readFileSync(new URL(name, refDir));
export const cases = JSON.parse(readFileSync(new URL('cases.json', refDir), 'utf8')) as Record<string, any>;

export async function runOrt(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Map<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.shape);
  const out = await session.run(feeds);
  const result = new Map<string, Tensor>();
  for (const name of session.outputNames) {
    const t = out[name]!;
    result.set(name, { shape: [...t.dims], data: t.data as Float32Array });
  }
  return result;
}

/** Check `.net` source and bind it to integers; throws with the diagnostics when it does not check. */
export function checkToGraph(source: string, file = 'model.net', bindings: Record<string, number> = {}): Graph<number> {
  const checked = checkSource(source, file, { bindings: new Map(Object.entries(bindings)) });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || checked.graphs.length === 0) {
    throw new Error(`source does not check:\n${errors.map((d) => `${d.code} ${d.message} (line ${d.span.start.line})`).join('\n')}\n${source}`);
  }
  const c = concretize(checked.graphs[checked.graphs.length - 1]!, new Map(Object.entries(bindings)));
  if (!c.graph) throw new Error(`source does not concretize: ${c.diagnostics.map((d) => d.message).join('; ')}`);
  return c.graph;
}

/** Weight names with shapes, sorted: what a round trip must keep. */
export function weightSignature(graph: Graph<number>): string[] {
  return graph.nodes.flatMap((n) => Object.values(n.params).map((p) => `${p.name} [${p.shape.join(', ')}]`)).sort();
}

export function paramCount(graph: Graph<number>): number {
  return graph.nodes.flatMap((n) => Object.values(n.params)).filter((p) => p.trainable).reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}

/** Shapes of the outputs of each node in order, and the graph outputs. */
export function shapeSignature(graph: Graph<number>): string[] {
  return graph.outputs.map((o) => `[${graph.values[o.value]!.shape.join(', ')}]`);
}

export function sortedNodeShapes(graph: Graph<number>): string[] {
  return graph.nodes.map((n) => `${n.op} [${graph.values[n.outputs[0]!]!.shape.join(', ')}]`).sort();
}

export type { WeightStore };
