/**
 * What a pipeline stage became in the checked networks: for each instance of the stage (a
 * stage inside a block has one per instantiation), its hierarchical name, output shape,
 * weights with their shapes, parameter count and MACs. The checker's graphs carry the stage's
 * span on every node it produced (an operator call) or in the instance chain of those nodes
 * (a block call), so the nodes of a stage are found by span.
 */
import { concretize } from '../check/concretize.ts';
import { summarize } from '../check/summary.ts';
import type { Span } from '../diag/span.ts';
import { dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Graph, Node } from '../ir/graph.ts';
import type * as A from '../syntax/ast.ts';
import type { Analysis } from './workspace.ts';

export interface StageInstance {
  /** Hierarchical instance name (`layer1.0.conv1`), as weight names start. */
  name: string;
  output?: string;
  weights: { name: string; shape: string }[];
  /** Trainable parameters and MACs; undefined while sizes are symbolic. */
  params?: number;
  macs?: number;
}

const MAX_INSTANCES = 4;
const MAX_WEIGHTS = 12;

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

const shapeText = (shape: readonly Dim[]): string => `[${shape.map(dimToString).join(', ')}]`;

/** Per-layer parameter and MAC counts of each graph that has concrete sizes, cached per analysis. */
const countsCache = new WeakMap<Analysis, Map<Graph<Dim>, Map<string, { params: number; macs: number }> | undefined>>();

function countsOf(a: Analysis, graph: Graph<Dim>): Map<string, { params: number; macs: number }> | undefined {
  let perGraph = countsCache.get(a);
  if (!perGraph) countsCache.set(a, (perGraph = new Map()));
  if (!perGraph.has(graph)) {
    const c = concretize(graph, new Map());
    perGraph.set(graph, c.graph ? new Map(summarize(c.graph).layers.map((l) => [l.name, { params: l.params, macs: l.macs }])) : undefined);
  }
  return perGraph.get(graph);
}

/**
 * The instances of `stage` in every network checked in `analyses` (the document's, and those
 * of other open documents that instantiate its blocks), at most a few.
 */
export function stageInstances(analyses: Analysis[], stage: A.Stage): { instances: StageInstance[]; more: number } {
  const groups = new Map<string, { a: Analysis; graph: Graph<Dim>; nodes: Node<Dim>[] }>();
  for (const a of analyses) for (const graph of a.check.graphs) {
    for (const node of graph.nodes) {
      let key: string | undefined;
      if (sameSpan(node.span, stage.span)) key = node.name;
      else key = node.instances.find((f) => sameSpan(f.span, stage.span))?.instance;
      if (key === undefined) continue;
      key = `${graph.name}\u0000${key}`;
      const g = groups.get(key) ?? { a, graph, nodes: [] };
      g.nodes.push(node);
      groups.set(key, g);
    }
  }
  const instances: StageInstance[] = [];
  for (const [key, g] of [...groups].slice(0, MAX_INSTANCES)) {
    const name = key.slice(key.indexOf('\u0000') + 1);
    const last = g.nodes[g.nodes.length - 1]!;
    const counts = countsOf(g.a, g.graph);
    const weights = g.nodes.flatMap((n) => Object.values(n.params).map((p) => ({ name: p.name, shape: shapeText(p.shape) })));
    const inst: StageInstance = { name, output: shapeText(g.graph.values[last.outputs[0]!]!.shape), weights };
    if (counts) {
      inst.params = g.nodes.reduce((s, n) => s + (counts.get(n.name)?.params ?? 0), 0);
      inst.macs = g.nodes.reduce((s, n) => s + (counts.get(n.name)?.macs ?? 0), 0);
    }
    instances.push(inst);
  }
  return { instances, more: Math.max(0, groups.size - MAX_INSTANCES) };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Markdown for the instances of a stage, or undefined when no network instantiates it. */
export function instancesMarkdown(analyses: Analysis[], stage: A.Stage): string | undefined {
  const { instances, more } = stageInstances(analyses, stage);
  if (instances.length === 0) return undefined;
  // An unlabelled stage without weights (`|> relu`) has nothing to add to its output shape.
  if (stage.label === undefined && instances.every((i) => i.weights.length === 0)) return undefined;
  const parts = instances.map((inst) => {
    const lines = [`**${inst.name}**${inst.output ? ` → \`${inst.output}\`` : ''}`];
    if (inst.params !== undefined && inst.macs !== undefined) lines.push(`${count(inst.params)} parameters, ${count(inst.macs)} MACs`);
    if (inst.weights.length > 0) {
      const shown = inst.weights.slice(0, MAX_WEIGHTS).map((w) => `${w.name} ${w.shape}`);
      if (inst.weights.length > MAX_WEIGHTS) shown.push(`… and ${inst.weights.length - MAX_WEIGHTS} more weights`);
      lines.push(['```', ...shown, '```'].join('\n'));
    }
    return lines.join('\n\n');
  });
  if (more > 0) parts.push(`… and ${more} more instances`);
  return parts.join('\n\n');
}

/** The stage whose label or block call is at the end of `path` (the nodes under the cursor). */
export function stageOfLabelOrCall(path: A.Node[]): A.Stage | undefined {
  const n = path[path.length - 1];
  const parent = path[path.length - 2];
  if (n?.kind !== 'Ident' && n?.kind !== 'IntLit') return undefined;
  if (parent?.kind === 'Stage' && parent.label === n) return parent;
  const stage = path[path.length - 3];
  if (parent?.kind === 'CallStage' && parent.callee === n && stage?.kind === 'Stage') return stage;
  return undefined;
}
