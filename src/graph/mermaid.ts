/**
 * Mermaid `flowchart` for a network view (renders in Markdown on most code hosts): expanded
 * blocks as `subgraph`s, every edge labelled with its tensor shape, fused nodes and in-place
 * edges styled.
 */
import type { NetworkView, ViewItem } from './view.ts';

/** Mermaid labels go inside `"..."`; quotes become #quot; and line breaks <br/>. */
function text(lines: string[]): string {
  return `"${lines.filter((l) => l !== '').map((l) => l.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))).join('<br/>')}"`;
}

export function toMermaid(view: NetworkView): string {
  const out: string[] = ['flowchart TB'];
  const fused: string[] = [];
  const blocks: string[] = [];
  const item = (it: ViewItem, indent: string): void => {
    if (it.kind === 'box') {
      const l = text([it.title, ...it.detail]);
      out.push(`${indent}${it.id}${it.style === 'input' || it.style === 'output' ? `([${l}])` : `[${l}]`}`);
      if (it.marked) fused.push(it.id);
      else if (it.style === 'block') blocks.push(it.id);
      return;
    }
    out.push(`${indent}subgraph ${it.id} [${text([it.title])}]`);
    for (const c of it.children) item(c, `${indent}  `);
    out.push(`${indent}end`);
  };
  for (const it of view.items) item(it, '  ');
  for (const e of view.edges) {
    const arrow = e.inPlace ? '-.->' : '-->';
    out.push(`  ${e.from} ${arrow}|${text([e.inPlace ? `${e.label} in place` : e.label])}| ${e.to}`);
  }
  out.push('  classDef fused fill:#fde9c9,stroke:#c77c02');
  out.push('  classDef block fill:#dbe9f6,stroke:#3c6e9f');
  if (fused.length > 0) out.push(`  class ${fused.join(',')} fused`);
  if (blocks.length > 0) out.push(`  class ${blocks.join(',')} block`);
  return `${out.join('\n')}\n`;
}
