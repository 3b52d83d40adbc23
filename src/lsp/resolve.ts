/**
 * What a name at the cursor refers to: a local of the enclosing block (parameter, input,
 * value, output, dimension variable, repeat index), or a top-level block or constant of this
 * file or of one it imports (followed through aliases and re-exports), or an operator.
 */
import { lookupTop, type TopItem } from '../check/modules.ts';
import { lookupOp } from '../ops/registry.ts';
import type { OpDef, Spelling } from '../ops/types.ts';
import type * as A from '../syntax/ast.ts';
import { blockAt, blockLocals, nodesAt, walk, type LocalName } from './locate.ts';
import type { Analysis } from './workspace.ts';

export type Target =
  | { kind: 'local'; local: LocalName; block: A.BlockDecl }
  | { kind: 'top'; item: TopItem }
  | { kind: 'op'; spelling: string; def: OpDef; op: { def: OpDef; spelling: Spelling } };

/** The local declared in `block` under `name` that is visible at `offset`. */
export function findLocal(block: A.BlockDecl, name: string, offset: number): LocalName | undefined {
  // Repeat indices shadow nothing (the checker reports shadowing) but only exist in their body.
  let index: LocalName | undefined;
  walk(block, (n) => {
    if (n.kind === 'RepeatStage' && n.index?.name === name && n.span.start.offset <= offset && offset <= n.span.end.offset) {
      index = { name, kind: 'repeat index', span: n.index.span, decl: n };
    }
  });
  return index ?? blockLocals(block).find((l) => l.name === name);
}

export function resolveTop(a: Analysis, name: string): TopItem | undefined {
  return a.module ? lookupTop(a.program, a.module, name) : undefined;
}

/** A callee: a block visible in the file, else an operator. */
export function resolveCallee(a: Analysis, name: string): Target | undefined {
  const top = resolveTop(a, name);
  if (top?.kind === 'block') return { kind: 'top', item: top };
  const op = lookupOp(name);
  return op ? { kind: 'op', spelling: name, def: op.def, op } : undefined;
}

/** A name used in an expression at `offset`. */
export function resolveName(a: Analysis, name: string, offset: number): Target | undefined {
  const block = blockAt(a.ast, offset);
  const local = block ? findLocal(block, name, offset) : undefined;
  if (local && block) return { kind: 'local', local, block };
  const top = resolveTop(a, name);
  return top ? { kind: 'top', item: top } : undefined;
}

export interface CursorTarget {
  target: Target;
  /** The identifier under the cursor. */
  span: A.Node['span'];
  /** The innermost nodes at the cursor, outermost first. */
  path: A.Node[];
}

/** What the identifier under the cursor refers to, if it is one. */
export function targetAt(a: Analysis, offset: number): CursorTarget | undefined {
  const path = nodesAt(a.ast, offset);
  const n = path[path.length - 1];
  const parent = path[path.length - 2];
  if (!n) return undefined;
  if (n.kind === 'NameRef') {
    const t = resolveName(a, n.name, offset);
    return t ? { target: t, span: n.span, path } : undefined;
  }
  if (n.kind !== 'Ident') return undefined;
  if (parent && (parent.kind === 'CallStage' || parent.kind === 'CallExpr') && parent.callee === n) {
    const t = resolveCallee(a, n.name);
    return t ? { target: t, span: n.span, path } : undefined;
  }
  if (parent?.kind === 'ImportName') {
    const t = resolveTop(a, (parent.alias ?? parent.name).name);
    return t ? { target: { kind: 'top', item: t }, span: n.span, path } : undefined;
  }
  const block = blockAt(a.ast, offset);
  if (block && parent && (parent.kind === 'LetStmt' || parent.kind === 'InDecl' || parent.kind === 'OutDecl' || parent.kind === 'ParamDecl') && parent.name === n) {
    const local = findLocal(block, n.name, offset);
    return local ? { target: { kind: 'local', local, block }, span: n.span, path } : undefined;
  }
  if (block && parent?.kind === 'RepeatStage' && parent.index === n) {
    return { target: { kind: 'local', local: { name: n.name, kind: 'repeat index', span: n.span, decl: parent }, block }, span: n.span, path };
  }
  if (parent?.kind === 'BlockDecl' && parent.name === n) {
    const t = resolveTop(a, n.name);
    return t ? { target: { kind: 'top', item: t }, span: n.span, path } : undefined;
  }
  if (parent?.kind === 'ConstDecl' && parent.name === n) {
    const t = resolveTop(a, n.name);
    return t ? { target: { kind: 'top', item: t }, span: n.span, path } : undefined;
  }
  return undefined;
}
