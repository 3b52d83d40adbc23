/**
 * The picture of the network for the graph panel: the CLI's view (src/graph/view.ts) with the
 * block instances the user opened, laid out by the same ELK code (svg.ts), and what each box
 * shows when clicked (graph/details.ts).
 */
import { viewDetails } from '../../../src/graph/details.ts';
import { toSvg } from '../../../src/graph/svg.ts';
import { buildView } from '../../../src/graph/view.ts';
import type { Responses, SourceRequest } from '../protocol.ts';
import { diagItems } from './diagnostics.ts';
import { front } from './front.ts';

export async function graph(req: SourceRequest & { expanded: string[]; optimized: boolean }): Promise<Responses['graph']> {
  const t0 = performance.now();
  const f = front(req, req.optimized ? 'optimize' : 'bind');
  const sources = (p: string): string | undefined => (p === req.file ? req.text : undefined);
  const diagnostics = diagItems(f.diagnostics, req.file, sources);
  if (f.failed === 'check' || (req.optimized && f.failed)) return { diagnostics, ms: performance.now() - t0 };
  const g = req.optimized ? f.optimized!.graph : f.graph ?? f.symbolic!;
  // Depth 0: every block starts closed; the user opens the ones to look into.
  const view = buildView(g, { depth: 0, expanded: new Set(req.expanded) });
  const svg = await toSvg(view, { subtitle: req.optimized ? 'optimized' : '' });
  return { graph: { svg, ...viewDetails(g, view, req.file), depth: view.depth, maxDepth: view.maxDepth }, diagnostics, ms: performance.now() - t0 };
}
