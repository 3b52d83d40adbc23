/**
 * What every command past `check` does first: check one file, require one network, bind its
 * dimensions, and get its weights (a safetensors file, renamed through a weight map, or
 * seeded random weights). Diagnostics are printed here; callers get a graph or an exit code.
 */
import { resolve } from 'node:path';
import { checkProgram } from '../check/check.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Graph, ParamRef, WeightStore } from '../ir/graph.ts';
import { concretize } from '../check/concretize.ts';
import { isTensorFileError } from '../io/errors.ts';
import { randomWeights } from '../io/randomWeights.ts';
import { readSafetensors } from '../io/safetensors.ts';
import { bindWeights, parseWeightMap, weightProblemDiagnostics } from '../io/weightsMap.ts';
import { parseBindings } from './config.ts';
import { readFileBytes, requireSourceFile } from './files.ts';
import { cachedFileHost } from './host.ts';
import { EXIT_ERRORS, UsageError, type CliIO } from './io.ts';
import { countBySeverity, printDiagnostics, type Format } from './report.ts';

export interface FrontendOptions {
  entry?: string;
  bind?: string;
  format?: Format;
}

export interface Loaded {
  graph: Graph;
  file: string;
  sources: (file: string) => string | undefined;
}

/** Check `file` and bind it to a concrete graph; on errors print them and return an exit code. */
export function loadNetwork(io: CliIO, fileArg: string, options: FrontendOptions): Loaded | number {
  const file = resolve(io.cwd, fileArg);
  const host = cachedFileHost();
  requireSourceFile(file, fileArg);
  if (host.read(file) === undefined) throw new UsageError(`cannot read ${fileArg}`);
  const bindings = options.bind ? parseBindings(options.bind) : new Map<string, number>();
  const result = checkProgram(file, host, { bindings, entry: options.entry, requireEntry: true, hovers: false });
  const diags: Diagnostic[] = result.diagnostics.filter((d) => d.severity !== 'note');
  let graph: Graph | undefined;
  if (countBySeverity(diags).errors === 0 && result.graphs[0]) {
    const c = concretize(result.graphs[0], bindings);
    diags.push(...c.diagnostics);
    graph = c.graph;
  }
  const sources = (f: string) => host.read(f);
  if (countBySeverity(diags).errors > 0 || !graph) {
    printDiagnostics(io, diags, options.format ?? 'human', sources);
    return EXIT_ERRORS;
  }
  if (diags.length && (options.format ?? 'human') === 'human') printDiagnostics(io, diags, 'human', sources);
  return { graph, file, sources };
}

export function allParams(graph: Graph): ParamRef[] {
  const seen = new Map<string, ParamRef>();
  for (const n of graph.nodes) for (const p of Object.values(n.params)) seen.set(p.name, p);
  return [...seen.values()];
}

export interface WeightOptions {
  weights?: string;
  weightsMap?: string;
  randomWeights?: string;
}

/** Weights for a graph, or an exit code after printing what is missing, unexpected or mis-shaped. */
export function loadWeights(io: CliIO, graph: Graph, options: WeightOptions, defaultSeed?: number): WeightStore | number {
  const params = allParams(graph);
  if (options.weights && options.randomWeights !== undefined) throw new UsageError('give either --weights or --random-weights, not both');
  if (!options.weights) {
    const seedText = options.randomWeights ?? (defaultSeed !== undefined ? String(defaultSeed) : undefined);
    if (seedText === undefined) {
      if (params.length === 0) return new Map();
      throw new UsageError('this network has weights: give --weights FILE.safetensors or --random-weights SEED');
    }
    const seed = Number(seedText);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--random-weights takes a non-negative integer seed, not '${seedText}'`);
    return randomWeights(params, seed);
  }
  const path = resolve(io.cwd, options.weights);
  try {
    const file = readSafetensors(readBytes(path, options.weights), options.weights);
    const map = options.weightsMap ? parseWeightMap(readText(resolve(io.cwd, options.weightsMap), options.weightsMap), options.weightsMap) : undefined;
    const { weights, problems } = bindWeights(params, file, map, options.weightsMap);
    const diags = weightProblemDiagnostics(problems, options.weights);
    if (diags.length) printDiagnostics(io, diags, 'human', () => undefined);
    if (countBySeverity(diags).errors > 0) return EXIT_ERRORS;
    return weights;
  } catch (e) {
    if (isTensorFileError(e)) {
      printDiagnostics(io, [e.toDiagnostic()], 'human', () => undefined);
      return EXIT_ERRORS;
    }
    throw e;
  }
}

export function readBytes(path: string, shown: string): Uint8Array {
  return readFileBytes(path, shown);
}

export function readText(path: string, shown: string): string {
  return new TextDecoder().decode(readBytes(path, shown));
}
