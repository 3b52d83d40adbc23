/** netc diagnostics as protocol diagnostics: severity, code, help and notes, related locations. */
import type { Diagnostic } from '../diag/diagnostic.ts';
import { spanToRange, type LspRange } from './positions.ts';
import { pathToUri } from './workspace.ts';

export interface LspDiagnostic {
  range: LspRange;
  severity: 1 | 2 | 3;
  code: string;
  source: 'netc';
  message: string;
  relatedInformation?: { location: { uri: string; range: LspRange }; message: string }[];
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const extra = [...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])];
  const related = [
    ...d.related.map((r) => ({ location: { uri: pathToUri(r.span.file), range: spanToRange(r.span) }, message: r.message })),
    ...d.instances.map((f) => ({ location: { uri: pathToUri(f.span.file), range: spanToRange(f.span) }, message: `in ${f.instance} = ${f.callee}` })),
  ];
  return {
    range: spanToRange(d.span),
    severity: d.severity === 'error' ? 1 : d.severity === 'warning' ? 2 : 3,
    code: d.code,
    source: 'netc',
    message: [d.message, ...extra].join('\n'),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/**
 * The diagnostics to show in one file. A problem inside a block defined elsewhere (a library
 * block instantiated here) is also shown at the call in this file that led to it.
 */
export function diagnosticsFor(path: string, all: readonly Diagnostic[]): LspDiagnostic[] {
  const out: LspDiagnostic[] = [];
  for (const d of all) {
    if (d.span.file === path) {
      out.push(toLspDiagnostic(d));
      continue;
    }
    const frame = d.instances.find((f) => f.span.file === path);
    if (!frame || d.severity === 'note') continue;
    const lsp = toLspDiagnostic(d);
    lsp.range = spanToRange(frame.span);
    lsp.message = `${lsp.message}\n(in ${frame.instance}: at ${d.span.file}:${d.span.start.line}:${d.span.start.column})`;
    lsp.relatedInformation = [{ location: { uri: pathToUri(d.span.file), range: spanToRange(d.span) }, message: d.message }, ...(lsp.relatedInformation ?? [])];
    out.push(lsp);
  }
  return out;
}
