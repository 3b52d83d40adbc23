/** A build failure carrying its diagnostic (NET4xxx), thrown by buildModule. */
import type { DiagnosticCode } from '../diag/catalogue.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import { syntheticSpan, type Span } from '../diag/span.ts';

export class WasmBuildError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(code: DiagnosticCode, args: Record<string, string | number>, span: Span = syntheticSpan()) {
    const d = diag(code, span, args);
    super(`${d.code}: ${d.message}`);
    this.diagnostic = d;
  }
}
