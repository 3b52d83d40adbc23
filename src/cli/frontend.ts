/**
 * The front end (src/frontend/) as the commands past `check` use it: one file, one network,
 * `--bind`, `--input` files whose shapes bind dimension symbols, weights from a safetensors
 * file (renamed through a weight map) or a seed. Diagnostics are printed here; callers get
 * the front end's products or an exit code.
 */
import { resolve } from 'node:path';
import type { SourceLookup } from '../diag/render/source.ts';
import { runFrontend, type FrontendResult, type FrontendStage, type WeightSource } from '../frontend/frontend.ts';
import type { Graph, ParamRef } from '../ir/graph.ts';
import type { OptimizeOptions } from '../passes/pipeline.ts';
import { isTensorFileError } from '../io/errors.ts';
import { readSafetensors } from '../io/safetensors.ts';
import { parseWeightMap } from '../io/weightsMap.ts';
import { loadConfig, parseBindings } from './config.ts';
import { applyRules, ruleProblems } from '../diag/rules.ts';
import { cachedFileHost } from './host.ts';
import { EXIT_ERRORS, UsageError, type CliIO } from './io.ts';
import { readFileBytes as readBytes, readFileText as readText, requireSourceFile } from './files.ts';
import { countBySeverity, printDiagnostics, validateRuleNames } from './report.ts';
import { readInputs } from './tensors.ts';

export interface WeightOptions {
  weights?: string;
  weightsMap?: string;
  randomWeights?: string;
}

export interface NetworkOptions {
  entry?: string;
  bind?: string;
  /** `--input` files: their shapes bind dimension symbols; the tensors are returned. */
  inputs?: string[];
  /** The last stage to run: `bind` (no weights), `weights` or `optimize`. */
  until: Exclude<FrontendStage, 'check'>;
  weights?: WeightOptions;
  /** Seed of random weights when neither --weights nor --random-weights is given. */
  defaultSeed?: number;
  passes?: readonly string[];
  afterPass?: OptimizeOptions['afterPass'];
  onStage?: (stage: FrontendStage) => void;
}

export interface Loaded {
  /** The network with every dimension bound. */
  graph: Graph;
  front: FrontendResult;
  file: string;
  sources: SourceLookup;
}

/** The check passed, but netc.yaml makes one of its warnings an error. */
class StoppedByRules extends Error {}

/** Run the front end on `fileArg`; on errors print them and return an exit code. */
export function loadNetwork(io: CliIO, fileArg: string, options: NetworkOptions): Loaded | number {
  const file = resolve(io.cwd, fileArg);
  const host = cachedFileHost();
  requireSourceFile(file, fileArg);
  if (host.read(file) === undefined) throw new UsageError(`cannot read ${fileArg}`);
  const sources = (f: string) => host.read(f);
  // netc.yaml's rules, as `netc check` applies them: a warning it turns off is not printed, one
  // it makes an error stops the command (CI and the build agree).
  const config = loadConfig(io.cwd);
  validateRuleNames(config.rules);
  const problems = config.path ? ruleProblems(config.rules, config.path, config.ruleSpans) : [];
  // Requirement notes are for `netc check`; past it they would only repeat what is bound.
  const early = (front: Readonly<FrontendResult>) => [
    ...problems,
    ...applyRules([...(front.check?.diagnostics ?? []).filter((d) => d.severity !== 'note'), ...front.bindDiagnostics], config.rules),
  ];
  let reported = false;
  // Warnings of the check are printed before weights are read, which may fail as a usage error.
  const reportEarly = (front: Readonly<FrontendResult>) => {
    if (reported) return;
    reported = true;
    const shown = early(front);
    if (shown.length) printDiagnostics(io, shown, 'human', sources);
  };
  let front: FrontendResult;
  let inputSources = new Map<string, string>();
  try {
    front = runFrontend({
      file,
      host,
      until: options.until,
      entry: options.entry,
      bindings: options.bind ? parseBindings(options.bind) : undefined,
      bindingsSource: 'from --bind',
      inputs: options.inputs
        ? (names, network) => {
            const read = readInputs(io, network, names, options.inputs!);
            inputSources = read.sources;
            return read.tensors;
          }
        : undefined,
      inputSource: (name) => inputSources.get(name) ?? 'the inputs given',
      weights: (params) => weightSource(io, params, options.weights ?? {}, options.defaultSeed),
      passes: options.passes,
      afterPass: options.afterPass,
      onStage: (stage, soFar) => {
        if (stage === 'weights') {
          reportEarly(soFar);
          // A warning netc.yaml makes an error stops here, before weights are looked for.
          if (countBySeverity(early(soFar)).errors > 0) throw new StoppedByRules();
        }
        options.onStage?.(stage);
      },
    });
  } catch (e) {
    if (e instanceof StoppedByRules) return EXIT_ERRORS;
    // An input file that cannot be read as a tensor.
    if (!isTensorFileError(e)) throw e;
    printDiagnostics(io, [e.toDiagnostic()], 'human', () => undefined);
    return EXIT_ERRORS;
  }
  if (front.failed === 'check' || front.failed === 'bind') {
    printDiagnostics(io, early(front), 'human', sources);
    return EXIT_ERRORS;
  }
  reportEarly(front);
  if (countBySeverity(early(front)).errors > 0) return EXIT_ERRORS;
  // Weight diagnostics point at tensor files, which have no source lines to show.
  if (front.weightDiagnostics.length) printDiagnostics(io, front.weightDiagnostics, 'human', () => undefined);
  if (front.failed || countBySeverity(front.weightDiagnostics).errors > 0) return EXIT_ERRORS;
  return { graph: front.graph!, front, file, sources };
}

/** The weights the options name, read once the network is known to need them. */
function weightSource(io: CliIO, params: readonly ParamRef[], options: WeightOptions, defaultSeed: number | undefined): WeightSource {
  if (options.weights && options.randomWeights !== undefined) throw new UsageError('give either --weights or --random-weights, not both');
  if (!options.weights) {
    const seedText = options.randomWeights ?? (defaultSeed !== undefined ? String(defaultSeed) : undefined);
    if (seedText === undefined) {
      if (params.length === 0) return { none: true };
      throw new UsageError('this network has weights: give --weights FILE.safetensors or --random-weights SEED');
    }
    const seed = Number(seedText);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--random-weights takes a non-negative integer seed, not '${seedText}'`);
    return { seed };
  }
  const tensors = readSafetensors(readBytes(resolve(io.cwd, options.weights), options.weights), options.weights);
  const map = options.weightsMap ? parseWeightMap(readText(resolve(io.cwd, options.weightsMap), options.weightsMap), options.weightsMap) : undefined;
  return { tensors, file: options.weights, map, mapFile: options.weightsMap };
}
