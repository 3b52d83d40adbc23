/**
 * The `--format json` document. Its shape is a stable interface (spec/output-formats.md):
 * fields are only ever added, never renamed or removed.
 */
import type { Diagnostic } from '../diagnostic.ts';

export interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'note';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: { file: string; line: number; column: number; message: string }[];
  notes: string[];
  help: string | null;
  instances: { instance: string; callee: string; file: string; line: number; column: number }[];
  /** Structured fixes: each a set of edits (replace `file` from line:column to endLine:endColumn by `text`). */
  fixes: JsonFix[];
}

export interface JsonFix {
  message: string;
  /** `netc check --fix` applies it: the value is the one that works, not a guess. */
  machineApplicable: boolean;
  edits: { file: string; line: number; column: number; endLine: number; endColumn: number; text: string }[];
}

export interface JsonReport {
  diagnostics: JsonDiagnostic[];
  errorCount: number;
  warningCount: number;
}

export function toJsonReport(diags: readonly Diagnostic[], relativeTo: (file: string) => string = (f) => f): JsonReport {
  const diagnostics = diags.map((d): JsonDiagnostic => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: relativeTo(d.span.file),
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    related: d.related.map((r) => ({
      file: relativeTo(r.span.file),
      line: r.span.start.line,
      column: r.span.start.column,
      message: r.message,
    })),
    notes: [...d.notes],
    help: d.help ?? null,
    instances: d.instances.map((f) => ({
      instance: f.instance,
      callee: f.callee,
      file: relativeTo(f.span.file),
      line: f.span.start.line,
      column: f.span.start.column,
    })),
    fixes: (d.fixes ?? []).map((f) => ({
      message: f.message,
      machineApplicable: f.machineApplicable,
      edits: f.edits.map((e) => ({
        file: relativeTo(e.span.file),
        line: e.span.start.line,
        column: e.span.start.column,
        endLine: e.span.end.line,
        endColumn: e.span.end.column,
        text: e.text,
      })),
    })),
  }));
  return {
    diagnostics,
    errorCount: diags.filter((d) => d.severity === 'error').length,
    warningCount: diags.filter((d) => d.severity === 'warning').length,
  };
}

export function renderJson(diags: readonly Diagnostic[], relativeTo?: (file: string) => string): string {
  return JSON.stringify(toJsonReport(diags, relativeTo), null, 2) + '\n';
}
