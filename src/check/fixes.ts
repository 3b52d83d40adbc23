/**
 * Structured fixes: the edit that makes a help line true (`pad=2`, `output_pad=1`,
 * `|> flatten`, a name spelled as declared). Edits are computed from spans of the call as
 * written, so they keep the user's spelling of everything they do not change.
 */
import type { Pos, Span } from '../diag/span.ts';
import type { Fix, TextEdit } from '../diag/diagnostic.ts';

/** Where the parts of one call are in its source, for edits that set an argument. */
export interface CallText {
  /** The call or pipeline stage. */
  span: Span;
  /** `( ... )` including the parentheses; undefined for a stage written without them (`|> relu`). */
  argsSpan?: Span;
  /** Arguments written between the parentheses (a piped input is not one). */
  argCount: number;
  /** The span of each given argument's value, by canonical name. */
  valueSpans: ReadonlyMap<string, Span>;
}

/** The standard library ships with netc: an edit there is never offered. */
export const isLibraryFile = (file: string): boolean => file.startsWith('std/');

/** An empty span at `pos`: an insertion point. */
export function pointSpan(file: string, pos: Pos): Span {
  return { file, start: pos, end: pos };
}

/** The edit that makes argument `name` of the call `value`: replace its value, or add it. */
export function setArgEdit(call: CallText, name: string, value: string): TextEdit {
  const given = call.valueSpans.get(name);
  if (given) return { span: given, text: value };
  if (call.argsSpan) {
    // Just before the closing parenthesis, which is one character on the line it ends on.
    const end = call.argsSpan.end;
    const at: Pos = { line: end.line, column: end.column - 1, offset: end.offset - 1 };
    return { span: pointSpan(call.span.file, at), text: call.argCount > 0 ? `, ${name}=${value}` : `${name}=${value}` };
  }
  return { span: pointSpan(call.span.file, call.span.end), text: `(${name}=${value})` };
}

/** A fix setting one argument, unless the call is in the standard library. */
export function setArgFix(call: CallText, name: string, value: string, machineApplicable = true): Fix | undefined {
  if (isLibraryFile(call.span.file)) return undefined;
  return { message: `set ${name}=${value}`, edits: [setArgEdit(call, name, value)], machineApplicable };
}

/** A fix replacing the text of `span` (a misspelt name) by `text`. */
export function replaceFix(span: Span, text: string, message: string, machineApplicable = false): Fix | undefined {
  if (isLibraryFile(span.file)) return undefined;
  return { message, edits: [{ span, text }], machineApplicable };
}
