/**
 * Build a concrete graph into a Wasm module and run it once: instantiate, copy the inputs to
 * their addresses, call `run()`, copy the outputs out (as the generated loader does).
 */
import type { Graph, WeightStore } from '../../src/ir/graph.ts';
import { numel, type Tensor } from '../../src/ir/tensor.ts';
import { buildModule, type BuildOptions } from '../../src/wasm/codegen.ts';

export async function wasmOutputs(graph: Graph<number>, weights: WeightStore, inputs: Tensor[], options: BuildOptions = {}): Promise<Map<string, Float32Array>> {
  const build = await buildModule(graph, weights, options);
  const { instance } = await WebAssembly.instantiate(build.wasm, {});
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  if (build.weightsBin) new Uint8Array(memory.buffer, build.layout.constantsOffset, build.weightsBin.length).set(build.weightsBin);
  build.layout.inputs.forEach((io, k) => new Float32Array(memory.buffer, io.offset, numel(io.shape)).set(inputs[k]!.data));
  (instance.exports['run'] as () => void)();
  const out = new Map<string, Float32Array>();
  for (const io of build.layout.outputs) out.set(io.name, new Float32Array(memory.buffer, io.offset, numel(io.shape)).slice());
  return out;
}
