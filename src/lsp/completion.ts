/**
 * Completion. What fits depends on where the cursor is, read from the text before it (the
 * tree is often incomplete while typing):
 * - after `|>` (or a stage label): operators, blocks, and the stage keywords;
 * - inside a call's parentheses at an argument: the callee's argument names (`k=`), then values;
 * - elsewhere in an expression: values in scope, constants, operators and blocks.
 */
import { lookupTop } from '../check/modules.ts';
import { allSpellings, lookupOp } from '../ops/registry.ts';
import type * as A from '../syntax/ast.ts';
import { blockMarkdown, blockSignature, opMarkdown, opSignature } from './describe.ts';
import { recordedValues } from './hover.ts';
import { blockAt, localsAt } from './locate.ts';
import { resolveCallee } from './resolve.ts';
import type { Analysis } from './workspace.ts';

/** The protocol's CompletionItemKind numbers used here. */
export const COMPLETION_KIND = { Function: 3, Field: 5, Variable: 6, Class: 7, Property: 10, Keyword: 14, Constant: 21, TypeParameter: 25 } as const;

export interface LspCompletionItem {
  label: string;
  kind: number;
  detail?: string;
  documentation?: { kind: 'markdown'; value: string };
  insertText?: string;
  sortText?: string;
}

export interface CallContext {
  callee: string;
  /** The cursor is where an argument name may be typed (start of an argument, no `=` yet). */
  atArgumentName: boolean;
  /** Names already given as `name=` in this call. */
  given: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*$/;

/** The call whose parentheses hold the cursor, found by scanning back over balanced brackets. */
export function callContext(text: string, offset: number): CallContext | undefined {
  let depth = 0;
  let argStart = offset;
  const given: string[] = [];
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']') depth++;
    else if (c === '[') {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const callee = IDENT.exec(text.slice(Math.max(0, i - 64), i).trimEnd())?.[0];
      if (!callee) return undefined;
      const current = text.slice(Math.max(i + 1, argStart), offset);
      const inner = text.slice(i + 1, offset);
      for (const m of inner.matchAll(/(?:^|,)\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/g)) given.push(m[1]!);
      return { callee, atArgumentName: /^\s*[A-Za-z_]?[A-Za-z0-9_]*$/.test(current), given };
    } else if ((c === '{' || c === '}') && depth === 0) return undefined;
    else if (c === ',' && depth === 0 && argStart === offset) argStart = i + 1;
  }
  return undefined;
}

/** The cursor is where a pipeline stage starts: after `|>`, possibly after a `label:`. */
export function atStageStart(text: string, offset: number): boolean {
  const before = text.slice(Math.max(0, offset - 200), offset).replace(IDENT, '');
  return /\|>\s*$/.test(before) || /\|>\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*$/.test(before);
}

const STAGE_KEYWORDS = ['seq', 'repeat', 'if'];

function opItems(sort: string): LspCompletionItem[] {
  return allSpellings().map((name) => {
    const def = lookupOp(name)!.def;
    return {
      label: name,
      kind: COMPLETION_KIND.Function,
      detail: opSignature(name, def),
      documentation: { kind: 'markdown', value: opMarkdown(name, def) },
      sortText: `${sort}${name}`,
    };
  });
}

function blockItems(a: Analysis, sort: string, sourceOf: (p: string) => string | undefined): LspCompletionItem[] {
  const mod = a.module;
  if (!mod) return [];
  const out: LspCompletionItem[] = [];
  for (const name of [...mod.blocks.keys(), ...mod.imports.keys()]) {
    const top = lookupTop(a.program, mod, name);
    if (top?.kind !== 'block') continue;
    out.push({
      label: name,
      kind: COMPLETION_KIND.Class,
      detail: blockSignature(top.decl),
      documentation: { kind: 'markdown', value: blockMarkdown(top.decl, top.module.ast, sourceOf(top.module.path)) },
      sortText: `${sort}${name}`,
    });
  }
  return out;
}

function valueItems(a: Analysis, block: A.BlockDecl | undefined, offset: number, sort: string): LspCompletionItem[] {
  const out: LspCompletionItem[] = [];
  if (block) {
    for (const l of localsAt(block, offset)) {
      const values = recordedValues(a, l.span, l.name);
      const kind = l.kind === 'parameter' || l.kind === 'dimension' || l.kind === 'repeat index' ? COMPLETION_KIND.TypeParameter : COMPLETION_KIND.Variable;
      out.push({ label: l.name, kind, detail: values.length === 1 ? `${l.kind} ${values[0]}` : l.kind, sortText: `${sort}${l.name}` });
    }
  }
  const mod = a.module;
  if (mod) {
    for (const name of [...mod.consts.keys(), ...mod.imports.keys()]) {
      const top = lookupTop(a.program, mod, name);
      if (top?.kind === 'const') out.push({ label: name, kind: COMPLETION_KIND.Constant, detail: 'constant', sortText: `${sort}${name}` });
    }
  }
  return out;
}

function argumentItems(a: Analysis, ctx: CallContext): LspCompletionItem[] {
  const callee = resolveCallee(a, ctx.callee);
  if (!callee) return [];
  const given = new Set(ctx.given);
  if (callee.kind === 'op') {
    return callee.def.args
      .filter((x) => !given.has(x.name) && !(x.aliases ?? []).some((al) => given.has(al)))
      .map((x, i) => ({
        label: `${x.name}=`,
        kind: COMPLETION_KIND.Property,
        detail: `${x.type}${x.default !== undefined ? ` = ${JSON.stringify(x.default)}` : ''}`,
        documentation: { kind: 'markdown' as const, value: x.doc },
        insertText: `${x.name}=`,
        sortText: `0${String(i).padStart(3, '0')}`,
      }));
  }
  if (callee.kind === 'top' && callee.item.kind === 'block') {
    return callee.item.decl.params
      .filter((p) => !given.has(p.name.name))
      .map((p, i) => ({
        label: `${p.name.name}=`,
        kind: COMPLETION_KIND.Property,
        detail: blockSignature(callee.item.decl as A.BlockDecl).replace(/^.*?\(/, '(') ,
        insertText: `${p.name.name}=`,
        sortText: `0${String(i).padStart(3, '0')}`,
      }));
  }
  return [];
}

export function completionsAt(a: Analysis, text: string, offset: number, sourceOf: (p: string) => string | undefined): LspCompletionItem[] {
  const block = blockAt(a.ast, offset) ?? lastBlockBefore(a.ast, offset);
  if (atStageStart(text, offset)) {
    const keywords = STAGE_KEYWORDS.map((k) => ({ label: k, kind: COMPLETION_KIND.Keyword, sortText: `2${k}` }));
    return [...blockItems(a, '0', sourceOf), ...opItems('1'), ...keywords];
  }
  const ctx = callContext(text, offset);
  if (ctx) {
    const args = ctx.atArgumentName ? argumentItems(a, ctx) : [];
    return [...args, ...valueItems(a, block, offset, '1'), ...opItems('2'), ...blockItems(a, '3', sourceOf)];
  }
  return [...valueItems(a, block, offset, '0'), ...opItems('1'), ...blockItems(a, '2', sourceOf)];
}

/** While typing at the end of an unfinished block, its span may stop before the cursor. */
function lastBlockBefore(file: A.SourceFile, offset: number): A.BlockDecl | undefined {
  const blocks = file.items.filter((i): i is A.BlockDecl => i.kind === 'BlockDecl' && i.span.start.offset <= offset);
  return blocks[blocks.length - 1];
}
