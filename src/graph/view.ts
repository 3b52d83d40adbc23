/**
 * What a network picture shows, independent of how it is drawn (SVG, DOT, Mermaid): boxes,
 * clusters and labelled edges.
 *
 * Block instances collapse: at depth 0 every top-level block instance is one box; depth N
 * expands N levels of block instances (node.instances) into clusters whose content is shown.
 * Namespaces that are not block instances (`layer1` of a repeat, `downsample` of a seq) come
 * from the dotted hierarchical names and are drawn as lighter clusters; they do not count as
 * a level. Every edge carries the shape of the tensor it stands for.
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { InstanceFrame } from '../diag/diagnostic.ts';
import type { Graph, Node, ValueId } from '../ir/graph.ts';
import { fusionMarks, opSummary, shapeLabel } from './labels.ts';

export type BoxStyle = 'op' | 'block' | 'input' | 'output' | 'fused';

export interface ViewBox {
  kind: 'box';
  id: string;
  /** First line (bold): an instance or value name. */
  title: string;
  /** Further lines: the operator and its attributes, fusion marks, a block's size. */
  detail: string[];
  style: BoxStyle;
  /** The optimiser fused something here (set on fused nodes and on collapsed blocks holding one). */
  marked: boolean;
  /** IR nodes this box stands for (one, or every node of a collapsed block). */
  nodes: number[];
  /** For a collapsed block instance: its name, what `expanded` takes to open it. */
  instance?: string;
}

export interface ViewCluster {
  kind: 'cluster';
  id: string;
  title: string;
  /** An expanded block instance, or a namespace (repeat, seq) drawn lighter. */
  style: 'block' | 'namespace';
  children: ViewItem[];
  /** For an expanded block instance: its name (leave it out of `expanded` to close it). */
  instance?: string;
}

export type ViewItem = ViewBox | ViewCluster;

export interface ViewEdge {
  id: string;
  from: string;
  to: string;
  value: ValueId;
  /** The shape of the tensor, e.g. `[1, 64, 56, 56]`. */
  label: string;
  /** The producer writes this operand straight into the concat's output (no copy). */
  inPlace: boolean;
}

export interface NetworkView {
  name: string;
  items: ViewItem[];
  edges: ViewEdge[];
  /** Levels of block instances expanded, and the deepest nesting there is. */
  depth: number;
  maxDepth: number;
}

export interface ViewOptions {
  /** Levels of block instances to expand; default: the deepest that keeps the picture small. */
  depth?: number;
  /** Block instances to expand beyond `depth`, by instance name (an interactive view's clicks). */
  expanded?: ReadonlySet<string>;
}

/** Boxes a default picture may have before a level stays collapsed. */
export const DEFAULT_MAX_BOXES = 40;

type AnyGraph = Graph<number> | Graph<Dim>;

export function buildView(graph: AnyGraph, options: ViewOptions = {}): NetworkView {
  const maxDepth = Math.max(0, ...graph.nodes.map((n) => n.instances.length));
  let depth = options.depth;
  if (depth === undefined) {
    depth = 0;
    for (let d = maxDepth; d > 0; d--) {
      if (countBoxes(graph as Graph<unknown>, d) <= DEFAULT_MAX_BOXES) {
        depth = d;
        break;
      }
    }
  }
  depth = Math.max(0, Math.min(depth, maxDepth));
  return new ViewBuilder(graph as Graph<unknown>, depth, maxDepth, options.expanded ?? new Set()).build();
}

function countBoxes(graph: Graph<unknown>, depth: number): number {
  const owners = new Set<string>();
  for (const n of graph.nodes) owners.add(n.instances.length > depth ? `b:${outermostFirst(n)[depth]!.instance}` : `n:${n.id}`);
  return owners.size + graph.inputs.length + graph.outputs.length;
}

function outermostFirst(n: Node<unknown>): InstanceFrame[] {
  return [...n.instances].reverse();
}

function calleeName(frame: InstanceFrame): string {
  return frame.callee.replace(/\(\.\.\.\)$/, '');
}

class ViewBuilder {
  private readonly root: ViewCluster = { kind: 'cluster', id: 'root', title: '', style: 'namespace', children: [] };
  private readonly clusters = new Map<string, ViewCluster>();
  private readonly clusterPrefix = new Map<ViewCluster, string>();
  private readonly boxes = new Map<string, ViewBox>();
  /** The box each IR node is drawn in. */
  private readonly boxOfNode = new Map<number, string>();
  private nextId = 0;

  constructor(private readonly graph: Graph<unknown>, private readonly depth: number, private readonly maxDepth: number, private readonly expanded: ReadonlySet<string>) {
    this.clusterPrefix.set(this.root, '');
  }

  build(): NetworkView {
    const g = this.graph;
    for (const io of g.inputs) {
      const box = this.box(this.root, `in:${io.name}`, io.name, ['input', shapeLabel(g.values[io.value]!.shape as (number | Dim)[])], 'input');
      box.nodes = [];
    }
    for (const n of g.nodes) this.place(n);
    for (const io of g.outputs) this.box(this.root, `out:${io.name}`, io.name, ['output'], 'output');
    const edges = this.edges();
    const items = this.root.children.map((c) => this.simplify(c));
    return { name: g.name, items, edges, depth: this.depth, maxDepth: this.maxDepth };
  }

  private id(): string {
    return `v${this.nextId++}`;
  }

  private box(parent: ViewCluster, key: string, title: string, detail: string[], style: BoxStyle): ViewBox {
    const known = this.boxes.get(key);
    if (known) return known;
    const b: ViewBox = { kind: 'box', id: this.id(), title, detail, style, marked: style === 'fused', nodes: [] };
    this.boxes.set(key, b);
    parent.children.push(b);
    return b;
  }

  private cluster(parent: ViewCluster, prefix: string, title: string, style: ViewCluster['style']): ViewCluster {
    const known = this.clusters.get(prefix);
    if (known) return known;
    const c: ViewCluster = { kind: 'cluster', id: this.id(), title, style, children: [] };
    this.clusters.set(prefix, c);
    this.clusterPrefix.set(c, prefix);
    parent.children.push(c);
    return c;
  }

  /** Put a node in its box: its own, or that of the collapsed block instance it belongs to. */
  private place(n: Node<unknown>): void {
    const frames = outermostFirst(n);
    // Open: the first `depth` levels, and further down each instance named in `expanded`.
    let open = 0;
    while (open < frames.length && (open < this.depth || this.expanded.has(frames[open]!.instance))) open++;
    const collapsed = frames[open];
    const expanded = frames.slice(0, open);
    const owner = collapsed ? collapsed.instance : n.name;
    const blockPrefixes = new Map(expanded.map((f) => [f.instance, f]));
    let parent = this.root;
    const consistent = expanded.every((f) => owner.startsWith(`${f.instance}.`));
    if (consistent) {
      // Every dotted prefix of the owner's name is a cluster: a block instance or a namespace.
      const segments = owner.split('.');
      for (let i = 1; i < segments.length; i++) {
        const prefix = segments.slice(0, i).join('.');
        const frame = blockPrefixes.get(prefix);
        const title = frame ? `${this.local(prefix, parent)}: ${calleeName(frame)}` : this.local(prefix, parent);
        parent = this.cluster(parent, prefix, title, frame ? 'block' : 'namespace');
        if (frame) parent.instance = frame.instance;
      }
    } else {
      for (const f of expanded) {
        parent = this.cluster(parent, f.instance, `${f.instance}: ${calleeName(f)}`, 'block');
        parent.instance = f.instance;
      }
    }
    let box: ViewBox;
    if (collapsed) {
      box = this.box(parent, `b:${collapsed.instance}`, this.local(collapsed.instance, parent), [calleeName(collapsed)], 'block');
      box.instance = collapsed.instance;
      // What was fused inside a collapsed block shows on its box.
      for (const m of fusionMarks(n)) {
        if (!box.detail.includes(m)) box.detail.push(m);
        box.marked = true;
      }
    } else {
      const local = this.local(n.name, parent);
      const summary = opSummary(n);
      const marks = fusionMarks(n);
      // `relu#2` says nothing the operator line does not.
      const title = local === n.op || local.startsWith(`${n.op}#`) ? '' : local;
      box = this.box(parent, `n:${n.id}`, title, [summary, ...marks], marks.length > 0 ? 'fused' : 'op');
    }
    box.nodes.push(n.id);
    this.boxOfNode.set(n.id, box.id);
  }

  /** A name relative to the cluster it is drawn in. */
  private local(name: string, parent: ViewCluster): string {
    const prefix = this.clusterPrefix.get(parent) ?? '';
    return prefix !== '' && name.startsWith(`${prefix}.`) ? name.slice(prefix.length + 1) : name;
  }

  private edges(): ViewEdge[] {
    const g = this.graph;
    const source = new Map<ValueId, string>();
    for (const io of g.inputs) source.set(io.value, this.boxes.get(`in:${io.name}`)!.id);
    for (const n of g.nodes) for (const v of n.outputs) source.set(v, this.boxOfNode.get(n.id)!);
    const edges: ViewEdge[] = [];
    const seen = new Set<string>();
    const add = (from: string | undefined, to: string, value: ValueId, inPlace: boolean): void => {
      if (from === undefined || from === to) return;
      const key = `${from}>${to}>${value}`;
      if (seen.has(key)) return;
      seen.add(key);
      const shape = g.values[value]!.shape as (number | Dim)[];
      edges.push({ id: `e${edges.length}`, from, to, value, label: shapeLabel(shape), inPlace });
    };
    for (const n of g.nodes) {
      for (const v of n.inputs) {
        const producer = g.values[v]!.producer;
        const view = producer !== undefined ? g.nodes[producer]!.attrs.outputView : undefined;
        add(source.get(v), this.boxOfNode.get(n.id)!, v, n.op === 'concat' && view?.value === n.outputs[0]);
      }
    }
    for (const io of g.outputs) add(source.get(io.value), this.boxes.get(`out:${io.name}`)!.id, io.value, false);
    return edges;
  }

  /** A namespace cluster around a single item adds nothing: drop it, keeping its title on the item. */
  private simplify(item: ViewItem): ViewItem {
    if (item.kind === 'box') return item;
    item.children = item.children.map((c) => this.simplify(c));
    if (item.style === 'namespace' && item.children.length === 1) {
      const only = item.children[0]!;
      only.title = only.title === '' ? item.title : `${item.title}.${only.title}`;
      return only;
    }
    return item;
  }
}

/** Every box of a view, depth first. */
export function viewBoxes(items: readonly ViewItem[]): ViewBox[] {
  const out: ViewBox[] = [];
  const walk = (it: ViewItem): void => {
    if (it.kind === 'box') out.push(it);
    else it.children.forEach(walk);
  };
  items.forEach(walk);
  return out;
}

/** Every cluster of a view, depth first. */
export function viewClusters(items: readonly ViewItem[]): ViewCluster[] {
  const out: ViewCluster[] = [];
  const walk = (it: ViewItem): void => {
    if (it.kind === 'cluster') {
      out.push(it);
      it.children.forEach(walk);
    }
  };
  items.forEach(walk);
  return out;
}
