/**
 * Printing diagnostics in the format the user asked for, with paths relative to the working
 * directory, and the rule severities of netc.yaml applied.
 */
import { isAbsolute, relative } from 'node:path';
import { catalogue, type CatalogueEntry } from '../diag/catalogue.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { renderGithub } from '../diag/render/github.ts';
import { renderHuman } from '../diag/render/human.ts';
import { renderJson } from '../diag/render/json.ts';
import { renderSarif } from '../diag/render/sarif.ts';
import type { SourceLookup } from '../diag/render/source.ts';
import type { RuleSetting } from './config.ts';
import { UsageError, type CliIO } from './io.ts';
import { VERSION } from './version.ts';

export type Format = 'human' | 'json' | 'github' | 'sarif';
export const FORMATS: readonly Format[] = ['human', 'json', 'github', 'sarif'];

export function parseFormat(value: string | undefined): Format {
  if (value === undefined) return 'human';
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown format '${value}' (use ${FORMATS.join(', ')})`);
  return value as Format;
}

export function relativeTo(cwd: string): (file: string) => string {
  return (file) => (isAbsolute(file) ? relative(cwd, file) || file : file).split('\\').join('/');
}

/**
 * Apply `rules:` from netc.yaml: a rule name or code set to off drops the diagnostic,
 * warning/error changes its severity. Syntax errors cannot be turned off.
 */
export function applyRuleSettings(diags: Diagnostic[], rules: ReadonlyMap<string, RuleSetting>): Diagnostic[] {
  if (rules.size === 0) return diags;
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const entry = (catalogue as Record<string, CatalogueEntry>)[d.code];
    const setting = rules.get(d.code) ?? (entry ? rules.get(entry.rule) : undefined);
    if (setting === undefined || d.code.startsWith('NET0')) {
      out.push(d);
    } else if (setting !== 'off') {
      out.push({ ...d, severity: setting });
    }
  }
  return out;
}

/** Rule names and codes netc.yaml may mention; unknown ones are a usage error. */
export function validateRuleNames(rules: ReadonlyMap<string, RuleSetting>): void {
  const known = new Set<string>();
  for (const [code, entry] of Object.entries(catalogue as Record<string, CatalogueEntry>)) {
    known.add(code);
    known.add(entry.rule);
  }
  for (const name of rules.keys()) if (!known.has(name)) throw new UsageError(`netc.yaml: unknown rule '${name}'`);
}

export function printDiagnostics(io: CliIO, diags: Diagnostic[], format: Format, sources: SourceLookup): void {
  const rel = relativeTo(io.cwd);
  switch (format) {
    case 'human':
      if (diags.length) io.stderr(renderHuman(diags, sources, { color: io.isTTY && !io.env.NO_COLOR, relativeTo: rel }));
      return;
    case 'json':
      io.stdout(renderJson(diags, rel));
      return;
    case 'github':
      io.stdout(renderGithub(diags, rel));
      return;
    case 'sarif':
      io.stdout(renderSarif(diags, VERSION, rel));
      return;
  }
}

export function countBySeverity(diags: Diagnostic[]): { errors: number; warnings: number } {
  return {
    errors: diags.filter((d) => d.severity === 'error').length,
    warnings: diags.filter((d) => d.severity === 'warning').length,
  };
}
