/**
 * The entry point of the syntax stage: source text in, AST and diagnostics out. Never throws:
 * malformed input of any kind gives diagnostics and a partial tree.
 */
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Item, SourceFile } from './ast.ts';
import { lexSource } from './lexer.ts';
import { closeByIndentation } from './unclosed.ts';
import { checkNesting, deepestNode } from './nesting.ts';
import { syntaxDiagnostics } from './parse-errors.ts';
import { netParser } from './parser.ts';
import { endOfText } from './token-span.ts';

export interface ParseResult {
  ast: SourceFile;
  diagnostics: Diagnostic[];
}

export function parseSource(text: string, file: string): ParseResult {
  const fileSpan = { file, start: { line: 1, column: 1, offset: 0 }, end: endOfText(text) };
  const result = (items: Item[], comments: SourceFile['comments'], diagnostics: Diagnostic[]): ParseResult => ({
    ast: { kind: 'SourceFile', path: file, items, comments, span: fileSpan },
    diagnostics: diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset),
  });
  try {
    const lexed = lexSource(text, file);
    const tooDeep = checkNesting(lexed.tokens, file);
    if (tooDeep !== undefined) return result([], lexed.comments, [...lexed.diagnostics, tooDeep]);
    const parser = netParser();
    let items = parser.parseTokens(lexed.tokens, file);
    let syntax = syntaxDiagnostics(parser.syntaxErrors(), lexed.tokens, file, lexed.unterminatedComment);
    // A `(` the parser found unclosed, late, that the indentation says was left open at the end
    // of a line: parse again with it closed there (unclosed.ts). Only then: a file that parses
    // is never read by its layout.
    if (syntax.some((d) => d.code === 'NET0011')) {
      const closed = closeByIndentation(lexed.tokens, file);
      const opened = new Set(closed.diagnostics.map((d) => d.related[0]!.span.start.offset));
      if (syntax.some((d) => d.code === 'NET0011' && opened.has(d.related[0]?.span.start.offset ?? -1))) {
        const again = netParser();
        items = again.parseTokens(closed.tokens, file);
        syntax = [...closed.diagnostics, ...syntaxDiagnostics(again.syntaxErrors(), closed.tokens, file, lexed.unterminatedComment)];
      }
    }
    const deep = deepestNode(items);
    if (deep !== undefined) return result([], lexed.comments, [...lexed.diagnostics, ...syntax, deep]);
    return result(items, lexed.comments, [...lexed.diagnostics, ...syntax]);
  } catch (e) {
    // A stack overflow on pathological nesting that slipped past checkNesting, or a bug: either
    // way the caller gets a diagnostic, not an exception.
    const message = e instanceof RangeError ? 'the file is nested too deeply to parse' : `internal parser error: ${String(e)}`;
    return result([], [], [diag('NET0010', { ...fileSpan, end: fileSpan.start }, { message })]);
  }
}
