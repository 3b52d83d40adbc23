/**
 * `rules:` of netc.yaml: a project can turn warnings and notes off or change their severity
 * (a warning made an error fails CI). An error stays an error: a configuration that could
 * silence one would let CI pass a file that `netc build` rejects. A rule that tries is
 * ignored and reported (NET6001) instead. Every command that checks and the language server
 * apply the same settings through `applyRules`.
 */
import { catalogue, type CatalogueEntry } from './catalogue.ts';
import type { Diagnostic } from './diagnostic.ts';
import { diag } from './make.ts';
import { syntheticSpan, type Span } from './span.ts';

export type RuleSetting = 'off' | 'warning' | 'error';

const entryOf = (code: string): CatalogueEntry | undefined => (catalogue as Record<string, CatalogueEntry>)[code];

/** The code a rule name or code stands for. */
function codeOf(rule: string): string | undefined {
  if (entryOf(rule)) return rule;
  for (const [code, e] of Object.entries(catalogue as Record<string, CatalogueEntry>)) if (e.rule === rule) return code;
  return undefined;
}

/**
 * Apply the settings: a warning or note set to off is dropped, set to another severity takes
 * it. Errors, and syntax errors in particular, are kept as they are.
 */
export function applyRules(diags: readonly Diagnostic[], rules: ReadonlyMap<string, RuleSetting>): Diagnostic[] {
  if (rules.size === 0) return [...diags];
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const entry = entryOf(d.code);
    const setting = rules.get(d.code) ?? (entry ? rules.get(entry.rule) : undefined);
    if (setting === undefined || d.severity === 'error' || entry?.severity === 'error') out.push(d);
    else if (setting !== 'off') out.push({ ...d, severity: setting });
  }
  return out;
}

/**
 * One NET6001 per rule that tries to turn off or demote an error, at the rule's line of the
 * configuration file when `spans` knows it.
 */
export function ruleProblems(rules: ReadonlyMap<string, RuleSetting>, file: string, spans: ReadonlyMap<string, Span> = new Map()): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [rule, setting] of rules) {
    const code = codeOf(rule);
    if (code === undefined || setting === 'error' || entryOf(code)!.severity !== 'error') continue;
    out.push(diag('NET6001', spans.get(rule) ?? syntheticSpan(file), { file, rule, setting, code }, {
      help: `remove \`${rule}: ${setting}\` from rules; an error is fixed in the source`,
    }));
  }
  return out;
}
