import { describe, expect, it } from 'vitest';
import { renderNetwork } from '../../src/graph/render.ts';
import { buildView, viewBoxes, viewClusters, DEFAULT_MAX_BOXES, type ViewItem } from '../../src/graph/view.ts';
import { frontOfSource, graphOf, graphOfSource, NESTED, optimizedGraphOf } from './support.ts';

function titles(items: readonly ViewItem[]): string[] {
  return viewBoxes(items).map((b) => b.title || b.detail[0]!);
}

describe('buildView: collapsing block instances', () => {
  const graph = graphOfSource(NESTED);

  it('depth 0 shows each top-level block instance as one box', () => {
    const v = buildView(graph, { depth: 0 });
    expect(v.depth).toBe(0);
    expect(v.maxDepth).toBe(2);
    const boxes = viewBoxes(v.items);
    const body = boxes.find((b) => b.title === 'body')!;
    expect(body.style).toBe('block');
    expect(body.detail).toEqual(['Outer']);
    // Outer's four nodes (two convs, two relus) and its concat are inside the one box.
    expect(body.nodes).toHaveLength(5);
    // `stages` is a namespace (a repeat), not a block: a cluster holding the two Inner boxes.
    const stages = viewClusters(v.items).find((c) => c.title === 'stages')!;
    expect(stages.style).toBe('namespace');
    expect(titles(stages.children)).toEqual(['0', '1']);
    expect(titles(v.items)).toEqual(['x', 'stem', 'body', '0', '1', 'adaptive_avgpool', 'y']);
  });

  it('`expanded` opens the named instances beyond depth, each box and cluster naming its instance', () => {
    const v = buildView(graph, { depth: 0, expanded: new Set(['body']) });
    const body = viewClusters(v.items).find((c) => c.instance === 'body')!;
    expect(body.style).toBe('block');
    // Outer is open, the instances inside it stay closed and say which instance they are.
    const inner = viewBoxes(body.children).filter((b) => b.instance !== undefined);
    expect(inner.length).toBeGreaterThan(0);
    for (const b of inner) expect(b.instance!.startsWith('body.')).toBe(true);
    const reopened = buildView(graph, { depth: 0, expanded: new Set(['body', inner[0]!.instance!]) });
    expect(viewClusters(reopened.items).some((c) => c.instance === inner[0]!.instance)).toBe(true);
    // Without the option: depth alone, as before.
    expect(viewClusters(buildView(graph, { depth: 0 }).items).some((c) => c.instance !== undefined)).toBe(false);
  });

  it('depth 1 expands Outer into a cluster with its Inner instances collapsed', () => {
    const v = buildView(graph, { depth: 1 });
    const body = viewClusters(v.items).find((c) => c.title === 'body: Outer')!;
    expect(body.style).toBe('block');
    expect(titles(body.children)).toEqual(['first', 'second', 'concat']);
    expect(viewBoxes(body.children).find((b) => b.title === 'first')!.detail).toEqual(['Inner']);
  });

  it('depth 2 shows every operator, nested clusters named relative to their parent', () => {
    const v = buildView(graph, { depth: 2 });
    const boxes = viewBoxes(v.items);
    expect(boxes.filter((b) => b.style === 'op')).toHaveLength(graph.nodes.length);
    const first = viewClusters(v.items).find((c) => c.title === 'first: Inner')!;
    expect(first.children.map((c) => (c.kind === 'box' ? c.detail[0] : c.title))).toEqual(['conv k=3', 'relu']);
    // A depth past the deepest nesting is the deepest nesting.
    expect(buildView(graph, { depth: 9 }).depth).toBe(2);
  });

  it('labels every edge with the shape of its tensor, once per box pair and value', () => {
    const v = buildView(graph, { depth: 0 });
    const byTitle = new Map(viewBoxes(v.items).map((b) => [b.title || b.detail[0]!, b.id]));
    const edge = (a: string, b: string) => v.edges.filter((e) => e.from === byTitle.get(a) && e.to === byTitle.get(b));
    expect(edge('x', 'stem').map((e) => e.label)).toEqual(['[1, 3, 16, 16]']);
    expect(edge('stem', 'body').map((e) => e.label)).toEqual(['[1, 8, 16, 16]']);
    expect(edge('body', '0').map((e) => e.label)).toEqual(['[1, 8, 16, 16]']);
    expect(edge('adaptive_avgpool', 'y').map((e) => e.label)).toEqual(['[1, 8, 1, 1]']);
    // Nothing inside a collapsed box is drawn as an edge, and every edge joins two boxes.
    const ids = new Set(viewBoxes(v.items).map((b) => b.id));
    for (const e of v.edges) {
      expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
      expect(e.from).not.toBe(e.to);
    }
    expect(v.edges).toHaveLength(6);
  });

  it('keeps symbolic sizes when dimensions are not bound', () => {
    const source = 'network S {\n  in x: [N, 3, H, W]\n  out y = x |> conv(4, k=3, stride=2, pad=1)\n}\n';
    const g = graphOfSource(source);
    const v = buildView(g, {});
    expect(v.edges.map((e) => e.label)).toContain('[N, 3, H, W]');
    expect(v.edges.some((e) => /H/.test(e.label) && e.label.startsWith('[N, 4,'))).toBe(true);
    const bound = buildView(frontOfSource(source, { bindings: new Map([['N', 1], ['H', 8], ['W', 8]]) }).graph!, {});
    expect(bound.edges.map((e) => e.label)).toEqual(['[1, 3, 8, 8]', '[1, 4, 4, 4]']);
  });
});

describe('default depth', () => {
  it('is the deepest level that stays within the box budget', () => {
    for (const path of ['examples/googlenet.net', 'examples/resnet50.net']) {
      const g = graphOf(path);
      const v = buildView(g);
      expect(viewBoxes(v.items).length).toBeLessThanOrEqual(DEFAULT_MAX_BOXES);
      if (v.depth < v.maxDepth) {
        expect(viewBoxes(buildView(g, { depth: v.depth + 1 }).items).length).toBeGreaterThan(DEFAULT_MAX_BOXES);
      }
    }
  });

  it('shows ResNet-50 as its stem, four stages of bottlenecks and the head', () => {
    const v = buildView(graphOf('examples/resnet50.net'));
    const stages = viewClusters(v.items).filter((c) => /^layer\d$/.test(c.title));
    expect(stages.map((c) => [c.title, c.children.length])).toEqual([['layer1', 3], ['layer2', 4], ['layer3', 6], ['layer4', 3]]);
    expect(viewBoxes(stages[0]!.children).every((b) => b.detail[0] === 'Bottleneck')).toBe(true);
  });
});

describe('optimized pictures', () => {
  it('mark fused epilogues, horizontally fused 1x1 convs and concats written in place', async () => {
    const g = graphOf('test/fixtures/models/inception_3a.net');
    const r = await renderNetwork(optimizedGraphOf('test/fixtures/models/inception_3a.net'), { format: 'dot', optimized: true });
    const boxes = viewBoxes(r.view!.items);
    const details = boxes.flatMap((b) => b.detail);
    expect(details).toContain('epilogue: relu');
    expect(details.some((d) => /^fused [2-9] 1x1 convs$/.test(d))).toBe(true);
    expect(details).toContain('in place (no copy)');
    expect(boxes.filter((b) => b.marked).length).toBeGreaterThan(3);
    expect(r.view!.edges.some((e) => e.inPlace)).toBe(true);
    // No relu is left as a box of its own: every one was fused.
    expect(boxes.some((b) => b.detail[0] === 'relu')).toBe(false);
    // The unoptimised picture has none of these marks.
    const plain = await renderNetwork(g, { format: 'dot' });
    expect(viewBoxes(plain.view!.items).some((b) => b.marked)).toBe(false);
  });

  it('needs concrete sizes', async () => {
    const source = 'network S {\n  in x: [N, 3, 8, 8]\n  out y = x |> conv(4, k=3)\n}\n';
    const unbound = frontOfSource(source, { optimized: true });
    expect(unbound.failed).toBe('bind');
    expect(unbound.bindDiagnostics.map((d) => d.code)).toContain('NET2106');
    const bound = frontOfSource(source, { optimized: true, bindings: new Map([['N', 1]]) });
    const ok = await renderNetwork(bound.optimized!.graph, { format: 'svg', optimized: true });
    expect(ok.text).toMatch(/^<svg/);
  });
});
