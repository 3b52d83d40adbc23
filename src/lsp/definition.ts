/**
 * Go to definition: blocks and constants (across imports, into the standard library), values;
 * on a stage's label (`e1: DoubleConv(16)`, `0: conv(...)`), the block it instantiates.
 */
import { nodesAt } from './locate.ts';
import { spanToRange, type LspRange } from './positions.ts';
import { resolveCallee, targetAt, type Target } from './resolve.ts';
import { pathToUri, type Analysis } from './workspace.ts';

export interface LspLocation {
  uri: string;
  range: LspRange;
}

export function definitionAt(a: Analysis, offset: number): LspLocation | undefined {
  const t = targetAt(a, offset)?.target ?? labelledCallee(a, offset);
  if (!t) return undefined;
  switch (t.kind) {
    case 'op':
      return undefined;
    case 'local':
      return { uri: pathToUri(a.path), range: spanToRange(t.local.span) };
    case 'top':
      return { uri: pathToUri(t.item.module.path), range: spanToRange(t.item.decl.name.span) };
  }
}

function labelledCallee(a: Analysis, offset: number): Target | undefined {
  const path = nodesAt(a.ast, offset);
  const n = path[path.length - 1];
  const stage = path[path.length - 2];
  if (!n || stage?.kind !== 'Stage' || stage.label !== n || stage.body.kind !== 'CallStage') return undefined;
  return resolveCallee(a, stage.body.callee.name);
}
