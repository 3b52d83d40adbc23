import type { Span } from './span.ts';
import { catalogue, formatMessage, type CatalogueEntry, type DiagnosticCode } from './catalogue.ts';
import type { Diagnostic, Fix, InstanceFrame, Related } from './diagnostic.ts';

export interface DiagExtras {
  label?: string;
  related?: Related[];
  notes?: string[];
  help?: string;
  instances?: InstanceFrame[];
  fixes?: Fix[];
}

/** Build a diagnostic from its catalogue entry: the one way stages create diagnostics. */
export function diag(
  code: DiagnosticCode,
  span: Span,
  args: Record<string, string | number> = {},
  extras: DiagExtras = {},
): Diagnostic {
  const entry: CatalogueEntry = catalogue[code];
  return {
    code,
    severity: entry.severity,
    message: formatMessage(code, args),
    span,
    label: extras.label,
    related: extras.related ?? [],
    notes: extras.notes ?? [],
    help: extras.help,
    instances: extras.instances ?? [],
    ...(extras.fixes && extras.fixes.length > 0 ? { fixes: extras.fixes } : {}),
  };
}
