/** The `netc summary` table for the page: layers with their source lines, totals, memory plan. */
import { summarize } from '../../../src/check/summary.ts';
import { numel } from '../../../src/ir/tensor.ts';
import type { Responses, SourceRequest } from '../protocol.ts';
import { diagItems } from './diagnostics.ts';
import { front } from './front.ts';

export function summary(req: SourceRequest): Responses['summary'] {
  const t0 = performance.now();
  const f = front(req, 'optimize');
  const sources = (p: string): string | undefined => (p === req.file ? req.text : undefined);
  const diagnostics = diagItems(f.diagnostics, req.file, sources);
  if (f.failed || !f.graph || !f.optimized) return { diagnostics, ms: performance.now() - t0 };
  const s = summarize(f.graph);
  const g = f.graph;
  const weightBytes = 4 * [...new Map(g.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()].reduce((sum, p) => sum + numel(p.shape), 0);
  return {
    summary: {
      entry: s.entry,
      inputs: s.inputs,
      outputs: s.outputs,
      layers: s.layers.map((l, i) => ({ ...l, line: g.nodes[i]!.span.start.line })),
      totals: { ...s.totals, arenaBytes: f.optimized.graph.memory?.arenaBytes ?? 0, weightBytes },
    },
    diagnostics,
    ms: performance.now() - t0,
  };
}
