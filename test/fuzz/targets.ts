/**
 * One fuzz input through every stage of netc: parse, canonical printing (idempotence on
 * inputs that parse cleanly), check with and without bindings, concretize, summary, the
 * optimisation passes, the interpreter (small graphs only) and the Wasm backend (smaller
 * graphs only). The only allowed outcomes are success and diagnostics: an exception, a stage
 * slower than the time budget, a large memory growth, a printer that is not idempotent or a
 * disagreement between engines is a finding.
 */
import { checkSource } from '../../src/check/check.ts';
import { dimSymbols } from '../../src/ir/dim/dim.ts';
import { summarize } from '../../src/check/summary.ts';
import { interpreterOutputs, smallEnough } from './run-graph.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph } from '../../src/ir/graph.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { printSource } from '../../src/syntax/printer.ts';
import { WasmBuildError } from '../../src/wasm/errors.ts';
import type { Rng } from './rng.ts';

export type FindingKind = 'crash' | 'slow' | 'memory' | 'fmt' | 'mismatch';

export interface Finding {
  kind: FindingKind;
  stage: string;
  message: string;
  input: string;
  files?: Record<string, string>;
  file: string;
}

export interface TargetOptions {
  /** A stage slower than this is a finding (ms). */
  slowMs: number;
  /** Run the interpreter on graphs under the size caps. */
  interpret: boolean;
  /** Build (and run) a Wasm module for graphs under the smaller caps. */
  build: boolean;
}

export interface StageCounts {
  [stage: string]: number;
}

export interface InputReport {
  findings: Finding[];
  /** Stages the input reached. */
  stages: string[];
}

const DIM_SIZES = [1, 2, 3, 4, 8, 16];

/** Small sizes for every symbol of a graph's inputs (spatial names get larger ones). */
export function bindingsFor(graph: Graph<import('../../src/ir/dim/dim.ts').Dim>, rng: Rng): Map<string, number> {
  const out = new Map<string, number>();
  for (const io of graph.inputs) {
    for (const d of graph.values[io.value]!.shape) {
      for (const s of dimSymbols(d)) {
        if (out.has(s)) continue;
        out.set(s, /^[HWD]/.test(s) ? rng.pick([8, 16, 32]) : rng.pick(DIM_SIZES));
      }
    }
  }
  return out;
}

const heapNow = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Memory growth of one input above this is a finding (bytes). */
const MEMORY_LIMIT = 1.5 * 1024 ** 3;

export async function runInput(text: string, file: string, files: Record<string, string> | undefined, rng: Rng, options: TargetOptions): Promise<InputReport> {
  const findings: Finding[] = [];
  const stages: string[] = [];
  const memoryBefore = heapNow();
  const finding = (kind: FindingKind, stage: string, message: string) => findings.push({ kind, stage, message, input: text, files, file });
  const timed = async <T>(stage: string, f: () => T | Promise<T>): Promise<T | undefined> => {
    stages.push(stage);
    const start = performance.now();
    try {
      return await f();
    } catch (e) {
      // The backend reports what it cannot build (no kernel, memory over 4 GiB) as a diagnostic-carrying error.
      if (e instanceof WasmBuildError) return undefined;
      const err = e as Error;
      finding('crash', stage, `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}\n${(err?.stack ?? '').split('\n').slice(1, 6).join('\n')}`);
      return undefined;
    } finally {
      const ms = performance.now() - start;
      if (ms > options.slowMs) finding('slow', stage, `${stage} took ${ms.toFixed(0)} ms`);
      if (heapNow() - memoryBefore > MEMORY_LIMIT) finding('memory', stage, `memory grew by ${((heapNow() - memoryBefore) / 2 ** 20).toFixed(0)} MiB`);
    }
  };

  const parsed = await timed('parse', () => parseSource(text, file));
  if (!parsed) return { findings, stages };
  if (!parsed.diagnostics.some((d) => d.severity === 'error')) {
    await timed('print', () => {
      const once = printSource(parsed.ast);
      const reparsed = parseSource(once, file);
      const errors = reparsed.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        finding('fmt', 'print', `printed text does not parse: ${errors[0]!.code} ${errors[0]!.message}\n--- printed ---\n${once}`);
        return;
      }
      const twice = printSource(reparsed.ast);
      if (twice !== once) finding('fmt', 'print', `printing is not idempotent\n--- once ---\n${once}\n--- twice ---\n${twice}`);
    });
  }

  const checked = await timed('check', () => checkSource(text, file, { files }));
  if (!checked || checked.graphs.length === 0) return { findings, stages };
  for (const symbolic of checked.graphs.slice(0, 3)) {
    const bindings = bindingsFor(symbolic, rng);
    if (bindings.size > 0) {
      await timed('check+bind', () => checkSource(text, file, { files, bindings, entry: symbolic.name }));
    }
    const concrete = await timed('concretize', () => concretize(symbolic, bindings));
    const graph = concrete?.graph;
    if (!graph) continue;
    const summary = await timed('summary', () => summarize(graph));
    // Concretize and summary must survive graphs with errors (the editor shows them); the
    // engines run only what the command line would run: graphs without errors.
    const clean = !checked.diagnostics.some((d) => d.severity === 'error') && !concrete.diagnostics.some((d) => d.severity === 'error');
    if (!summary || !clean || !options.interpret || !smallEnough(graph, summary, 'interpret')) continue;
    const seed = rng.int(0, 1000);
    const result = await timed('interpret', () => interpreterOutputs(graph, seed));
    if (!result) continue;
    for (const m of result.mismatches) finding('mismatch', 'optimize', m);
    if (!options.build || !smallEnough(graph, summary, 'build')) continue;
    const { wasmOutputs } = await import('./run-wasm.ts');
    const wasm = await timed('build', () => wasmOutputs(result.optimized, result.optimizedWeights, result.inputs));
    if (!wasm) continue;
    for (const [name, ref] of result.reference) {
      const got = wasm.get(name);
      const err = got ? relativeError(got, ref.data) : Number.NaN;
      if (!(err < 1e-4)) finding('mismatch', 'build', `wasm output ${name} differs from the interpreter: relative L2 ${err}`);
    }
  }
  return { findings, stages };
}

/** Relative L2 error; NaN or infinity at the same places in both counts as equal. */
export function relativeError(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Number.NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = ref[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
      return Number.NaN;
    }
    num += (x - y) ** 2;
    den += y * y;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
