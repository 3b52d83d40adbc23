/**
 * `netc graph --format html`: one self-contained page with the interactive viewer of the
 * playground (viewer.ts): pan, zoom, search, click for details, and a legend of fusions.
 * Without a layout engine in the page, opening and closing blocks moves between pictures laid
 * out in advance, one per depth of block instances (0 to the deepest, 3 for GoogLeNet).
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { Graph } from '../ir/graph.ts';
import { viewDetails } from './details.ts';
import { toSvg } from './svg.ts';
import { buildView } from './view.ts';
import { mountGraphViewer, VIEWER_CSS, type ViewerData } from './viewer.ts';

async function levelData(graph: Graph<number> | Graph<Dim>, depth: number, optimized: boolean): Promise<ViewerData> {
  const view = buildView(graph, { depth });
  const svg = await toSvg(view, { subtitle: [`depth ${view.depth} of ${view.maxDepth}`, optimized ? 'optimized' : ''].filter(Boolean).join(', ') });
  return { svg, ...viewDetails(graph, view) };
}

export async function toHtml(graph: Graph<number> | Graph<Dim>, options: { depth?: number; optimized?: boolean } = {}): Promise<string> {
  const maxDepth = buildView(graph, { depth: 0 }).maxDepth;
  const levels: ViewerData[] = [];
  for (let d = 0; d <= maxDepth; d++) levels.push(await levelData(graph, d, !!options.optimized));
  const start = Math.min(options.depth ?? buildView(graph).depth, maxDepth);
  // `<\/` so that no text of the data can close the script element.
  const json = JSON.stringify(levels).replace(/<\//g, '<\\/');
  const title = graph.name.replace(/[&<>]/g, '');
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>${title} — netc graph</title>
<style>html, body { margin: 0; height: 100%; } ${VIEWER_CSS}</style>
<body>
<div id="graph" data-testid="graph" style="height: 100vh"></div>
<script>
// esbuild's name-keeping helper, in case the viewer's source below was transformed with it.
var __name = function (f) { return f; };
var mountGraphViewer = ${mountGraphViewer.toString()};
var levels = ${json};
var depth = ${start};
var viewer = mountGraphViewer(document.getElementById('graph'), {
  expand: function () { if (depth < levels.length - 1) viewer.show(levels[++depth]); },
  collapse: function () { if (depth > 0) viewer.show(levels[--depth]); },
});
viewer.show(levels[depth]);
</script>
</body>
</html>
`;
}
