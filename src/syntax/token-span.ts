/** Conversion of Chevrotain token positions (inclusive ends) to our spans (exclusive ends). */
import type { IToken } from 'chevrotain';
import type { Pos, Span } from '../diag/span.ts';

export function tokenStart(tok: IToken): Pos {
  return { line: tok.startLine ?? 1, column: tok.startColumn ?? 1, offset: tok.startOffset };
}

/** The position just past the last character of `tok`. */
export function tokenEnd(tok: IToken): Pos {
  return { line: tok.endLine ?? 1, column: (tok.endColumn ?? 0) + 1, offset: (tok.endOffset ?? tok.startOffset - 1) + 1 };
}

export function tokenSpan(tok: IToken, file: string): Span {
  return { file, start: tokenStart(tok), end: tokenEnd(tok) };
}

/** The position at the end of `text` (where the end-of-file token sits). */
export function endOfText(text: string): Pos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: text.length - lineStart + 1, offset: text.length };
}
