/**
 * Graph<number> -> Wasm module. Every shape is a constant baked into the code; one kernel
 * function per kind and shape class, called from an exported `run()` with constant
 * addresses, one call per node in graph order.
 *
 * Linear memory, sized exactly (whole 64 KiB pages):
 *   [0, 16)              unused, so that no tensor sits at address 0
 *   [16, arenaEnd)       activations, graph inputs and outputs (storage.ts + layout.ts)
 *   [constants, ...)     packed weights and index tables (a data segment, or copied in by
 *                        the loader from a separate weights file)
 *   [derived, ...)       weights transformed when the module starts (Winograd filters):
 *                        `run()` calls `prepare()` once, the first time
 *   [scratch, end)       per-node scratch (padded inputs, accumulators), reused by all nodes
 *
 * Lowering runs twice: a first pass learns the size of the constants and the largest
 * scratch (and emits every kernel function, which take addresses as parameters), the second
 * emits `run()` with the final addresses.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { numel } from '../ir/tensor.ts';
import { WasmBuildError } from './errors.ts';
import { emitErfHelper, emitExpHelper, emitSigmoidHelper, emitTanhHelper } from './kernels/activation.ts';
import { loweringFor } from './kernels/index.ts';
import type { KernelContext, Operand, OutputOperand } from './kernels/types.ts';
import { align16, firstFitPlanner, validatePlan, type ArenaPlan } from './layout.ts';
import type { Span } from '../diag/span.ts';
import { ModuleBuilder, type Expr, type FunctionBuilder, type ModuleOptions, type ValType } from './module.ts';
import { planStorage } from './storage.ts';
import { appendCustomSection, RELAXED_SECTION, WEIGHTS_SECTION } from './data-section.ts';
import { lowerSplit, splitRanges } from './kernels/split.ts';
import { emitThreadedRun, type Step } from './threads.ts';
import { F16_SECTION, toF16Weights, type F16Run } from './f16.ts';

export interface TensorPlacement {
  name: string;
  shape: number[];
  /** Byte address in linear memory. */
  offset: number;
}

export interface MemoryLayout {
  /** Packed weights and index tables. */
  constantsOffset: number;
  constantsBytes: number;
  /** Weights derived from the constants at start-up (not in the module's bytes). */
  derivedOffset: number;
  derivedBytes: number;
  arenaOffset: number;
  /** Activations including graph inputs and outputs. */
  arenaBytes: number;
  /** Bytes of the graph inputs and outputs (inside the arena). */
  ioBytes: number;
  scratchOffset: number;
  scratchBytes: number;
  /** Linear memory size: whole pages covering everything above. */
  totalBytes: number;
  pages: number;
  inputs: TensorPlacement[];
  outputs: TensorPlacement[];
  /** Kernel functions emitted (shared between nodes of one kind and shape class). */
  kernelFunctions: number;
  /**
   * Weights stored as float16 (f16.ts): the runs the loader expands into float32 and the
   * bytes stored (custom section or weights file).
   */
  f16?: { runs: F16Run[]; bytes: number };
  /** Built for threads (threads.ts): the most threads its split convs use. */
  threads?: number;
}

export interface BuildOptions {
  /** Leave weights out of the module; they come back as `weightsBin` for the loader to copy in. */
  weightsExternal?: boolean;
  /** Also return the optimised module as WebAssembly text. */
  emitText?: boolean;
  /** Try the fast convolution kernels before the direct one (default true). */
  fastConvPaths?: boolean;
  /** Winograd for 3x3 convs: by the cost model (default 'auto'), whenever possible, or never. */
  winograd?: 'auto' | 'always' | 'never';
  /** Store the float weights as float16 (expanded by the loader), or float32 (default). */
  weightsDtype?: 'f32' | 'f16';
  /**
   * Also build the code with `f32x4.relaxed_madd` (a second module importing the first one's
   * memory, carried in the custom section RELAXED_SECTION); the loader runs it where the
   * engine has relaxed SIMD.
   */
  relaxedSimd?: boolean;
  /**
   * Build for up to this many threads (threads.ts): shared imported memory, convs split over
   * output channels, weights in the custom section WEIGHTS_SECTION (or the weights file) for
   * the loader to copy in. 1 or unset: today's single-thread module.
   */
  threads?: number;
  /** How the module itself is built (the relaxed code module: relaxed, memory imported). */
  module?: ModuleOptions;
  /**
   * Arena offsets of every value (a memory planning pass's `slots`); defaults to
   * `graph.memory.slots` when the graph carries a plan, else the backend plans itself.
   */
  memoryPlan?: Map<number, { offset: number; bytes: number }>;
}

export interface BuildResult {
  wasm: Uint8Array<ArrayBuffer>;
  weightsBin?: Uint8Array<ArrayBuffer>;
  wat?: string;
  layout: MemoryLayout;
  /** Kernel choices made while lowering (the conv algorithm and why), by node name. */
  kernelNotes: { node: string; message: string }[];
}

const MAX_MEMORY = 4 * 1024 * 1024 * 1024 - 65536;


/**
 * Where a whole-network problem (memory too large) is reported: the network's first input
 * declaration, else its first layer; generated graphs have neither and get a synthetic span.
 */
function networkSpan(graph: Graph<number>): Span | undefined {
  const input = graph.inputs[0];
  return (input && graph.values[input.value]?.span) ?? graph.nodes[0]?.span;
}

/** Build the Wasm module of a concrete graph with its weights. Throws WasmBuildError. */
export async function buildModule(graph: Graph<number>, weights: WeightStore, options: BuildOptions = {}): Promise<BuildResult> {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  if (threads > 1 && (options.relaxedSimd || options.weightsDtype === 'f16')) {
    throw new Error('a module built for threads cannot have relaxed-SIMD code or float16 weights yet');
  }
  for (const node of graph.nodes) loweringFor(node);
  const params = graph.nodes.map((node) => resolveParams(node, weights));

  const arenaOffset = 16;
  const placement = placeValues(graph, options.memoryPlan ?? graph.memory?.slots);
  const constantsOffset = align16(arenaOffset + placement.arenaBytes);

  const m = await ModuleBuilder.create(threads > 1 ? { ...options.module, shared: true } : options.module);
  try {
    const functions = new Map<string, string>();
    const kindCounts = new Map<string, number>();
    const helpers = new Map<string, string>();
    const fn = (kind: string, key: unknown, paramTypes: ValType[], build: (f: FunctionBuilder) => Expr[]): string => {
      const k = `${kind}|${JSON.stringify(key)}`;
      let name = functions.get(k);
      if (!name) {
        const count = kindCounts.get(kind) ?? 0;
        kindCounts.set(kind, count + 1);
        name = `${kind}_${count}`;
        functions.set(k, name);
        m.addFunction(name, paramTypes, undefined, build);
      }
      return name;
    };
    const helper = (h: 'exp' | 'sigmoid' | 'tanh' | 'erf'): string => {
      let name = helpers.get(h);
      if (name) return name;
      name = `${h}_v`;
      helpers.set(h, name);
      if (h === 'exp') emitExpHelper(m, name);
      else if (h === 'sigmoid') emitSigmoidHelper(m, name, helper('exp'));
      else if (h === 'tanh') emitTanhHelper(m, name, helper('exp'));
    else emitErfHelper(m, name);
      return name;
    };

    const addressOf = (v: number): number => arenaOffset + placement.offset(v);
    let kernelNotes: { node: string; message: string }[] = [];
    const lowerAll = (constantsBase: number, derivedBase: number, scratchBase: number) => {
      kernelNotes = [];
      const chunks: (Float32Array | Int32Array)[] = [];
      const placed = new Map<Float32Array | Int32Array, number>();
      let constBytes = 0;
      let derivedBytes = 0;
      let scratchMax = 0;
      const steps: Step[] = [];
      const prepare: Expr[] = [];
      graph.nodes.forEach((node, i) => {
        let scratchUsed = 0;
        const ctx: KernelContext = {
          m,
          fn,
          helper,
          fastPaths: options.fastConvPaths !== false,
          winograd: options.winograd,
          explain: (message) => kernelNotes.push({ node: node.name, message }),
          constant: (data) => {
            const known = placed.get(data);
            if (known !== undefined) return known;
            const at = constantsBase + constBytes;
            chunks.push(data);
            placed.set(data, at);
            constBytes += align16(data.byteLength);
            return at;
          },
          scratch: (bytes) => {
            const at = scratchBase + scratchUsed;
            scratchUsed += align16(bytes);
            scratchMax = Math.max(scratchMax, scratchUsed);
            return at;
          },
          derived: (bytes) => {
            const at = derivedBase + derivedBytes;
            derivedBytes += align16(bytes);
            return at;
          },
          prepare: (s) => void prepare.push(...s),
        };
        const inputs: Operand[] = node.inputs.map((v) => ({ ptr: addressOf(v), shape: graph.values[v]!.shape, batchStride: placement.batchStride(v) }));
        const out = node.outputs[0]!;
        const output: OutputOperand = { ptr: addressOf(out), shape: graph.values[out]!.shape, batchStride: placement.batchStride(out) };
        const args = { node, attrs: node.attrs, inputs, output, params: params[i]!, ctx };
        const ranges = threads > 1 ? splitRanges(args, threads) : undefined;
        if (ranges) {
          ctx.explain?.(`split over ${ranges.length} threads by output channels: ${ranges.map(([a, b]) => `${a}-${b - 1}`).join(', ')}`);
          for (const parts of lowerSplit(loweringFor(node), args, ranges)) steps.push({ kind: 'split', parts });
        }
        else steps.push({ kind: 'serial', stmts: loweringFor(node)(args) });
      });
      const stmts = steps.flatMap((s) => (s.kind === 'serial' ? s.stmts : s.parts.flat()));
      return { stmts, steps, prepare, chunks, constBytes, derivedBytes, scratchMax };
    };

    const dry = lowerAll(constantsOffset, 0, 0);
    const derivedOffset = align16(constantsOffset + dry.constBytes);
    const scratchOffset = align16(derivedOffset + dry.derivedBytes);
    const real = lowerAll(constantsOffset, derivedOffset, scratchOffset);
    // Slack past the last buffer: vector kernels may read (never write) a few floats beyond
    // the end of a row (kernels/gather.ts).
    const totalBytes = scratchOffset + real.scratchMax + 64;
    if (totalBytes > MAX_MEMORY) throw new WasmBuildError('NET4002', { bytes: totalBytes }, networkSpan(graph));

    const constants = new Uint8Array(real.constBytes);
    const placedChunks: { offset: number; data: Float32Array | Int32Array }[] = [];
    let at = 0;
    for (const c of real.chunks) {
      constants.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
      placedChunks.push({ offset: constantsOffset + at, data: c });
      at += align16(c.byteLength);
    }
    // float16: the integer tables stay data segments; the floats go to a custom section or the weights file.
    const f16 = options.weightsDtype === 'f16' ? toF16Weights(placedChunks) : undefined;
    if (f16) for (const t of f16.tables) m.addData(t.offset, t.data);
    else if (!options.weightsExternal) m.addData(constantsOffset, constants);
    if (threads > 1) emitThreadedRun(m, real.steps, real.prepare);
    else {
      const runBody = real.stmts.length ? real.stmts : [m.nop()];
      if (real.prepare.length > 0) {
        m.addFunction('prepare', [], undefined, () => real.prepare);
        m.addGlobalI32('prepared', 0);
        runBody.unshift(m.if(m.i32.eqz(m.globalGetI32('prepared')), m.block([m.call('prepare', []), m.globalSet('prepared', m.i32.c(1))])));
      }
      m.addFunction('run', [], undefined, () => runBody);
      m.exportFunction('run');
    }
    m.setMemoryBytes(totalBytes);
    const finished = m.finish({ emitText: options.emitText });
    const wat = finished.wat;
    let wasm = f16 && !options.weightsExternal ? appendCustomSection(finished.wasm, F16_SECTION, f16.bytes) : finished.wasm;
    // A shared memory is imported, so it takes no data segments: the loader copies the weights in.
    if (threads > 1 && !options.weightsExternal) wasm = appendCustomSection(wasm, WEIGHTS_SECTION, constants);
    if (options.relaxedSimd) {
      // The same lowering gives the same addresses: only the multiply-adds differ.
      const relaxed = await buildModule(graph, weights, { ...options, weightsDtype: undefined, weightsExternal: true, emitText: false, relaxedSimd: false, module: { relaxed: true, importMemory: true } });
      wasm = appendCustomSection(wasm, RELAXED_SECTION, relaxed.wasm);
    }

    const place = (io: { name: string; value: number }): TensorPlacement => ({ name: io.name, shape: [...graph.values[io.value]!.shape], offset: addressOf(io.value) });
    const inputs = graph.inputs.map(place);
    const outputs = graph.outputs.map(place);
    const layout: MemoryLayout = {
      constantsOffset,
      constantsBytes: real.constBytes,
      derivedOffset,
      derivedBytes: real.derivedBytes,
      arenaOffset,
      arenaBytes: placement.arenaBytes,
      ioBytes: [...graph.inputs, ...graph.outputs].reduce((s, io) => s + numel(graph.values[io.value]!.shape) * 4, 0),
      scratchOffset,
      scratchBytes: real.scratchMax,
      totalBytes,
      pages: Math.max(1, Math.ceil(totalBytes / 65536)),
      inputs,
      outputs,
      kernelFunctions: functions.size,
      f16: f16 ? { runs: f16.runs, bytes: f16.bytes.length } : undefined,
      threads: threads > 1 ? threads : undefined,
    };
    const weightsBin = options.weightsExternal ? (f16 ? f16.bytes : constants) : undefined;
    return { wasm, wat, weightsBin, layout, kernelNotes };
  } catch (e) {
    m.dispose();
    throw e;
  }
}

interface Placement {
  arenaBytes: number;
  /** Byte offset of a value from the arena start. */
  offset(v: number): number;
  /** Elements between batch items of a value. */
  batchStride(v: number): number;
}

/**
 * Addresses of every value: from a memory plan (a planning pass, or the caller) when given,
 * else from our own storage plan (aliases, views) and first-fit placement.
 */
function placeValues(graph: Graph<number>, slots: Map<number, { offset: number; bytes: number }> | undefined): Placement {
  const dense = (v: number): number => {
    const s = graph.values[v]!.shape;
    return s.length === 0 ? 1 : numel(s) / Math.max(1, s[0]!);
  };
  if (slots) {
    const viewOf = new Map<number, number>();
    for (const n of graph.nodes) {
      const view = n.attrs.outputView;
      if (view) viewOf.set(n.outputs[0]!, view.value);
    }
    let arenaBytes = 0;
    const used = new Set<number>([...graph.inputs, ...graph.outputs].map((io) => io.value));
    for (const n of graph.nodes) for (const v of [...n.inputs, ...n.outputs]) used.add(v);
    for (const v of [...used].sort((a, b) => a - b)) {
      const slot = slots.get(v);
      const bytes = numel(graph.values[v]!.shape) * 4;
      if (!slot) throw new WasmBuildError('NET4004', { detail: `value ${graph.values[v]!.name} has no placement` });
      if (slot.offset % 4 !== 0 || slot.offset < 0) throw new WasmBuildError('NET4004', { detail: `value ${graph.values[v]!.name} is placed at ${slot.offset}, not a multiple of 4` });
      arenaBytes = Math.max(arenaBytes, slot.offset + bytes);
    }
    return {
      arenaBytes: align16(arenaBytes),
      offset: (v) => slots.get(v)!.offset,
      batchStride: (v) => dense(viewOf.get(v) ?? v),
    };
  }
  const { storage, requests } = planStorage(graph);
  const arena: ArenaPlan = firstFitPlanner(requests);
  const problem = validatePlan(requests, arena);
  if (problem) throw new WasmBuildError('NET4004', { detail: problem });
  return {
    arenaBytes: arena.arenaBytes,
    offset: (v) => {
      const s = storage.get(v)!;
      return arena.offsets.get(s.root)! + s.byteOffset;
    },
    batchStride: (v) => storage.get(v)!.batchStride,
  };
}

function resolveParams(node: Graph<number>['nodes'][number], weights: WeightStore): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [role, ref] of Object.entries(node.params)) {
    const t = weights.get(ref.name);
    if (!t) throw new WasmBuildError('NET4003', { name: ref.name, node: node.name }, node.span);
    if (numel(t.shape) !== numel(ref.shape) || t.data.length !== numel(ref.shape)) {
      throw new WasmBuildError('NET4003', { name: ref.name, node: node.name }, node.span);
    }
    out[role] = t;
  }
  return out;
}
