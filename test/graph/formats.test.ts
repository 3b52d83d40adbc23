import { describe, expect, it } from 'vitest';
import { toDot } from '../../src/graph/dot.ts';
import { toMermaid } from '../../src/graph/mermaid.ts';
import { renderNetwork } from '../../src/graph/render.ts';
import { toSvg } from '../../src/graph/svg.ts';
import { buildView, viewBoxes, viewClusters } from '../../src/graph/view.ts';
import { graphOf, graphOfSource, NESTED, optimizedGraphOf } from './support.ts';

const nested = graphOfSource(NESTED);

describe('DOT', () => {
  const view = buildView(nested, { depth: 1 });
  const dot = toDot(view);

  it('is one digraph with a node per box, a cluster per expanded block and a labelled edge per edge', () => {
    expect(dot.startsWith('digraph "Net" {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    for (const b of viewBoxes(view.items)) expect(dot).toMatch(new RegExp(`^\\s+${b.id} \\[label=`, 'm'));
    const clusters = [...dot.matchAll(/subgraph cluster_(\w+) \{\n\s+label="([^"]*)"/g)].map((m) => m[2]);
    expect(clusters).toEqual(viewClusters(view.items).map((c) => c.title));
    expect(clusters).toContain('body: Outer');
    const edges = [...dot.matchAll(/^\s+(v\d+) -> (v\d+) \[label="([^"]*)"/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(edges).toEqual(view.edges.map((e) => [e.from, e.to, e.label]));
    // Braces balance: every subgraph is closed.
    expect((dot.match(/\{/g) ?? []).length).toBe((dot.match(/\}/g) ?? []).length);
  });

  it('escapes quotes and marks in-place edges dashed', () => {
    const v = buildView(nested, { depth: 0 });
    v.items.push({ kind: 'box', id: 'q', title: 'say "hi"', detail: [], style: 'op', marked: false, nodes: [] });
    v.edges.push({ id: 'eq', from: 'q', to: v.edges[0]!.to, value: 0, label: '[1]', inPlace: true });
    const text = toDot(v);
    expect(text).toContain('q [label="say \\"hi\\""');
    expect(text).toContain('q -> ');
    expect(text).toMatch(/q -> v\d+ \[label="\[1\] in place", style=dashed\]/);
  });
});

describe('Mermaid', () => {
  const view = buildView(nested, { depth: 1 });
  const text = toMermaid(view);

  it('is a top-down flowchart with subgraphs, boxes and shape-labelled edges', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TB');
    expect(lines.filter((l) => /^\s*subgraph /.test(l))).toHaveLength(viewClusters(view.items).length);
    expect(lines.filter((l) => /^\s*end$/.test(l))).toHaveLength(viewClusters(view.items).length);
    for (const b of viewBoxes(view.items)) expect(lines.some((l) => new RegExp(`^\\s+${b.id}(\\[|\\(\\[)"`).test(l))).toBe(true);
    const edges = lines.filter((l) => l.includes('-->|'));
    expect(edges).toHaveLength(view.edges.length);
    for (const e of view.edges) expect(edges).toContain(`  ${e.from} -->|"${e.label}"| ${e.to}`);
    expect(text).toContain('subgraph');
    expect(text).toContain('"body: Outer"');
    expect(text).toMatch(/class v\d+(,v\d+)* block/);
  });

  it('marks fused boxes and in-place edges of an optimized graph', async () => {
    const r = await renderNetwork(optimizedGraphOf('test/fixtures/models/inception_3a.net'), { format: 'mermaid', optimized: true });
    expect(r.text).toMatch(/-\.->\|"\[1, \d+, 28, 28\] in place"\|/);
    expect(r.text).toMatch(/class v\d+(,v\d+)* fused/);
    // Labels are quoted once: no stray quote can end a label early.
    for (const l of r.text!.split('\n').filter((x) => x.includes('->|'))) expect(l).toMatch(/^ {2}v\d+ -(->|\.->)\|"[^"]*"\| v\d+$/);
  });
});

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function rects(svg: string, cls: string): Rect[] {
  const re = new RegExp(`<g class="${cls}[^"]*"[^>]*><rect x="([-\\d.]+)" y="([-\\d.]+)" width="([\\d.]+)" height="([\\d.]+)"`, 'g');
  return [...svg.matchAll(re)].map((m) => ({ x: +m[1]!, y: +m[2]!, w: +m[3]!, h: +m[4]! }));
}

function overlap(a: Rect, b: Rect): boolean {
  const eps = 0.5;
  return a.x + a.w > b.x + eps && b.x + b.w > a.x + eps && a.y + a.h > b.y + eps && b.y + b.h > a.y + eps;
}

describe('SVG laid out by ELK', () => {
  it.each(['examples/googlenet.net', 'examples/resnet50.net'])('%s: every box and edge label drawn, none overlapping', async (path) => {
    const graph = graphOf(path);
    for (const depth of [undefined, 1]) {
      const r = await renderNetwork(graph, { format: 'svg', depth });
      const svg = r.text!;
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      const boxes = rects(svg, 'box');
      const labels = rects(svg, 'edge-label');
      expect(boxes).toHaveLength(viewBoxes(r.view!.items).length);
      expect(labels).toHaveLength(r.view!.edges.length);
      expect((svg.match(/<g class="cluster"/g) ?? []).length).toBe(viewClusters(r.view!.items).length);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `boxes ${i} and ${j}`).toBe(false);
        for (const l of labels) expect(overlap(boxes[i]!, l), `box ${i} and a label`).toBe(false);
      }
      for (const e of r.view!.edges) expect(svg).toContain(`>${e.label}</text>`);
      // Text is legible: no font below 11px.
      for (const m of svg.matchAll(/font-size="(\d+)"/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(11);
    }
  });

  it('sizes every box to hold its longest line', async () => {
    const view = buildView(nested, { depth: 2 });
    const svg = await toSvg(view);
    const boxes = rects(svg, 'box');
    viewBoxes(view.items).forEach((b, i) => {
      const longest = Math.max(...[b.title, ...b.detail].map((l) => l.length));
      expect(boxes[i]!.w).toBeGreaterThanOrEqual(longest * 12 * 0.6);
    });
  });

  it('escapes text', async () => {
    const view = buildView(nested, { depth: 0 });
    view.items.unshift({ kind: 'box', id: 'q', title: '<a & b>', detail: [], style: 'op', marked: false, nodes: [] });
    const svg = await toSvg(view);
    expect(svg).toContain('&lt;a &amp; b&gt;');
    expect(svg).not.toContain('<a & b>');
  });
});
