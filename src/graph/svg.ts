/**
 * SVG pictures of a network view. ELK (elkjs, pure JavaScript) lays out boxes, clusters and
 * edge labels; this file measures text, hands ELK the sizes, and writes the SVG from ELK's
 * coordinates. Text is monospace so that its width is known without a font engine: every
 * box is exactly as wide as its longest line, which is what keeps labels from overlapping.
 */
import ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { BoxStyle, NetworkView, ViewCluster, ViewItem } from './view.ts';

const FONT = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
/** Advance of one character of a monospace font, in ems (DejaVu Sans Mono: 1233/2048). */
const CHAR_EM = 0.61;
const TITLE_SIZE = 13;
const DETAIL_SIZE = 12;
const EDGE_SIZE = 11;
const LINE_GAP = 4;
const BOX_PAD_X = 10;
const BOX_PAD_Y = 7;
const CLUSTER_TITLE = 24;
const HEADER = 34;

// elkjs is CommonJS: its default import is the constructor at run time, typed as the module.
const ElkConstructor = ((ElkModule as unknown as { default?: unknown }).default ?? ElkModule) as new () => ELK;

function textWidth(s: string, size: number): number {
  return Math.ceil([...s].length * size * CHAR_EM);
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Palette {
  fill: string;
  stroke: string;
}

const BOX_COLOURS: Record<BoxStyle, Palette> = {
  op: { fill: '#ffffff', stroke: '#5f6b76' },
  block: { fill: '#dbe9f6', stroke: '#3c6e9f' },
  input: { fill: '#e3f1df', stroke: '#4f8a3c' },
  output: { fill: '#e3f1df', stroke: '#4f8a3c' },
  fused: { fill: '#fde9c9', stroke: '#c77c02' },
};

interface BoxLines {
  title: string;
  detail: string[];
}

function boxSize(b: BoxLines): { width: number; height: number } {
  const widths = [b.title ? textWidth(b.title, TITLE_SIZE) : 0, ...b.detail.map((l) => textWidth(l, DETAIL_SIZE))];
  const lines = (b.title ? TITLE_SIZE + LINE_GAP : 0) + b.detail.length * (DETAIL_SIZE + LINE_GAP) - LINE_GAP;
  return { width: Math.max(...widths) + 2 * BOX_PAD_X, height: Math.max(lines, DETAIL_SIZE) + 2 * BOX_PAD_Y };
}

export interface SvgOptions {
  /** A line under the network name, e.g. "depth 1 of 2, optimized". */
  subtitle?: string;
}

/** Lay out and draw; ELK runs synchronously inside but its API is a promise. */
export async function toSvg(view: NetworkView, options: SvgOptions = {}): Promise<string> {
  const items = new Map<string, ViewItem>();
  const elkItem = (it: ViewItem): ElkNode => {
    items.set(it.id, it);
    if (it.kind === 'box') return { id: it.id, ...boxSize(it) };
    return {
      id: it.id,
      layoutOptions: { 'elk.padding': `[top=${CLUSTER_TITLE + 8},left=14,bottom=14,right=14]` },
      children: it.children.map(elkItem),
    };
  };
  const edges: ElkExtendedEdge[] = view.edges.map((e) => {
    const text = e.inPlace ? `${e.label} in place` : e.label;
    return { id: e.id, sources: [e.from], targets: [e.to], labels: [{ text, width: textWidth(text, EDGE_SIZE) + 6, height: EDGE_SIZE + 4 }] };
  });
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.edgeCoords': 'ROOT',
      'elk.json.shapeCoords': 'ROOT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '30',
      'elk.layered.spacing.edgeNodeBetweenLayers': '14',
      'elk.spacing.edgeLabel': '4',
      'elk.spacing.edgeEdge': '12',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      // Branches left to right in source order (branch1, branch2, ...), as a reader expects.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: view.items.map(elkItem),
    edges,
  };
  const elk = new ElkConstructor();
  const laid = await elk.layout(root);
  return draw(view, laid, items, options);
}

function draw(view: NetworkView, laid: ElkNode, items: Map<string, ViewItem>, options: SvgOptions): string {
  const header = [view.name, options.subtitle].filter(Boolean).join(' — ');
  const width = Math.max(laid.width ?? 0, textWidth(header, 15) + 32);
  const height = (laid.height ?? 0) + HEADER;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="${escapeXml(FONT)}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5560"/></marker></defs>',
    `<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="23" font-size="15" font-weight="bold" fill="#1f2a33">${escapeXml(header)}</text>`,
    `<g transform="translate(0, ${HEADER})">`,
  ];
  // Clusters first (outermost first) so boxes and edges are drawn over them.
  const clusters: ElkNode[] = [];
  const boxes: ElkNode[] = [];
  const walk = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      const it = items.get(c.id)!;
      if (it.kind === 'cluster') {
        clusters.push(c);
        walk(c);
      } else boxes.push(c);
    }
  };
  walk(laid);
  for (const c of clusters) out.push(drawCluster(c, items.get(c.id) as ViewCluster));
  for (const e of laid.edges ?? []) out.push(drawEdge(e as ElkExtendedEdge, view.edges.find((x) => x.id === e.id)!.inPlace));
  for (const b of boxes) out.push(drawBox(b, items.get(b.id) as BoxLines & { style: BoxStyle; marked: boolean }));
  for (const e of laid.edges ?? []) out.push(drawEdgeLabel(e as ElkExtendedEdge));
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}

function drawCluster(n: ElkNode, c: ViewCluster): string {
  const block = c.style === 'block';
  const rect = `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="8" fill="${block ? '#f3f7fb' : 'none'}" stroke="${block ? '#3c6e9f' : '#9aa5b1'}"${block ? '' : ' stroke-dasharray="5 4"'}/>`;
  const title = `<text x="${(n.x ?? 0) + 10}" y="${(n.y ?? 0) + 19}" font-size="${TITLE_SIZE}" font-weight="bold" fill="${block ? '#2b4f73' : '#5f6b76'}" stroke="${block ? '#f3f7fb' : '#ffffff'}" stroke-width="5" paint-order="stroke">${escapeXml(c.title)}</text>`;
  // data-id: the view item, for pages that make the picture interactive (graph/html.ts, playground).
  return `<g class="cluster" data-id="${c.id}">${rect}${title}</g>`;
}

function drawBox(n: ElkNode, b: BoxLines & { style: BoxStyle; marked: boolean }): string {
  const p = { ...BOX_COLOURS[b.style], ...(b.marked ? { stroke: BOX_COLOURS.fused.stroke } : {}) };
  const x = n.x ?? 0;
  const y = n.y ?? 0;
  const w = n.width ?? 0;
  const h = n.height ?? 0;
  const rx = b.style === 'input' || b.style === 'output' ? Math.min(h / 2, 16) : 5;
  const parts = [`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${rx}" fill="${p.fill}" stroke="${p.stroke}" stroke-width="${b.style === 'block' || b.marked ? 1.8 : 1.2}"/>`];
  let baseline = y + BOX_PAD_Y;
  const cx = x + w / 2;
  if (b.title) {
    baseline += TITLE_SIZE - 2;
    parts.push(`<text x="${cx}" y="${baseline}" text-anchor="middle" font-size="${TITLE_SIZE}" font-weight="bold" fill="#1f2a33">${escapeXml(b.title)}</text>`);
    baseline += LINE_GAP + 2;
  }
  b.detail.forEach((line, i) => {
    baseline += DETAIL_SIZE - (i === 0 && !b.title ? 2 : 0);
    parts.push(`<text x="${cx}" y="${baseline}" text-anchor="middle" font-size="${DETAIL_SIZE}" fill="#3a4650">${escapeXml(line)}</text>`);
    baseline += LINE_GAP;
  });
  return `<g class="box ${b.style}" data-id="${n.id}">${parts.join('')}</g>`;
}

function drawEdge(e: ElkExtendedEdge, inPlace: boolean): string {
  const paths = (e.sections ?? []).map((s) => {
    const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
    return `<path d="${d}" fill="none" stroke="${inPlace ? '#c77c02' : '#4a5560'}" stroke-width="1.2"${inPlace ? ' stroke-dasharray="6 3"' : ''} marker-end="url(#arrow)"/>`;
  });
  return `<g class="edge">${paths.join('')}</g>`;
}

function drawEdgeLabel(e: ElkExtendedEdge): string {
  return (e.labels ?? [])
    .map((l) => {
      const x = l.x ?? 0;
      const y = l.y ?? 0;
      return `<g class="edge-label"><rect x="${x}" y="${y}" width="${l.width}" height="${l.height}" fill="#ffffff" fill-opacity="0.85"/><text x="${x + 3}" y="${y + EDGE_SIZE}" font-size="${EDGE_SIZE}" fill="#52606b">${escapeXml(l.text ?? '')}</text></g>`;
    })
    .join('');
}
