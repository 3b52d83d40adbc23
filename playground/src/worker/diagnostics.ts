/**
 * Diagnostics as the page shows them: position, offsets for the editor's underline, and the
 * text `netc check` prints (the same renderer, without colour), so the page and the CLI agree
 * word for word.
 */
import type { Diagnostic } from '../../../src/diag/diagnostic.ts';
import { renderHuman } from '../../../src/diag/render/human.ts';
import type { DiagItem } from '../protocol.ts';

export function diagItems(diags: readonly Diagnostic[], file: string, sources: (f: string) => string | undefined): DiagItem[] {
  return diags.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    line: d.span.start.line,
    column: d.span.start.column,
    ...(d.span.file === file ? { from: d.span.start.offset, to: d.span.end.offset } : {}),
    text: renderHuman([d], sources, { color: false }),
  }));
}
