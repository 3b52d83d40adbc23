/**
 * Find references and rename. A local (value, input, output, parameter, dimension, repeat
 * index) is used only in its block; a block or constant is used in every file of the programs
 * at hand (the document's own, and those of the other open documents, so a library's blocks
 * are found in the files that import it); a label names an instance and is referenced nowhere
 * else in the language, so its only occurrence is itself.
 */
import { lookupTop, type ModuleInfo, type TopItem } from '../check/modules.ts';
import type { Span } from '../diag/span.ts';
import { KEYWORDS } from '../syntax/lexer.ts';
import type * as A from '../syntax/ast.ts';
import { findLocal, targetAt } from './resolve.ts';
import { nodesAt, walk, type LocalName } from './locate.ts';
import { spanToRange, type LspRange } from './positions.ts';
import { pathToUri, type Analysis } from './workspace.ts';

export interface LspLocation {
  uri: string;
  range: LspRange;
}

export interface WorkspaceEdit {
  changes: Record<string, { range: LspRange; newText: string }[]>;
}

/** What is under the cursor, as far as references go. */
type Symbol =
  | { kind: 'label'; span: Span }
  | { kind: 'local'; local: LocalName; block: A.BlockDecl }
  | { kind: 'top'; item: TopItem };

function symbolAt(a: Analysis, offset: number): Symbol | undefined {
  const path = nodesAt(a.ast, offset);
  const n = path[path.length - 1];
  const parent = path[path.length - 2];
  if (n && parent?.kind === 'Stage' && parent.label === n) return { kind: 'label', span: n.span };
  const found = targetAt(a, offset);
  if (!found) return undefined;
  const t = found.target;
  if (t.kind === 'local') return { kind: 'local', local: t.local, block: t.block };
  if (t.kind === 'top') return { kind: 'top', item: t.item };
  return undefined;
}

const sameSpan = (x: Span, y: Span): boolean => x.file === y.file && x.start.offset === y.start.offset && x.end.offset === y.end.offset;

function localOccurrences(local: LocalName, block: A.BlockDecl): Span[] {
  const out: Span[] = [local.span];
  walk(block, (n) => {
    if (n.kind === 'NameRef' && n.name === local.name && !sameSpan(n.span, local.span)) {
      const seen = findLocal(block, n.name, n.span.start.offset);
      if (seen && sameSpan(seen.span, local.span)) out.push(n.span);
    }
  });
  return out;
}

function sameItem(x: TopItem | undefined, y: TopItem): boolean {
  return x !== undefined && x.module.path === y.module.path && sameSpan(x.decl.name.span, y.decl.name.span);
}

/** Uses of a block or constant in one module, its declaration included when it is there. */
function topOccurrences(a: Analysis, mod: ModuleInfo, item: TopItem): Span[] {
  const out: Span[] = [];
  const refersTo = (name: string): boolean => sameItem(lookupTop(a.program, mod, name), item);
  walk(mod.ast as unknown as A.Node, (n) => {
    if ((n.kind === 'CallStage' || n.kind === 'CallExpr') && refersTo(n.callee.name)) out.push(n.callee.span);
    else if (n.kind === 'NameRef' && refersTo(n.name)) out.push(n.span);
    else if (n.kind === 'ImportName' && refersTo((n.alias ?? n.name).name)) {
      out.push(n.name.span);
      if (n.alias) out.push(n.alias.span);
    } else if ((n.kind === 'BlockDecl' || n.kind === 'ConstDecl') && mod.path === item.module.path && sameSpan(n.name.span, item.decl.name.span)) {
      out.push(n.name.span);
    }
  });
  return out;
}

/**
 * Every occurrence of the symbol at `offset`: in `a`, and for blocks and constants in the
 * programs of `others` too (other open documents), without duplicates.
 */
export function referencesAt(a: Analysis, offset: number, others: Analysis[] = [], includeDeclaration = true): LspLocation[] | undefined {
  const sym = symbolAt(a, offset);
  if (!sym) return undefined;
  let spans: Span[];
  let declaration: Span;
  switch (sym.kind) {
    case 'label':
      spans = [sym.span];
      declaration = sym.span;
      break;
    case 'local':
      spans = localOccurrences(sym.local, sym.block);
      declaration = sym.local.span;
      break;
    case 'top': {
      spans = [];
      for (const analysis of [a, ...others]) {
        for (const mod of analysis.program.modules.values()) spans.push(...topOccurrences(analysis, mod, sym.item));
      }
      declaration = sym.item.decl.name.span;
      break;
    }
  }
  const seen = new Set<string>();
  const out: LspLocation[] = [];
  for (const s of spans) {
    if (!includeDeclaration && sameSpan(s, declaration)) continue;
    const key = `${s.file}:${s.start.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ uri: pathToUri(s.file), range: spanToRange(s) });
  }
  return out.sort((x, y) => x.uri.localeCompare(y.uri) || x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}

/** A label's definition is the label itself (an instance name has no other declaration). */
export function labelDefinitionAt(a: Analysis, offset: number): LspLocation | undefined {
  const sym = symbolAt(a, offset);
  return sym?.kind === 'label' ? { uri: pathToUri(a.path), range: spanToRange(sym.span) } : undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(KEYWORDS.map((k) => k.word));

export class RenameError extends Error {}

/**
 * The edits renaming the value or label at `offset` to `newName`; undefined when nothing
 * renamable is there. Parameters (named at call sites in other blocks), blocks and constants
 * are not renamed; a name that is not an identifier, a keyword or taken in the block is refused.
 */
export function renameAt(a: Analysis, offset: number, newName: string): WorkspaceEdit | undefined {
  const sym = symbolAt(a, offset);
  if (!sym) return undefined;
  if (sym.kind === 'top') throw new RenameError('blocks and constants cannot be renamed yet; rename values and labels');
  if (!IDENTIFIER.test(newName) || RESERVED.has(newName)) throw new RenameError(`'${newName}' is not a valid name`);
  let spans: Span[];
  if (sym.kind === 'label') {
    spans = [sym.span];
  } else {
    if (sym.local.kind === 'parameter') throw new RenameError('a parameter is named by the calls of its block; rename values and labels');
    const block = sym.block;
    const taken = findLocal(block, newName, offset);
    if (taken && !sameSpan(taken.span, sym.local.span)) throw new RenameError(`'${newName}' is already a ${taken.kind} of ${block.name.name}`);
    spans = localOccurrences(sym.local, block);
  }
  const uri = pathToUri(a.path);
  return { changes: { [uri]: spans.map((s) => ({ range: spanToRange(s), newText: newName })) } };
}
