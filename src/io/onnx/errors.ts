/**
 * The error ONNX export throws (its signature returns bytes, so a failure cannot travel as a
 * return value). It carries a finished diagnostic so the command line prints it as one.
 */
import type { DiagnosticCode } from '../../diag/catalogue.ts';
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { diag } from '../../diag/make.ts';
import { syntheticSpan, type Span } from '../../diag/span.ts';

export class OnnxError extends Error {
  override readonly name = 'OnnxError';
  readonly diagnostic: Diagnostic;

  constructor(code: DiagnosticCode, args: Record<string, string | number>, span: Span = syntheticSpan('<onnx>')) {
    const d = diag(code, span, args);
    super(d.message);
    this.diagnostic = d;
  }
}

export function isOnnxError(e: unknown): e is OnnxError {
  return e instanceof OnnxError;
}
