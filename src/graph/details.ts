/**
 * What an interactive picture shows when a box is clicked: its operators and attributes,
 * weight names and shapes, parameters, MACs and source line, for every box of a view. Shared
 * by `netc graph --format html` and the playground.
 */
import { dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { nodeMacs, opByName } from '../ops/registry.ts';
import { fusionMarks, opSummary } from './labels.ts';
import { viewBoxes, viewClusters, type NetworkView } from './view.ts';

export interface BoxDetails {
  title: string;
  ops: string[];
  attrs: Record<string, string>;
  weights: { name: string; shape: (number | string)[] }[];
  params: number;
  macs: number;
  /** 1-based line in the main file: of the operator call, or of the instance it came through there. */
  line: number;
  /** The file of `line`. */
  file: string;
  /** A collapsed block instance: the name that expands it. */
  instance?: string;
  marks: string[];
}

export interface ViewDetails {
  boxes: Record<string, BoxDetails>;
  /** Expanded block clusters: view item id to instance name. */
  clusters: Record<string, string>;
  /** Every fusion mark in the picture (for a legend). */
  legend: string[];
}

const dimText = (d: number | Dim): number | string => (typeof d === 'number' ? d : dimToString(d));

function attrText(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function concreteMacs(n: Node<unknown>, g: Graph<unknown>): number {
  const ins = n.inputs.map((v) => g.values[v]!.shape as unknown[]);
  const out = g.values[n.outputs[0]!]!.shape as unknown[];
  // MACs need concrete sizes; a symbolic picture shows none.
  if (![...ins, out].every((s) => s.every((d) => typeof d === 'number'))) return 0;
  return nodeMacs(n, ins as number[][], out as number[]);
}

/**
 * `file`: the file the picture's lines refer to (the edited one); a node from an imported
 * block is placed at the line of the instance that brought it there.
 */
export function viewDetails(graph: Graph<number> | Graph<Dim>, view: NetworkView, file?: string): ViewDetails {
  const g = graph as Graph<unknown>;
  const boxes: Record<string, BoxDetails> = {};
  const legend = new Set<string>();
  for (const b of viewBoxes(view.items)) {
    const nodes = b.nodes.map((id) => g.nodes[id]!);
    const weights = new Map<string, (number | string)[]>();
    let params = 0;
    let macs = 0;
    for (const n of nodes) {
      for (const p of Object.values(n.params)) {
        if (weights.has(p.name)) continue;
        const shape = (p.shape as (number | Dim)[]).map(dimText);
        weights.set(p.name, shape);
        if (p.trainable && shape.every((d) => typeof d === 'number')) params += (shape as number[]).reduce((a, c) => a * c, 1);
      }
      macs += concreteMacs(n, g);
    }
    const marks = nodes.flatMap(fusionMarks);
    marks.forEach((m) => legend.add(m.replace(/^fused \d+/, 'fused N')));
    const single = nodes.length === 1 ? nodes[0]! : undefined;
    const attrs: Record<string, string> = {};
    if (single) for (const [k, v] of Object.entries(single.attrs)) if (v !== undefined) attrs[k] = attrText(v);
    const frame = b.instance ? nodes[0]?.instances.find((f) => f.instance === b.instance) : undefined;
    const spans = nodes[0] ? [...(frame ? [frame.span] : []), nodes[0].span, ...nodes[0].instances.map((f) => f.span)] : [];
    const span = spans.find((sp) => file === undefined || sp.file === file);
    boxes[b.id] = {
      title: b.title || (single ? single.name : b.id),
      ops: single ? [opSummary(single)] : b.detail.slice(0, 1),
      attrs,
      weights: [...weights].map(([name, shape]) => ({ name, shape })),
      params,
      macs,
      line: span?.start.line ?? 0,
      file: span?.file ?? '',
      ...(b.instance ? { instance: b.instance } : {}),
      marks: [...new Set(marks)],
    };
  }
  const clusters: Record<string, string> = {};
  for (const c of viewClusters(view.items)) if (c.instance) clusters[c.id] = c.instance;
  return { boxes, clusters, legend: [...legend] };
}
