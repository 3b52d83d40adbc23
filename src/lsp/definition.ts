/** Go to definition: blocks and constants (across imports, into the standard library), values. */
import { spanToRange, type LspRange } from './positions.ts';
import { targetAt } from './resolve.ts';
import { pathToUri, type Analysis } from './workspace.ts';

export interface LspLocation {
  uri: string;
  range: LspRange;
}

export function definitionAt(a: Analysis, offset: number): LspLocation | undefined {
  const found = targetAt(a, offset);
  if (!found) return undefined;
  const t = found.target;
  switch (t.kind) {
    case 'op':
      return undefined;
    case 'local':
      return { uri: pathToUri(a.path), range: spanToRange(t.local.span) };
    case 'top':
      return { uri: pathToUri(t.item.module.path), range: spanToRange(t.item.decl.name.span) };
  }
}
