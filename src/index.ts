/**
 * The public API of the `netc` package: everything a program can import from `'netc'`.
 * Nothing else is public; the rest of `src/` may change between versions. README.md
 * ("Library") has an example of each function, and a test runs those examples.
 *
 * The functions take `.net` source text (plus other in-memory files it imports) rather than
 * the internal graph, and report every problem of the input as a diagnostic, never as an
 * exception. The ONNX functions and `compile` load their heavy packages on first use, so
 * importing `netc` stays cheap; `compile` throws `BackendMissingError` when the optional
 * package binaryen is not installed.
 */
import type { Diagnostic } from './diag/diagnostic.ts';
import { checkSource } from './check/check.ts';
import { memoryHost } from './check/host.ts';
import { runFrontend, type FrontendResult, type FrontendStage } from './frontend/frontend.ts';
import { summarize, type GraphSummary } from './check/summary.ts';
import { constValue, dimToString, type Dim } from './ir/dim/dim.ts';
import type { WeightStore } from './ir/graph.ts';
import type { Tensor } from './ir/tensor.ts';
import { isTensorFileError } from './io/errors.ts';
import { runGraph } from './interp/run.ts';
import { formatSource, type FormatResult } from './fmt/format.ts';
import type { GraphFormat } from './graph/render.ts';

export { compile } from './api.ts';
export type { CompileOptions, CompileResult } from './api.ts';
export { readSafetensors, writeSafetensors } from './io/safetensors.ts';
export type { ReadSafetensorsOptions } from './io/safetensors.ts';
export { readNpy } from './io/npy.ts';
export { TensorFileError } from './io/errors.ts';
export { BackendMissingError } from './wasm/errors.ts';
export type { MemoryLayout } from './wasm/codegen.ts';
export type { Diagnostic, Severity, Related, InstanceFrame } from './diag/diagnostic.ts';
export type { Span, Pos } from './diag/span.ts';
export type { Tensor } from './ir/tensor.ts';
export type { Graph, WeightStore } from './ir/graph.ts';
export type { FormatResult } from './fmt/format.ts';
export type { GraphSummary, LayerSummary } from './check/summary.ts';
export type { GraphFormat } from './graph/render.ts';

/** Where the network comes from: options shared by every function taking source text. */
export interface SourceOptions {
  /** File name used in diagnostics and to resolve relative imports (default `model.net`). */
  file?: string;
  /** Other in-memory files the source imports, by path (`std/...` is always available). */
  files?: Record<string, string>;
  /** The network to use when the file has several. */
  entry?: string;
  /** Sizes of the input dimension symbols, e.g. `{ N: 1, H: 224, W: 224 }`. */
  bindings?: Record<string, number> | ReadonlyMap<string, number>;
}

/** Where the weights come from, for functions that need them. */
export interface WeightOptions {
  /** Weights by PyTorch parameter name (e.g. from `readSafetensors`). */
  weights?: WeightStore;
  /** Seed of deterministic random weights, used when `weights` is not given. */
  randomWeights?: number;
}

/** A tensor shape: numbers where known, symbolic sizes (`H/2`) as text. */
export type Shape = (number | string)[];

export interface NetworkShapes {
  name: string;
  inputs: { name: string; shape: Shape }[];
  outputs: { name: string; shape: Shape }[];
  /** Every layer with its hierarchical name, operator and output shape, in order. */
  layers: { name: string; op: string; shape: Shape }[];
}

export interface Requirement {
  network: string;
  /** "H must be divisible by 16", "H must be at least 7". */
  text: string;
  file: string;
  line: number;
  column: number;
}

export interface CheckReport {
  /** Every error, warning and note, in a stable order. */
  diagnostics: Diagnostic[];
  /** One entry per network checked (all of the file's, or `entry`). */
  networks: NetworkShapes[];
  /** Conditions on symbolic input sizes the networks need. */
  requirements: Requirement[];
}

const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
const bindingMap = (b: SourceOptions['bindings']): ReadonlyMap<string, number> =>
  b instanceof Map ? b : new Map(Object.entries(b ?? {}));
const shapeOf = (dims: readonly (Dim | number)[]): Shape =>
  dims.map((d) => (typeof d === 'number' ? d : constValue(d) ?? dimToString(d)));

/** Names, arguments and every shape of the source's networks, as `netc check` does. */
export function check(source: string, options: SourceOptions = {}): CheckReport {
  const result = checkSource(source, options.file ?? 'model.net', {
    files: options.files, entry: options.entry, bindings: bindingMap(options.bindings), hovers: false,
  });
  const networks = result.graphs.map((g) => ({
    name: g.name,
    inputs: g.inputs.map((io) => ({ name: io.name, shape: shapeOf(g.values[io.value]!.shape) })),
    outputs: g.outputs.map((io) => ({ name: io.name, shape: shapeOf(g.values[io.value]!.shape) })),
    layers: g.nodes.map((n) => ({ name: n.name, op: n.op, shape: shapeOf(g.values[n.outputs[0]!]!.shape) })),
  }));
  const requirements = result.requirements.map((r) => ({
    network: r.network, text: r.text, file: r.span.file, line: r.span.start.line, column: r.span.start.column,
  }));
  return { diagnostics: result.diagnostics, networks, requirements };
}

/**
 * The front end (check -> bind dimensions -> bind weights -> optimise) on source text, up to
 * `until`. Weights come from the options, or from `fallbackSeed` where only their shapes
 * matter (summary, pictures).
 */
function runSource(source: string, options: SourceOptions & WeightOptions, until: FrontendStage, fallbackSeed?: number): FrontendResult {
  const file = options.file ?? 'model.net';
  const seed = options.randomWeights ?? fallbackSeed;
  return runFrontend({
    file,
    host: memoryHost({ ...(options.files ?? {}), [file]: source }),
    entry: options.entry,
    bindings: bindingMap(options.bindings),
    until,
    weights: () => (options.weights ? { tensors: options.weights, file: '<weights>' } : seed !== undefined ? { seed } : { none: true }),
  });
}

export interface SummaryReport {
  /** Layers with shapes, parameters and MACs, and totals; absent when there are errors. */
  summary?: GraphSummary & { totals: { arenaBytes: number } };
  diagnostics: Diagnostic[];
}

/** `netc summary --json`: per-layer shapes, parameters and MACs, totals and memory. */
export function summary(source: string, options: SourceOptions = {}): SummaryReport {
  // The planned arena needs the optimised graph; the passes only need weights of the right shapes.
  const front = runSource(source, options, 'optimize', 0);
  if (front.failed || !front.graph || !front.optimized) return { diagnostics: front.diagnostics };
  const s = summarize(front.graph);
  const arenaBytes = front.optimized.graph.memory?.arenaBytes ?? 0;
  return { summary: { ...s, totals: { ...s.totals, arenaBytes } }, diagnostics: front.diagnostics };
}

/** `netc fmt` on one text: the canonical layout, verified to keep the tree and every comment. */
export function format(source: string, file = 'model.net'): FormatResult {
  return formatSource(source, file);
}

export interface RenderGraphOptions extends SourceOptions {
  /** `svg` (default), `html` (one self-contained interactive page), `dot` or `mermaid`. */
  format?: GraphFormat;
  /** Levels of block instances to expand; default chosen by size. */
  depth?: number;
  /** Draw the optimised graph (fused groups marked); needs every size bound. */
  optimized?: boolean;
}

/** `netc graph`: the network as a picture, with blocks collapsed and edges labelled with shapes. */
export async function renderGraph(source: string, options: RenderGraphOptions = {}): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  // Optimised pictures need every size bound; otherwise concrete when bound, else symbolic.
  const front = runSource(source, options, options.optimized ? 'optimize' : 'bind', 0);
  if (front.failed === 'check' || (options.optimized && front.failed)) return { diagnostics: front.diagnostics };
  const graph = options.optimized ? front.optimized!.graph : front.graph ?? front.symbolic!;
  // Loaded on first use: the SVG layout (elkjs) is large and only drawing needs it.
  const { renderNetwork } = await import('./graph/render.ts');
  const rendered = await renderNetwork(graph, { format: options.format ?? 'svg', depth: options.depth, optimized: options.optimized });
  return { text: rendered.text, diagnostics: front.diagnostics };
}

export interface ImportOnnxOptions {
  /** Name of the model file, for messages (default `model.onnx`). */
  file?: string;
  /** Bytes of an external data file, by its location relative to the model's folder. */
  readExternal?: (location: string) => Uint8Array | undefined;
}

export interface ImportOnnxReport {
  /** The model as `.net` source; absent when the graph uses something the language cannot say. */
  source?: string;
  /** The model's weights under the names `source` gives them. */
  weights?: WeightStore;
  diagnostics: Diagnostic[];
}

/** An ONNX model as readable `.net` source and its weights (`netc import`). */
export async function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): Promise<ImportOnnxReport> {
  const onnx = await import('./io/onnx/import.ts');
  const result = onnx.importOnnx(bytes, { file: options.file ?? 'model.onnx', readExternal: options.readExternal });
  return { source: result.source, weights: result.weights, diagnostics: result.diagnostics };
}

export interface ExportOnnxOptions extends SourceOptions, WeightOptions {
  /** Opset of the default domain, 11 to 21 (default 17). */
  opset?: number;
}

/** A network and its weights as an ONNX model (`netc export`); `onnx` is absent when there are errors. */
export async function exportOnnx(source: string, options: ExportOnnxOptions = {}): Promise<{ onnx?: Uint8Array; diagnostics: Diagnostic[] }> {
  const { graph, weights, diagnostics, failed } = runSource(source, options, 'weights');
  if (failed || !graph || !weights) return { diagnostics };
  const { exportOnnx: toOnnx } = await import('./io/onnx/export.ts');
  const { isOnnxError } = await import('./io/onnx/errors.ts');
  try {
    return { onnx: toOnnx(graph, weights, { opset: options.opset }), diagnostics };
  } catch (e) {
    if (isOnnxError(e)) return { diagnostics: [...diagnostics, e.diagnostic] };
    throw e;
  }
}

export interface RunInterpreterOptions extends SourceOptions, WeightOptions {}

/**
 * Run the network with the reference interpreter (float32, the operators' plain semantics) on
 * `inputs`, by input name or in the order of the network's inputs. `outputs` maps each output
 * name to its tensor; it is absent when there are errors (including inputs of the wrong shape).
 */
export function runInterpreter(
  source: string,
  inputs: Record<string, Tensor> | ReadonlyMap<string, Tensor> | Tensor[],
  options: RunInterpreterOptions = {},
): { outputs?: Map<string, Tensor>; diagnostics: Diagnostic[] } {
  const { graph, weights, diagnostics, failed } = runSource(source, options, 'weights');
  if (failed || !graph || !weights) return { diagnostics };
  const feed = Array.isArray(inputs) ? inputs : new Map(inputs instanceof Map ? inputs : Object.entries(inputs));
  try {
    return { outputs: runGraph(graph, weights, feed), diagnostics };
  } catch (e) {
    if (isTensorFileError(e)) return { diagnostics: [...diagnostics, e.toDiagnostic()] };
    throw e;
  }
}
