/**
 * `netc fmt` on one text: parse, print in the canonical layout (syntax/printer.ts), and check
 * the result before anyone writes it. A file with syntax errors is not formatted (its tree is
 * partial, printing it would lose text). The printed text must parse to the same tree and
 * keep every comment; if it does not, that is a printer bug and the file is left alone with
 * a diagnostic rather than silently changed.
 */
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { SourceFile } from '../syntax/ast.ts';
import { parseSource } from '../syntax/parse.ts';
import { printSource } from '../syntax/printer.ts';
import { sameTree } from './same-tree.ts';

export interface FormatResult {
  /** The formatted text; undefined when the file could not be formatted (see diagnostics). */
  text?: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  /** Syntax errors that stopped formatting. */
  diagnostics: Diagnostic[];
  /** Set when the printed text failed verification (a formatter bug): why. */
  unsafe?: string;
}

export function formatSource(text: string, file: string): FormatResult {
  const parsed = parseSource(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { changed: false, diagnostics: errors };
  const out = printSource(parsed.ast);
  const problem = verifyFormatted(parsed.ast, out, file);
  if (problem !== undefined) {
    return { changed: false, diagnostics: [], unsafe: `formatting ${problem}` };
  }
  return { text: out, changed: out !== text, diagnostics: [] };
}

/** Why `printed` is not a faithful layout of `original`, or undefined when it is. */
export function verifyFormatted(original: SourceFile, printed: string, file: string): string | undefined {
  const again = parseSource(printed, file);
  if (again.diagnostics.some((d) => d.severity === 'error')) return `produced text that does not parse (${again.diagnostics[0]!.message})`;
  if (!sameTree(original, again.ast)) return 'changed the syntax tree';
  const before = original.comments.map((c) => c.text.trimEnd());
  const after = again.ast.comments.map((c) => c.text.trimEnd());
  if (before.length !== after.length || before.some((c, i) => c !== after[i])) return 'lost or reordered a comment';
  return undefined;
}
