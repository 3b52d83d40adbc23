/**
 * A `(` left open at the end of a line, found by indentation before parsing.
 *
 * Inside parentheses a line break means nothing to the grammar, so `conv(8, k=3, bias=false`
 * followed by a line `|> relu` parses on: `false |> relu` becomes the argument's value (a
 * bogus "expected a tensor, found the bool false") and the missing `)` is reported lines
 * later, where the parser finally gives up. A person reads the indentation instead: the
 * arguments of a call written over several lines are indented deeper than the line the call
 * starts on. So when a line starts at or left of the indentation of the line holding a `(`
 * that is still open (and does not start with a closer), the `(` was meant to be closed at
 * the end of the previous line: a `)` is inserted there and reported once, first.
 */
import { createTokenInstance, type IToken } from 'chevrotain';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { Identifier, LBrace, LBracket, LParen, RBrace, RBracket, RParen } from './lexer.ts';
import { tokenSpan } from './token-span.ts';

interface Open {
  tok: IToken;
  /** Column of the first token of the line the delimiter is on. */
  indent: number;
}

const endLine = (t: IToken): number => t.endLine ?? t.startLine ?? 1;

export function closeByIndentation(tokens: readonly IToken[], file: string): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const out: IToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const stack: Open[] = [];
  let lineIndent = 1;
  let prev: IToken | undefined;
  for (const tok of tokens) {
    const type = tok.tokenType;
    const newLine = prev === undefined || (tok.startLine ?? 1) > endLine(prev);
    if (newLine) {
      lineIndent = tok.startColumn ?? 1;
      const closer = type === RParen || type === RBracket || type === RBrace;
      while (prev && !closer && stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.tok.tokenType !== LParen || lineIndent > top.indent) break;
        stack.pop();
        out.push(closeAfter(prev));
        const at = tokenSpan(prev, file).end;
        const openSpan = tokenSpan(top.tok, file);
        const what = argumentList(tokens, top.tok) ? 'argument list' : 'parenthesis';
        diagnostics.push(diag('NET0011', { file, start: at, end: at },
          { expected: '`)`', what, openedAt: `${openSpan.start.line}:${openSpan.start.column}` },
          { related: [{ span: openSpan, message: `the ${what} starts here` }] }));
      }
    }
    if (type === LParen || type === LBracket || type === LBrace) stack.push({ tok, indent: lineIndent });
    else if (type === RParen || type === RBracket || type === RBrace) {
      // A closer of another kind leaves the stack for the parser to report.
      const top = stack[stack.length - 1];
      if (top && matches(top.tok, tok)) stack.pop();
    }
    out.push(tok);
    prev = tok;
  }
  return { tokens: out, diagnostics };
}

function matches(open: IToken, close: IToken): boolean {
  return (open.tokenType === LParen && close.tokenType === RParen)
    || (open.tokenType === LBracket && close.tokenType === RBracket)
    || (open.tokenType === LBrace && close.tokenType === RBrace);
}

function argumentList(tokens: readonly IToken[], open: IToken): boolean {
  const i = tokens.indexOf(open);
  const before = i > 0 ? tokens[i - 1] : undefined;
  return before !== undefined && before.tokenType === Identifier && (before.endOffset ?? before.startOffset) + 1 === open.startOffset;
}

/** A `)` token right after `t`, of zero width in the text (it is not there). */
function closeAfter(t: IToken): IToken {
  const offset = (t.endOffset ?? t.startOffset) + 1;
  const line = endLine(t);
  const column = (t.endColumn ?? 0) + 1;
  return createTokenInstance(RParen, ')', offset, offset - 1, line, line, column, column - 1);
}
