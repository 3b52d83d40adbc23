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
  /**
   * Where the call gives each parameter its value, by parameter name: an error inside the
   * block that one parameter causes is reported at that argument of the call.
   */
  args?: ReadonlyMap<string, Span>;
}

/** Replace the text of `span` by `text` (an insertion when the span is empty). */
export interface TextEdit {
  span: Span;
  text: string;
}

/** A concrete fix: edits to the sources, all in the file of their spans. */
export interface Fix {
  /** What the fix does, as the help line says it: `set output_pad=1`. */
  message: string;
  edits: TextEdit[];
  /**
   * Whether the fix is certainly what was meant (`netc check --fix` applies it): a value the
   * checker computed, such as output_pad=1 or pad=2. A guess (a name of similar spelling) is
   * offered to the editor but not applied.
   */
  machineApplicable: boolean;
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
  /** Structured fixes (JSON and SARIF `fixes`, editor code actions, `netc check --fix`). */
  fixes?: Fix[];
}
