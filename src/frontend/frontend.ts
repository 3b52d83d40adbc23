/**
 * The front end every consumer shares: check -> bind dimensions -> bind weights -> optimise.
 * `compile` (api.ts), every command of the command line, `netc graph` and the language
 * server call `runFrontend` and stop at the stage they need; each stage's product is
 * returned, with the diagnostics of every stage that ran. A stage with errors stops the
 * run, and `failed` names it. Nothing here reads files or prints: sources come through a
 * `SourceHost`, and tensors (weights, inputs) through callbacks that run only once the
 * stages before them succeeded, so a check error is reported before a weight file is read.
 */
import { checkProgram, type CheckResult, type SourceHost } from '../check/check.ts';
import { concretize } from '../check/concretize.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import { syntheticSpan } from '../diag/span.ts';
import type { AdjustableLimits } from '../ir/limits.ts';
import type { Dim } from '../ir/dim/dim.ts';
import type { Graph, ParamRef, WeightStore } from '../ir/graph.ts';
import { graphParams } from '../ir/params.ts';
import { shapeToString, type Tensor } from '../ir/tensor.ts';
import { isTensorFileError } from '../io/errors.ts';
import { randomWeights } from '../io/randomWeights.ts';
import { bindWeights, weightProblemDiagnostics, type WeightMap } from '../io/weightsMap.ts';
import { optimize, unknownPasses, type OptimizeOptions, type OptimizeResult } from '../passes/pipeline.ts';
import { bindingsFromInputs } from './input-bindings.ts';

/** The stages in order; `until` names the last one to run. */
export type FrontendStage = 'check' | 'bind' | 'weights' | 'optimize';
const STAGES: readonly FrontendStage[] = ['check', 'bind', 'weights', 'optimize'];

export type WeightSource =
  /** Tensors by name (e.g. a safetensors file), renamed through `map`; `file` names them in diagnostics. */
  | { tensors: WeightStore; file: string; map?: WeightMap; mapFile?: string }
  /** Deterministic random weights from a seed (io/randomWeights.ts). */
  | { seed: number }
  /** No weights: NET4005 when the network has any. */
  | { none: true };

export interface FrontendRequest {
  /** The file to check, read through `host`. */
  file: string;
  host: SourceHost;
  /** The last stage to run (default `optimize`). */
  until?: FrontendStage;
  /** The network to use when the file has several. */
  entry?: string;
  /**
   * With `until: 'check'`: check every network of the file when no `entry` is given
   * (`netc check`, the language server). Otherwise the file must hold exactly one.
   */
  allNetworks?: boolean;
  /** Collect hover records (the language server); off by default. */
  hovers?: boolean;
  limits?: AdjustableLimits;
  /** Sizes of dimension symbols (`--bind`, netc.yaml, the API's `bindings`). */
  bindings?: ReadonlyMap<string, number>;
  /** How diagnostics name where `bindings` came from (NET3007); default `from the bindings`. */
  bindingsSource?: string;
  /**
   * Input tensors by input name, given the network's input names. Their shapes bind the
   * dimension symbols of the inputs' declarations (input-bindings.ts) and must match the
   * bound shapes (NET3004).
   */
  inputs?: (names: readonly string[], network: string) => Map<string, Tensor>;
  /** Where an input's tensor came from, for messages (NET3004); default `the inputs given`. */
  inputSource?: (name: string) => string;
  /** The weights, given the parameters the bound graph expects. */
  weights?: (params: readonly ParamRef[]) => WeightSource;
  /** Passes to run, in pipeline order (default all); unknown names are NET4006. */
  passes?: readonly string[];
  afterPass?: OptimizeOptions['afterPass'];
  /** Called as each stage starts, with the products so far (progress display, early reports). */
  onStage?: (stage: FrontendStage, soFar: Readonly<FrontendResult>) => void;
}

export interface FrontendResult {
  /** Every diagnostic of the stages that ran, in stage order. */
  diagnostics: Diagnostic[];
  /** The stage whose errors stopped the run; undefined when every requested stage ran clean. */
  failed?: FrontendStage;
  check?: CheckResult;
  /** The network with symbolic dimensions (the first checked one). */
  symbolic?: Graph<Dim>;
  /** Diagnostics of the bind stage: conflicting input sizes, concretization, input shapes. */
  bindDiagnostics: Diagnostic[];
  /** Every binding used: the request's and those read off the inputs. */
  bindings?: ReadonlyMap<string, number>;
  inputs?: Map<string, Tensor>;
  /** The network with every dimension bound. */
  graph?: Graph<number>;
  params?: ParamRef[];
  /** Diagnostics of the weight stage (their spans name tensor files, not sources). */
  weightDiagnostics: Diagnostic[];
  weights?: WeightStore;
  optimized?: OptimizeResult;
}

const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

export function runFrontend(request: FrontendRequest): FrontendResult {
  const until = STAGES.indexOf(request.until ?? 'optimize');
  const result: FrontendResult = { diagnostics: [], bindDiagnostics: [], weightDiagnostics: [] };
  const fail = (stage: FrontendStage): FrontendResult => ({ ...result, failed: stage });
  const bindings = request.bindings ?? new Map<string, number>();
  const check = (withBindings: ReadonlyMap<string, number>): CheckResult =>
    checkProgram(request.file, request.host, {
      bindings: withBindings,
      entry: request.entry,
      requireEntry: !(request.allNetworks && until === 0),
      hovers: request.hovers ?? false,
      limits: request.limits,
    });

  request.onStage?.('check', result);
  let checked = check(bindings);
  result.check = checked;
  result.symbolic = checked.graphs[0];
  result.diagnostics.push(...checked.diagnostics);
  if (hasErrors(checked.diagnostics)) return fail('check');
  if (until < 1) return result;
  if (!result.symbolic) return fail('check');

  request.onStage?.('bind', result);
  let allBindings: ReadonlyMap<string, number> = bindings;
  if (request.inputs) {
    const inputs = request.inputs(result.symbolic.inputs.map((i) => i.name), result.symbolic.name);
    result.inputs = inputs;
    const shapes = new Map([...inputs].map(([name, t]) => [name, t.shape]));
    const read = bindingsFromInputs(result.symbolic, checked.files, bindings, request.bindingsSource ?? 'from the bindings', shapes);
    result.bindDiagnostics.push(...read.diagnostics);
    if (read.derived.size > 0 && read.diagnostics.length === 0) {
      // Checked again with the sizes bound, exactly as if they had been given as bindings.
      allBindings = new Map([...bindings, ...read.derived]);
      checked = check(allBindings);
      result.check = checked;
      result.symbolic = checked.graphs[0];
      result.diagnostics = [...checked.diagnostics];
      if (hasErrors(checked.diagnostics) || !result.symbolic) return fail('check');
    }
  }
  result.bindings = allBindings;
  if (!hasErrors(result.bindDiagnostics)) {
    const bound = concretize(result.symbolic, allBindings);
    result.bindDiagnostics.push(...bound.diagnostics);
    result.graph = bound.graph;
    if (bound.graph && result.inputs) result.bindDiagnostics.push(...inputShapeDiagnostics(bound.graph, result.inputs, request.inputSource));
  }
  result.diagnostics.push(...result.bindDiagnostics);
  if (hasErrors(result.bindDiagnostics) || !result.graph) return fail('bind');
  const graph = result.graph;
  if (until < 2) return result;

  request.onStage?.('weights', result);
  const params = graphParams(graph);
  result.params = params;
  const weights = bindWeightSource(() => request.weights?.(params) ?? { none: true }, params, graph.name, request.file, result.weightDiagnostics);
  result.diagnostics.push(...result.weightDiagnostics);
  if (!weights) return fail('weights');
  result.weights = weights;
  if (until < 3) return result;

  request.onStage?.('optimize', result);
  const unknown = unknownPasses(request.passes ?? []);
  if (unknown.length > 0) {
    result.diagnostics.push(diag('NET4006', syntheticSpan(request.file), { names: unknown.join(', ') }));
    return fail('optimize');
  }
  result.optimized = optimize(graph, weights, { passes: request.passes, afterPass: request.afterPass });
  return result;
}

function bindWeightSource(getSource: () => WeightSource, params: ParamRef[], network: string, file: string, out: Diagnostic[]): WeightStore | undefined {
  try {
    const source = getSource();
    if ('seed' in source) return randomWeights(params, source.seed);
    if ('none' in source) {
      if (params.length === 0) return new Map();
      out.push(diag('NET4005', syntheticSpan(file), { network, count: params.length }));
      return undefined;
    }
    const bound = bindWeights(params, source.tensors, source.map, source.mapFile);
    out.push(...weightProblemDiagnostics(bound.problems, source.file));
    return hasErrors(out) ? undefined : bound.weights;
  } catch (e) {
    // An unreadable weight file, or a weight map renaming two tensors to one name (NET3020).
    if (!isTensorFileError(e)) throw e;
    out.push(e.toDiagnostic());
    return undefined;
  }
}

/** Each given input against its bound shape, at the input's declaration. */
function inputShapeDiagnostics(graph: Graph<number>, inputs: ReadonlyMap<string, Tensor>, sourceOf?: (name: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const io of graph.inputs) {
    const t = inputs.get(io.name);
    const value = graph.values[io.value]!;
    if (!t || (t.shape.length === value.shape.length && t.shape.every((d, a) => d === value.shape[a]))) continue;
    out.push(diag('NET3004', value.span ?? syntheticSpan(), { name: io.name, got: shapeToString(t.shape), expected: shapeToString(value.shape), source: sourceOf?.(io.name) ?? 'the inputs given' }));
  }
  return out;
}
