/**
 * The programmatic API of netc: compile `.net` source text to a WebAssembly module and its
 * loader.
 *
 * ```ts
 * import { compile } from 'netc';
 * const { wasm, loader, dts, diagnostics } = await compile(source, {
 *   file: 'tiny.net', bindings: { N: 1 }, randomWeights: 0,
 * });
 * // write wasm to model.wasm, loader to model.js, dts to model.d.ts; then
 * // (await (await import('./model.js')).load('model.wasm')).run(new Float32Array(...))
 * ```
 *
 * Steps (the front end, src/frontend/): check (diagnostics for every problem of the source),
 * bind dimension symbols (`bindings`), bind weights (`weights`, checked against the
 * network's parameters: NET3001 missing, NET3003 mis-shaped, NET3002 unused; or
 * `randomWeights` = a seed), run the optimisation passes (`passes`, default all); then build
 * the module. `wasm` is present only when there are no errors; every problem is a
 * diagnostic, never an exception.
 */
import type { Diagnostic } from './diag/diagnostic.ts';
import { memoryHost } from './check/host.ts';
import { runFrontend } from './frontend/frontend.ts';
import type { Graph, WeightStore } from './ir/graph.ts';
import type { MemoryLayout } from './wasm/codegen.ts';

export interface CompileOptions {
  /** File name used in diagnostics (default `model.net`). */
  file?: string;
  /** Other in-memory files the source imports, by path. */
  files?: Record<string, string>;
  /** The network to build when the file has several. */
  entry?: string;
  /** Sizes of the input dimension symbols, e.g. `{ N: 1, H: 224, W: 224 }`. */
  bindings?: Record<string, number> | ReadonlyMap<string, number>;
  /** Weights by PyTorch parameter name (e.g. from io/safetensors.ts readSafetensors). */
  weights?: WeightStore;
  /** Seed of deterministic random weights, used when `weights` is not given. */
  randomWeights?: number;
  /** Keep the weights out of the module: returned as `weightsBin`, fetched by the loader. */
  weightsExternal?: boolean;
  /** Store the weights as float16 (half the bytes; the loader expands them to float32), default 'f32'. */
  weightsDtype?: 'f32' | 'f16';
  /** Also build the kernels with relaxed SIMD (f32x4.relaxed_madd); the loader picks them where supported. */
  relaxedSimd?: boolean;
  /**
   * Build for up to this many threads (`load(..., { threads })` runs them): convs split over
   * output channels, shared memory. Not with relaxedSimd or float16 weights yet.
   */
  threads?: number;
  /** Optimisation passes to run, in pipeline order (default all; `[]` for none). */
  passes?: string[];
  /** Also return the module as WebAssembly text. */
  emitText?: boolean;
}

export interface CompileResult {
  /** The module; absent when there are errors. */
  wasm?: Uint8Array;
  /** With `weightsExternal`: the weights file the loader copies in (`model.weights.bin`). */
  weightsBin?: Uint8Array;
  /** `model.js`: ES module exporting `load(source, options?)`. */
  loader?: string;
  /** `model.d.ts`: types of the loader with the model's input and output names and shapes. */
  dts?: string;
  wat?: string;
  /** Memory figures of the module (bytes of weights, arena, scratch, pages). */
  layout?: MemoryLayout;
  /** The graph after the passes, as built. */
  graph?: Graph<number>;
  /** Every error, warning and note, in a stable order. */
  diagnostics: Diagnostic[];
}

export async function compile(source: string, options: CompileOptions = {}): Promise<CompileResult> {
  const file = options.file ?? 'model.net';
  const bindings = options.bindings instanceof Map ? options.bindings : new Map(Object.entries(options.bindings ?? {}));
  const { weights, randomWeights: seed } = options;
  const front = runFrontend({
    file,
    host: memoryHost({ ...(options.files ?? {}), [file]: source }),
    entry: options.entry,
    bindings,
    weights: () => (weights ? { tensors: weights, file: '<weights>' } : seed !== undefined ? { seed } : { none: true }),
    passes: options.passes,
  });
  const diagnostics = front.diagnostics;
  if (front.failed || !front.optimized) return { diagnostics };
  const { graph } = front.optimized;

  // Loaded here, not at the top: `netc check` imports this file and never needs binaryen.
  const { buildModule } = await import('./wasm/codegen.ts');
  const { WasmBuildError } = await import('./wasm/errors.ts');
  const { generateLoader } = await import('./wasm/loader.ts');
  try {
    const built = await buildModule(graph, front.optimized.weights, { weightsExternal: options.weightsExternal, emitText: options.emitText, weightsDtype: options.weightsDtype, relaxedSimd: options.relaxedSimd, threads: options.threads });
    const loader = generateLoader({ name: graph.name, layout: built.layout, weightsExternal: !!options.weightsExternal });
    return { wasm: built.wasm, weightsBin: built.weightsBin, loader: loader.js, dts: loader.dts, wat: built.wat, layout: built.layout, graph, diagnostics };
  } catch (e) {
    if (e instanceof WasmBuildError) return { diagnostics: [...diagnostics, e.diagnostic] };
    throw e;
  }
}
