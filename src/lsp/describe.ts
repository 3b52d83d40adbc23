/**
 * Hover and completion texts for operators and blocks: signatures with defaults, one-line
 * docs, per-argument docs, and a block's doc comment (the comment lines right above it).
 */
import type { OpDef, ScalarValue } from '../ops/types.ts';
import { typeText } from '../check/types.ts';
import type * as A from '../syntax/ast.ts';
import { quoteString } from '../syntax/printer.ts';

function scalarText(v: ScalarValue): string {
  if (Array.isArray(v)) return `(${v.map(scalarText).join(', ')})`;
  return typeof v === 'string' ? quoteString(v) : String(v);
}

export function opSignature(spelling: string, def: OpDef): string {
  const args = def.args.map((a) => (a.default !== undefined ? `${a.name}=${scalarText(a.default)}` : a.optional ? `${a.name}=?` : a.name));
  return `${spelling}(${args.join(', ')})`;
}

export function opMarkdown(spelling: string, def: OpDef): string {
  const lines = ['```net', opSignature(spelling, def), '```', def.doc];
  if (def.args.length > 0) {
    lines.push('');
    for (const a of def.args) {
      const aliases = a.aliases && a.aliases.length > 0 ? ` (also ${a.aliases.map((x) => `\`${x}\``).join(', ')})` : '';
      const values = a.oneOf ? ` one of ${a.oneOf.map((x) => `\`${quoteString(x)}\``).join(', ')}` : '';
      lines.push(`- \`${a.name}\`: ${a.type}${aliases}${values} — ${a.doc}`);
    }
  }
  return lines.join('\n');
}

export function blockSignature(b: A.BlockDecl): string {
  const params = b.params.map((p) => `${p.name.name}: ${typeText(p.type)}${p.default ? ' = …' : ''}`);
  return `${b.isNetwork ? 'network' : 'block'} ${b.name.name}(${params.join(', ')})`;
}

/** Text of a tensor type as written, e.g. `[N, C, H, W]`. */
export function tensorTypeText(t: A.TensorType, source: string): string {
  return source.slice(t.span.start.offset, t.span.end.offset);
}

/** The comment lines directly above a declaration (no blank line between), without markers. */
export function docComment(file: A.SourceFile, decl: { span: A.Node['span'] }): string | undefined {
  const comments = file.comments.filter((c) => c.span.end.offset <= decl.span.start.offset).sort((a, b) => a.span.start.offset - b.span.start.offset);
  const lines: string[] = [];
  let nextLine = decl.span.start.line;
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i]!;
    if (c.span.end.line !== nextLine - 1) break;
    const body = c.block ? c.text.replace(/^\/\*+|\*+\/$/g, '').split('\n').map((l) => l.replace(/^\s*\*?\s?/, '')) : [c.text.replace(/^\/\/\s?/, '')];
    lines.unshift(...body);
    nextLine = c.span.start.line;
  }
  const text = lines.join('\n').trim();
  return text === '' ? undefined : text;
}

export function blockMarkdown(b: A.BlockDecl, file: A.SourceFile, source: string | undefined): string {
  const lines = ['```net', blockSignature(b)];
  for (const s of b.body) {
    if (s.kind === 'InDecl') lines.push(`  in ${s.name.name}: ${source ? tensorTypeText(s.type, source) : '…'}`);
  }
  for (const s of b.body) if (s.kind === 'OutDecl') lines.push(`  out ${s.name ? s.name.name : '…'}`);
  lines.push('```');
  const doc = docComment(file, b);
  if (doc) lines.push(doc);
  return lines.join('\n');
}
