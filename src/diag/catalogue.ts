/**
 * The catalogue of every diagnostic netc reports. Codes are stable: once published a code
 * never changes meaning; a retired code is kept with `retired: true`. Messages use `{name}`
 * placeholders filled from the arguments given to `diag()`.
 *
 * Ranges:
 *   NET0xxx  syntax (lexer, parser)
 *   NET1xxx  names, imports, arguments, block instantiation
 *   NET2xxx  shapes
 *   NET3xxx  weights and tensor files
 *   NET4xxx  build and backends
 *   NET5xxx  ONNX import and export
 *   NET6xxx  command line, configuration
 *   NET9xxx  limits (sizes, depth, counts)
 *
 * Every code is documented in spec/diagnostics.md; a test keeps the two in sync.
 */
import type { Severity } from './diagnostic.ts';

export interface CatalogueEntry {
  severity: Severity;
  /** Short name used in configuration (`rules: { unused-value: off }`). */
  rule: string;
  message: string;
  retired?: boolean;
}

export const catalogue = {
  // ---- NET0xxx syntax ----
  NET0001: { severity: 'error', rule: 'unexpected-character', message: 'unexpected character {char}' },
  NET0002: { severity: 'error', rule: 'unterminated-string', message: 'unterminated string literal' },
  NET0003: { severity: 'error', rule: 'unterminated-comment', message: 'unterminated block comment' },
  NET0010: { severity: 'error', rule: 'syntax-error', message: '{message}' },
  NET0011: { severity: 'error', rule: 'unclosed-delimiter', message: 'expected {expected} to close the {what} opened at {openedAt}' },
  NET0012: { severity: 'error', rule: 'expected-token', message: 'expected {expected}, found {found}' },

  // ---- NET1xxx names, imports, arguments ----

  // ---- NET2xxx shapes ----

  // ---- NET3xxx weights and tensor files ----
  NET3001: { severity: 'error', rule: 'missing-weight', message: 'weight {name} {shape} is missing from {file}' },
  NET3002: { severity: 'warning', rule: 'unused-weight', message: '{file} holds tensor {name} {shape} that no layer uses' },
  NET3003: { severity: 'error', rule: 'weight-shape-mismatch', message: 'weight {name} is {got} in {file}, expected {expected}' },
  NET3010: { severity: 'error', rule: 'tensor-file-truncated', message: '{file} is truncated: {detail}' },
  NET3011: { severity: 'error', rule: 'tensor-file-header', message: '{file} has an invalid header: {detail}' },
  NET3012: { severity: 'error', rule: 'tensor-dtype-unsupported', message: '{file}: tensor {tensor} has unsupported dtype {dtype}' },
  NET3013: { severity: 'error', rule: 'tensor-entry-invalid', message: '{file}: tensor {tensor}: {detail}' },
  NET3014: { severity: 'error', rule: 'tensor-file-too-large', message: '{file}: {detail} exceeds the limit of {limit}' },
  NET3015: { severity: 'error', rule: 'tensor-layout-unsupported', message: '{file}: {detail}' },
  NET3020: { severity: 'error', rule: 'weight-map-invalid', message: 'weight name map {file}: {detail}' },

  // ---- NET4xxx build and backends ----

  // ---- NET5xxx ONNX ----

  // ---- NET6xxx command line and configuration ----

  // ---- NET9xxx limits ----
} satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;

/** Fill `{name}` placeholders of a catalogue message. */
export function formatMessage(code: DiagnosticCode, args: Record<string, string | number>): string {
  const entry: CatalogueEntry = catalogue[code];
  return entry.message.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}
