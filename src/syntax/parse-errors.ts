/**
 * Turns the parser's syntax error records into diagnostics worded in the user's terms:
 * token names as written (`)`, identifier `x`, number `3`), and what the grammar wanted at
 * that point ("a name for the block", "the repeat count").
 */
import type { IToken } from 'chevrotain';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Pos, Span } from '../diag/span.ts';
import { tokenEnd, tokenSpan } from './token-span.ts';
import * as T from './lexer.ts';
import { isA, isEof, type SyntaxErrorRecord } from './recovery.ts';

/** Rules of the expression chain, skipped when looking for what an expression was wanted for. */
const EXPRESSION_RULES = new Set([
  'expr', 'orExpr', 'andExpr', 'notExpr', 'compareExpr', 'addExpr', 'mulExpr', 'unaryExpr', 'postfixExpr', 'primary',
]);

/** What a missing token means in a given rule: `blockDecl` + identifier is the block's name. */
const EXPECTED_IN_RULE: Record<string, Record<string, string>> = {
  blockDecl: { Identifier: 'a name for the block' },
  constDecl: { Identifier: 'a name for the constant', Equals: '`=` and the constant\'s value' },
  inDecl: { Identifier: 'a name for the input', Colon: '`:` and the input\'s tensor type' },
  importDecl: { LBrace: '`{` and the names to import', From: '`from`', StringLit: 'the imported path, as a string' },
  importName: { Identifier: 'a name to import' },
  param: { Identifier: 'a parameter name', Colon: '`:` and the parameter\'s type' },
  tensorType: { LBracket: 'a tensor type such as `[N, C, H, W]`' },
  repeatStage: { Identifier: 'a name for the iteration index' },
  stageBlock: { LBrace: '`{` and the stages of the body' },
};

const HELP_IN_RULE: Record<string, Record<string, string>> = {
  param: { Colon: 'parameters are typed: `stride: int = 1`' },
  importDecl: { LBrace: 'imports list the names they bring in: `import { Bottleneck } from "std/resnet"`' },
  letStmt: { Equals: 'a value is named with `=`: `y = x |> relu`' },
};

const CONTEXT_OF_EXPRESSION: Record<string, string> = {
  repeatStage: 'the repeat count',
  ifStage: 'a condition',
  ifExpr: 'a condition',
  constDecl: 'a value',
  letStmt: 'a value',
  outDecl: 'a value',
  param: 'a default value',
};

/** Closers of comma-separated lists: a stray token on the same line is probably a missing comma. */
const LIST_KINDS = new Set(['argument list', 'parameter list', 'import list', 'list', 'tuple type', 'tensor type', 'parenthesis']);

/**
 * One diagnostic per offending token. Errors at a character the lexer rejected are dropped (it
 * reported them), and so are errors at the end of the file when `endIsConsequence` (after an
 * unterminated block comment, the missing `}` is no news).
 */
export function syntaxDiagnostics(
  records: SyntaxErrorRecord[],
  tokens: IToken[],
  file: string,
  endIsConsequence: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const r of records) {
    if (r.found.tokenType === T.Unknown || (endIsConsequence && isEof(r.found))) continue;
    // An unterminated string swallowed the rest of its line, closers included.
    if (r.previous !== undefined && r.previous.tokenType === T.UnterminatedString) continue;
    const key = isEof(r.found) ? -1 : r.found.startOffset;
    if (seen.has(key)) continue; // one diagnostic per offending token
    seen.add(key);
    out.push(toDiagnostic(r, tokens, file));
  }
  return out;
}

function toDiagnostic(r: SyntaxErrorRecord, tokens: IToken[], file: string): Diagnostic {
  const found = T.describeToken(r.found);
  const here = foundSpan(r, file);
  const rule = innermostRule(r.ruleStack);

  if (r.kind === 'junk') {
    if (isA(r.found, [T.RParen, T.RBracket, T.RBrace])) {
      return diag('NET0015', here, { delim: found }, { help: 'remove it, or add the opening delimiter it was meant to close' });
    }
    if (rule === 'blockBody') {
      if (isA(r.found, [T.Colon])) return misplacedLabel(here);
      return diag('NET0012', here, { expected: 'a statement or `}`', found }, statementHelp(r.found));
    }
    const help = isA(r.found, [T.In, T.Out])
      ? { help: '`in` and `out` declarations belong inside a `block` or `network`' }
      : {};
    return diag('NET0012', here, { expected: 'an item (`import`, `const`, `block` or `network`)', found }, help);
  }

  if (r.kind === 'close' && r.expected !== undefined) {
    const closer = T.describeTokenType(r.expected);
    const open = tokens.find((t) => t.startOffset === r.openOffset);
    const listLike = LIST_KINDS.has(r.what ?? '');
    const endedHere =
      isEof(r.found) ||
      movedOn(r) ||
      isA(r.found, [T.Import, T.Const, T.Block, T.Network]) ||
      (r.expected !== T.RBrace && isA(r.found, [T.LBrace]));
    if (!endedHere || open === undefined) {
      if (isA(r.found, [T.Colon]) && r.what === 'argument list') {
        return diag('NET0012', here, { expected: `\`,\` or ${closer}`, found }, { help: 'named arguments are written `name=value`' });
      }
      if (r.what === 'stage list') return diag('NET0012', here, { expected: `\`|>\` or ${closer}`, found });
      if (r.what === 'block body') return diag('NET0012', here, { expected: 'a statement or `}`', found });
      const expected = listLike ? `\`,\` or ${closer}` : closer;
      return diag('NET0012', here, { expected, found });
    }
    const openSpan = tokenSpan(open, file);
    return diag(
      'NET0011',
      here,
      { expected: closer, what: r.what ?? 'group', openedAt: `${openSpan.start.line}:${openSpan.start.column}` },
      { related: [{ span: openSpan, message: `the ${r.what ?? 'group'} starts here` }] },
    );
  }

  if (r.kind === 'noalt') {
    if (rule === 'stage') return diag('NET0014', here, { found });
    if (isA(r.found, [T.Colon]) && r.previous !== undefined && isA(r.previous, [T.Identifier])) return misplacedLabel(here);
    let expected = r.desc ?? 'something else';
    if (expected === 'an expression') {
      const context = CONTEXT_OF_EXPRESSION[rule];
      if (context !== undefined && context !== 'a value') expected = `${context} (an expression)`;
    }
    return diag('NET0012', here, { expected, found });
  }

  // mismatch
  if (rule === 'tensorType' && isA(r.found, [T.PipeOp, T.LParen])) return misplacedLabel(here);
  const expectedName = r.expected?.name ?? '';
  const expected = EXPECTED_IN_RULE[rule]?.[expectedName] ?? (r.expected ? T.describeTokenType(r.expected) : 'something else');
  const help = HELP_IN_RULE[rule]?.[expectedName];
  return diag('NET0012', here, { expected, found }, help !== undefined ? { help } : {});
}

function misplacedLabel(span: Span): Diagnostic {
  return diag('NET0013', span, {}, { help: 'a label names one stage of a pipeline: `y = x |> conv1: conv(64, k=3)`' });
}

function statementHelp(tok: IToken): { help?: string } {
  if (isA(tok, [T.PipeOp])) return { help: 'a pipeline needs a value to start from: `y = x |> relu`' };
  if (isA(tok, [T.Equals])) return { help: 'a statement names one value: `y = expr`' };
  return {};
}

/** The innermost rule that is not part of the expression chain. */
function innermostRule(stack: string[]): string {
  for (let i = stack.length - 1; i >= 0; i--) {
    if (!EXPRESSION_RULES.has(stack[i]!)) return stack[i]!;
  }
  return stack[stack.length - 1] ?? '';
}

/** Did the input move on to a later line (or end) where the missing token was due? */
function movedOn(r: SyntaxErrorRecord): boolean {
  const prev = r.previous;
  if (prev === undefined || isEof(prev) || prev.endLine === undefined || r.found.startLine === undefined) return false;
  return r.found.startLine > prev.endLine;
}

/**
 * Where to report: the offending token; at the end of the file, or when a closer is missing at
 * the end of a line, just after the last token before it.
 */
function foundSpan(r: SyntaxErrorRecord, file: string): Span {
  const prev = r.previous !== undefined && !isEof(r.previous) && !Number.isNaN(r.previous.startOffset) ? r.previous : undefined;
  const afterPrevious = (): Span => {
    const p: Pos = prev !== undefined ? tokenEnd(prev) : { line: 1, column: 1, offset: 0 };
    return { file, start: p, end: p };
  };
  if (isEof(r.found) || Number.isNaN(r.found.startOffset)) {
    if (prev !== undefined) return afterPrevious();
    return { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  }
  if (r.kind !== 'junk' && movedOn(r)) {
    // `x |>` at the end of a line: point at the `|>` that wants a stage.
    if (prev !== undefined && isA(prev, [T.PipeOp])) return tokenSpan(prev, file);
    return afterPrevious();
  }
  return tokenSpan(r.found, file);
}
