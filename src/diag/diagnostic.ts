import type { Span } from './span.ts';

export type Severity = 'error' | 'warning' | 'note';

/** A secondary location: "this operand was produced here". */
export interface Related {
  span: Span;
  message: string;
}

/** One step of the chain of block instances a diagnostic arose through, innermost first. */
export interface InstanceFrame {
  /** Hierarchical instance name, e.g. `inception4b`. */
  instance: string;
  /** What was instantiated, e.g. `Inception(...)`. */
  callee: string;
  /** Where the instance was created. */
  span: Span;
}

export interface Diagnostic {
  /** Stable code from the catalogue, e.g. `NET2001`. */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Short label printed under the primary span in the code frame. */
  label?: string;
  related: Related[];
  notes: string[];
  help?: string;
  /** Block instances this arose through, innermost first. */
  instances: InstanceFrame[];
}
