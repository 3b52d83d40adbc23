/**
 * Positions between the protocol and netc: LSP counts lines and characters from 0 (UTF-16
 * code units); netc spans count lines and columns from 1 and carry a 0-based UTF-16 offset.
 */
import type { Span } from '../diag/span.ts';

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export function spanToRange(span: Span): LspRange {
  return {
    start: { line: Math.max(0, span.start.line - 1), character: Math.max(0, span.start.column - 1) },
    end: { line: Math.max(0, span.end.line - 1), character: Math.max(0, span.end.column - 1) },
  };
}

/** Offsets of the start of every line of a text. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The offset of an LSP position in `text` (clamped to the line and the text). */
export function offsetAt(text: string, pos: LspPosition): number {
  const starts = lineStarts(text);
  if (pos.line >= starts.length) return text.length;
  const start = starts[Math.max(0, pos.line)]!;
  const end = pos.line + 1 < starts.length ? starts[pos.line + 1]! - 1 : text.length;
  return Math.min(start + Math.max(0, pos.character), end);
}

export function contains(span: Span, offset: number): boolean {
  return span.start.offset <= offset && offset <= span.end.offset;
}
