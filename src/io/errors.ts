/**
 * The error every tensor-file reader and weight binder throws. It carries a catalogue code
 * (NET3xxx) and the message arguments, so the command line can print it as an ordinary
 * diagnostic instead of a stack trace.
 */
import { formatMessage, type DiagnosticCode } from '../diag/catalogue.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import { syntheticSpan, type Span } from '../diag/span.ts';

export type TensorFileErrorArgs = Record<string, string | number>;

export class TensorFileError extends Error {
  override readonly name = 'TensorFileError';

  constructor(
    readonly code: DiagnosticCode,
    readonly args: TensorFileErrorArgs,
  ) {
    super(formatMessage(code, args));
  }

  /** The file the error is about (the `file` argument), for spans and messages. */
  get file(): string {
    return String(this.args['file'] ?? '<tensor file>');
  }

  /** As a diagnostic; the span defaults to the start of the tensor file itself. */
  toDiagnostic(span: Span = syntheticSpan(this.file)): Diagnostic {
    return diag(this.code, span, this.args);
  }
}

export function isTensorFileError(e: unknown): e is TensorFileError {
  return e instanceof TensorFileError;
}
