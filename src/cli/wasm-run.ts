/**
 * Running a graph through its Wasm module from the command line (`run --backend wasm`,
 * `verify`): build, load through the generated loader itself (imported from a data: URL, so
 * the very code users ship is what runs), feed inputs, read outputs.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { buildModule } from '../wasm/codegen.ts';
import { generateLoader } from '../wasm/loader.ts';

export interface LoadedModel {
  run(x: Float32Array | Record<string, Float32Array>): Float32Array | Record<string, Float32Array>;
}

export async function loadWasmModel(graph: Graph, weights: WeightStore): Promise<LoadedModel> {
  const built = await buildModule(graph, weights, {});
  const loader = generateLoader({ name: graph.name, layout: built.layout, weightsExternal: false });
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(loader.js).toString('base64')}`)) as {
    load(bytes: Uint8Array): Promise<LoadedModel>;
  };
  return mod.load(built.wasm);
}

export function runLoaded(model: LoadedModel, graph: Graph, inputs: Map<string, Tensor>): Map<string, Tensor> {
  const feed: Record<string, Float32Array> = {};
  for (const io of graph.inputs) feed[io.name] = inputs.get(io.name)!.data;
  const result = model.run(graph.inputs.length === 1 ? feed[graph.inputs[0]!.name]! : feed);
  const out = new Map<string, Tensor>();
  for (const io of graph.outputs) {
    const data = result instanceof Float32Array ? result : result[io.name]!;
    out.set(io.name, { shape: [...graph.values[io.value]!.shape], data });
  }
  return out;
}

export async function runWasm(graph: Graph, weights: WeightStore, inputs: Map<string, Tensor>): Promise<Map<string, Tensor>> {
  return runLoaded(await loadWasmModel(graph, weights), graph, inputs);
}
