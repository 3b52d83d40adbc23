/** Document symbols: constants, blocks and networks with their parameters, inputs, values and outputs. */
import type * as A from '../syntax/ast.ts';
import { typeText } from '../check/types.ts';
import { blockSignature } from './describe.ts';
import { spanToRange, type LspRange } from './positions.ts';

/** The protocol's SymbolKind numbers used here. */
export const SYMBOL_KIND = { Module: 2, Class: 5, Property: 7, Field: 8, Variable: 13, Constant: 14, TypeParameter: 26 } as const;

export interface LspDocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: LspRange;
  selectionRange: LspRange;
  children?: LspDocumentSymbol[];
}

function sym(name: string, kind: number, span: A.Node['span'], nameSpan: A.Node['span'], detail?: string, children?: LspDocumentSymbol[]): LspDocumentSymbol {
  return { name, kind, detail, range: spanToRange(span), selectionRange: spanToRange(nameSpan), ...(children ? { children } : {}) };
}

/** The labelled stages of an expression, outermost first, each with those nested in it (a seq's). */
function labelSymbols(node: unknown, src: (n: { span: A.Node['span'] }) => string): LspDocumentSymbol[] {
  const out: LspDocumentSymbol[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (typeof x !== 'object' || x === null) return;
    const n = x as A.Node;
    if (n.kind === 'Stage' && n.label && !(n.label.kind === 'Ident' && n.label.name === '_')) {
      const name = n.label.kind === 'Ident' ? n.label.name : n.label.raw;
      const body = n.body;
      const detail = body.kind === 'CallStage' ? body.callee.name : body.kind === 'SeqStage' ? 'seq' : body.kind === 'RepeatStage' ? 'repeat' : 'if';
      const inner = labelSymbols(body, src);
      out.push(sym(name, SYMBOL_KIND.Property, n.span, n.label.span, detail, inner.length > 0 ? inner : undefined));
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== 'comments') visit(v);
  };
  visit(node);
  return out;
}

export function documentSymbols(file: A.SourceFile, text: string): LspDocumentSymbol[] {
  const out: LspDocumentSymbol[] = [];
  const src = (n: { span: A.Node['span'] }): string => text.slice(n.span.start.offset, n.span.end.offset);
  for (const item of file.items) {
    if (item.kind === 'ConstDecl') out.push(sym(item.name.name, SYMBOL_KIND.Constant, item.span, item.name.span, src(item.value)));
    if (item.kind !== 'BlockDecl') continue;
    const children: LspDocumentSymbol[] = [];
    for (const p of item.params) children.push(sym(p.name.name, SYMBOL_KIND.TypeParameter, p.span, p.name.span, typeText(p.type)));
    for (const s of item.body) {
      const labels = s.kind === 'InDecl' ? [] : labelSymbols(s.value, src);
      const inner = labels.length > 0 ? labels : undefined;
      if (s.kind === 'InDecl') children.push(sym(s.name.name, SYMBOL_KIND.Variable, s.span, s.name.span, `in ${src(s.type)}`));
      else if (s.kind === 'LetStmt') children.push(sym(s.name.name, SYMBOL_KIND.Variable, s.span, s.name.span, s.type ? src(s.type) : undefined, inner));
      else if (s.name) children.push(sym(s.name.name, SYMBOL_KIND.Field, s.span, s.name.span, `out${s.type ? ` ${src(s.type)}` : ''}`, inner));
      else children.push(...labels);
    }
    out.push(sym(item.name.name, item.isNetwork ? SYMBOL_KIND.Module : SYMBOL_KIND.Class, item.span, item.name.span, blockSignature(item), children));
  }
  return out;
}
