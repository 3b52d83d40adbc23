/**
 * From a checked network to a picture: pick the graph (symbolic, bound to concrete sizes, or
 * optimised with random weights so the passes can run), build the view and write it in the
 * requested format. The CLI's `netc graph` and tests call `renderNetwork`.
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Graph, ParamRef } from '../ir/graph.ts';
import { concretize } from '../check/concretize.ts';
import { randomWeights } from '../io/randomWeights.ts';
import { optimize } from '../passes/pipeline.ts';
import { toDot } from './dot.ts';
import { toMermaid } from './mermaid.ts';
import { toSvg } from './svg.ts';
import { buildView, type NetworkView } from './view.ts';

export type GraphFormat = 'svg' | 'dot' | 'mermaid';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['svg', 'dot', 'mermaid'];

export interface RenderOptions {
  format: GraphFormat;
  /** Levels of block instances to expand; default: chosen by size (view.ts). */
  depth?: number;
  /** Run the optimisation passes (with random weights) and mark what they fused. */
  optimized?: boolean;
  bindings?: ReadonlyMap<string, number>;
  /** Seed of the random weights the passes see (they only need values to fold). */
  seed?: number;
}

export interface RenderResult {
  text?: string;
  view?: NetworkView;
  /** Why the graph could not be drawn as asked (unbound sizes with --optimized). */
  diagnostics: Diagnostic[];
}

/** The graph to draw: optimised, concrete when every size is known, else symbolic. */
export function graphToDraw(graph: Graph<Dim>, options: Pick<RenderOptions, 'optimized' | 'bindings' | 'seed'>): { graph?: Graph<number> | Graph<Dim>; diagnostics: Diagnostic[] } {
  const bound = concretize(graph, options.bindings ?? new Map());
  if (!options.optimized) return { graph: bound.graph ?? graph, diagnostics: [] };
  if (!bound.graph) return { diagnostics: bound.diagnostics };
  const params = new Map<string, ParamRef>();
  for (const n of bound.graph.nodes) for (const p of Object.values(n.params)) params.set(p.name, p);
  const weights = randomWeights([...params.values()], options.seed ?? 0);
  return { graph: optimize(bound.graph, weights).graph, diagnostics: [] };
}

export async function renderNetwork(graph: Graph<Dim>, options: RenderOptions): Promise<RenderResult> {
  const chosen = graphToDraw(graph, options);
  if (!chosen.graph) return { diagnostics: chosen.diagnostics };
  const view = buildView(chosen.graph, { depth: options.depth });
  switch (options.format) {
    case 'dot':
      return { text: toDot(view), view, diagnostics: [] };
    case 'mermaid':
      return { text: toMermaid(view), view, diagnostics: [] };
    case 'svg': {
      const subtitle = [`depth ${view.depth} of ${view.maxDepth}`, options.optimized ? 'optimized' : ''].filter(Boolean).join(', ');
      return { text: await toSvg(view, { subtitle }), view, diagnostics: [] };
    }
  }
}
