/** Failures of the Wasm backend: a build problem with its diagnostic, or the backend absent. */
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

/**
 * binaryen is an optional peer dependency, so that installs which only check, format or draw
 * networks do not download it; building a module without it installed throws this.
 */
export class BackendMissingError extends Error {
  constructor() {
    super('building WebAssembly needs the optional package binaryen, which is not installed: run `npm install binaryen`');
    this.name = 'BackendMissingError';
  }
}

/** Whether `e` is the module loader failing to find the package `name` itself. */
export function isMissingPackage(e: unknown, name: string): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code === 'ERR_MODULE_NOT_FOUND' && new RegExp(`['"]${name}['"]`).test(err.message ?? '');
}
