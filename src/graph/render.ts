/**
 * From a network's graph to a picture: build the view and write it in the requested format.
 * The graph comes from the front end (src/frontend/): symbolic, bound to concrete sizes, or
 * optimised; `netc graph` chooses which, and tests call `renderNetwork` directly.
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { Graph } from '../ir/graph.ts';
import { toDot } from './dot.ts';
import { toHtml } from './html.ts';
import { toMermaid } from './mermaid.ts';
import { toSvg } from './svg.ts';
import { buildView, type NetworkView } from './view.ts';

export type GraphFormat = 'svg' | 'dot' | 'mermaid' | 'html';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['svg', 'dot', 'mermaid', 'html'];

export interface RenderOptions {
  format: GraphFormat;
  /** Levels of block instances to expand; default: chosen by size (view.ts). */
  depth?: number;
  /** The graph went through the optimisation passes (said in the SVG's subtitle). */
  optimized?: boolean;
}

export interface RenderResult {
  text: string;
  view: NetworkView;
}

export async function renderNetwork(graph: Graph<number> | Graph<Dim>, options: RenderOptions): Promise<RenderResult> {
  const view = buildView(graph, { depth: options.depth });
  switch (options.format) {
    case 'dot':
      return { text: toDot(view), view };
    case 'mermaid':
      return { text: toMermaid(view), view };
    case 'svg': {
      const subtitle = [`depth ${view.depth} of ${view.maxDepth}`, options.optimized ? 'optimized' : ''].filter(Boolean).join(', ');
      return { text: await toSvg(view, { subtitle }), view };
    }
    case 'html':
      return { text: await toHtml(graph, { depth: options.depth, optimized: options.optimized }), view };
  }
}
