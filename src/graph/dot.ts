/**
 * Graphviz DOT for a network view: expanded blocks as `subgraph cluster_*`, boxes as record-like
 * plain-text nodes, every edge labelled with its tensor shape (dashed when written in place).
 */
import type { NetworkView, ViewBox, ViewItem } from './view.ts';

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A multi-line label with lines left-free (centred), escaped for DOT. */
function label(lines: string[]): string {
  return quote(lines.filter((l) => l !== '').join('\n')).replace(/\n/g, '\\n');
}

const FILL: Record<ViewBox['style'], string> = {
  op: '#ffffff',
  block: '#dbe9f6',
  input: '#e3f1df',
  output: '#e3f1df',
  fused: '#fde9c9',
};

export function toDot(view: NetworkView): string {
  const out: string[] = [
    `digraph ${quote(view.name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans Mono", fontsize=11];',
    '  edge [fontname="DejaVu Sans Mono", fontsize=9];',
  ];
  const item = (it: ViewItem, indent: string): void => {
    if (it.kind === 'box') {
      const shape = it.style === 'input' || it.style === 'output' ? 'ellipse' : 'box';
      out.push(`${indent}${it.id} [label=${label([it.title, ...it.detail])}, shape=${shape}, fillcolor=${quote(FILL[it.style])}${it.marked ? ', color="#c77c02", penwidth=2' : ''}];`);
      return;
    }
    out.push(`${indent}subgraph cluster_${it.id} {`);
    out.push(`${indent}  label=${quote(it.title)};`);
    out.push(`${indent}  style=${it.style === 'block' ? '"rounded,filled"' : 'dashed'};`);
    if (it.style === 'block') out.push(`${indent}  fillcolor="#f3f7fb";`);
    for (const c of it.children) item(c, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const it of view.items) item(it, '  ');
  for (const e of view.edges) {
    const attrs = [`label=${quote(e.inPlace ? `${e.label} in place` : e.label)}`];
    if (e.inPlace) attrs.push('style=dashed');
    out.push(`  ${e.from} -> ${e.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
