/**
 * Finding things in a syntax tree by position, and the names visible at a position: the chain
 * of nodes under the cursor, the block it is in, and what each name there refers to. The tree
 * is plain data, so the walk is generic: every object with a `kind` and a `span` is a node.
 */
import type * as A from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { contains } from './positions.ts';

type AnyNode = { kind: string; span: Span };

function isNode(x: unknown): x is AnyNode {
  return typeof x === 'object' && x !== null && typeof (x as AnyNode).kind === 'string' && typeof (x as AnyNode).span === 'object';
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'span' || k === 'comments') continue;
    if (Array.isArray(v)) for (const x of v) (isNode(x) ? out.push(x) : undefined);
    else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Nodes containing `offset`, outermost first (the file itself excluded). */
export function nodesAt(file: A.SourceFile, offset: number): A.Node[] {
  const path: A.Node[] = [];
  let level: AnyNode[] = file.items;
  for (;;) {
    // Prefer the innermost, shortest match when spans touch (`a|>b`: the cursor between).
    const hits = level.filter((n) => contains(n.span, offset));
    if (hits.length === 0) return path;
    hits.sort((a, b) => a.span.end.offset - a.span.start.offset - (b.span.end.offset - b.span.start.offset));
    const hit = hits.find((n) => n.span.start.offset < offset) ?? hits[0]!;
    path.push(hit as A.Node);
    level = children(hit);
  }
}

/** Every node of the tree, depth first. */
export function walk(node: AnyNode, visit: (n: A.Node) => void): void {
  visit(node as A.Node);
  for (const c of children(node)) walk(c, visit);
}

export type LocalKind = 'parameter' | 'input' | 'value' | 'output' | 'repeat index' | 'dimension';

export interface LocalName {
  name: string;
  kind: LocalKind;
  /** The declaring identifier. */
  span: Span;
  /** The declaring statement or parameter, for the hover text. */
  decl: A.ParamDecl | A.Stmt | A.RepeatStage | A.InDecl;
}

/** Names declared in a block: parameters, inputs, values and named outputs, dimension variables. */
export function blockLocals(block: A.BlockDecl): LocalName[] {
  const out: LocalName[] = [];
  const params = new Set(block.params.map((p) => p.name.name));
  for (const p of block.params) out.push({ name: p.name.name, kind: 'parameter', span: p.name.span, decl: p });
  for (const s of block.body) {
    if (s.kind === 'InDecl') out.push({ name: s.name.name, kind: 'input', span: s.name.span, decl: s });
    else if (s.name) out.push({ name: s.name.name, kind: s.kind === 'OutDecl' ? 'output' : 'value', span: s.name.span, decl: s });
  }
  const dims = new Set<string>();
  for (const s of block.body) {
    if (s.kind !== 'InDecl') continue;
    for (const d of s.type.dims) {
      walk(d, (n) => {
        if (n.kind === 'NameRef' && !params.has(n.name) && !dims.has(n.name)) {
          dims.add(n.name);
          out.push({ name: n.name, kind: 'dimension', span: n.span, decl: s });
        }
      });
    }
  }
  return out;
}

/** Repeat indices (`repeat n as i`) whose body contains the offset. */
export function repeatIndicesAt(block: A.BlockDecl, offset: number): LocalName[] {
  const out: LocalName[] = [];
  walk(block, (n) => {
    if (n.kind === 'RepeatStage' && n.index && contains(n.span, offset)) out.push({ name: n.index.name, kind: 'repeat index', span: n.index.span, decl: n });
  });
  return out;
}

/**
 * The names visible at `offset` inside `block`: parameters, inputs, dimension variables and
 * repeat indices everywhere; values only after their statement (a statement cannot use itself).
 */
export function localsAt(block: A.BlockDecl, offset: number): LocalName[] {
  const visible = blockLocals(block).filter(
    (l) => (l.kind !== 'value' && l.kind !== 'output') || l.decl.span.end.offset <= offset,
  );
  return [...visible, ...repeatIndicesAt(block, offset)];
}

export function blockAt(file: A.SourceFile, offset: number): A.BlockDecl | undefined {
  return file.items.find((i): i is A.BlockDecl => i.kind === 'BlockDecl' && contains(i.span, offset));
}
