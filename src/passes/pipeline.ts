/**
 * The optimisation pipeline: the list of passes and their order, in one place.
 *
 * Order matters: batch norms fold before 1x1 chains compose (so a conv-bn-conv chain becomes
 * one conv); activations and residual adds fuse before parallel 1x1 convs combine (members of
 * a combined conv must share their epilogue); views and in-place concats are decided before
 * memory is planned, which comes last.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';
import { cleanup } from './cleanup.ts';
import { concatInPlace } from './concat-in-place.ts';
import { foldBatchNorm } from './fold-batchnorm.ts';
import { fuse1x1Horizontal } from './fuse-1x1-horizontal.ts';
import { fuse1x1Vertical } from './fuse-1x1-vertical.ts';
import { fuseEpilogue } from './fuse-epilogue.ts';
import { ExplainLog, type Pass } from './pass.ts';
import { planMemoryPass } from './plan-memory.ts';

export const PASSES: readonly Pass[] = [
  cleanup,
  foldBatchNorm,
  fuse1x1Vertical,
  fuseEpilogue,
  fuse1x1Horizontal,
  concatInPlace,
  planMemoryPass,
];

export function passNames(): string[] {
  return PASSES.map((p) => p.name);
}

export interface OptimizeOptions {
  /** Run only these passes (in pipeline order). Default: all. `[]` runs none. */
  passes?: readonly string[];
  /** Called with the graph after each pass that ran (for --dump-ir=after:PASS). */
  afterPass?: (pass: string, graph: Graph) => void;
}

export interface OptimizeResult {
  graph: Graph;
  weights: WeightStore;
  log: ExplainLog;
}

/** Unknown names in `passes` are reported by the caller via `unknownPasses`. */
export function unknownPasses(names: readonly string[]): string[] {
  const known = new Set(passNames());
  return names.filter((n) => !known.has(n));
}

export function optimize(graph: Graph, weights: WeightStore, options: OptimizeOptions = {}): OptimizeResult {
  const log = new ExplainLog();
  const selected = options.passes ? new Set(options.passes) : undefined;
  let g = graph;
  let w = weights;
  for (const pass of PASSES) {
    if (selected && !selected.has(pass.name)) continue;
    ({ graph: g, weights: w } = pass.run(g, w, log));
    options.afterPass?.(pass.name, g);
  }
  return { graph: g, weights: w, log };
}
