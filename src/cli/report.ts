/**
 * Printing diagnostics in the format the user asked for, with paths relative to the working
 * directory; the rule names netc.yaml may use (diag/rules.ts applies them).
 */
import { isAbsolute, relative, sep } from 'node:path';
import { catalogue, type CatalogueEntry } from '../diag/catalogue.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { renderGithub } from '../diag/render/github.ts';
import { renderHuman } from '../diag/render/human.ts';
import { renderJson } from '../diag/render/json.ts';
import { renderSarif } from '../diag/render/sarif.ts';
import type { SourceLookup } from '../diag/render/source.ts';
import type { RuleSetting } from '../diag/rules.ts';
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

/** Rule names and codes netc.yaml may mention; unknown ones are a usage error. */
export function validateRuleNames(rules: ReadonlyMap<string, RuleSetting>): void {
  const known = new Set<string>();
  for (const [code, entry] of Object.entries(catalogue as Record<string, CatalogueEntry>)) {
    known.add(code);
    known.add(entry.rule);
  }
  for (const name of rules.keys()) if (!known.has(name)) throw new UsageError(`netc.yaml: unknown rule '${name}'`);
}

/**
 * Paths inside the texts of diagnostics (a shadowed name "declared at /home/.../a.net:3:7",
 * an import cycle, a file with no network) relative to the working directory, as the
 * locations are: no output names a path of the machine it ran on.
 */
export function relativeTexts(diags: readonly Diagnostic[], cwd: string): Diagnostic[] {
  const rel = relativeTo(cwd);
  return diags.map((d) => {
    const files = new Set<string>([d.span.file, ...d.related.map((r) => r.span.file), ...d.instances.map((f) => f.span.file)]);
    const absolute = [...files].filter((f) => isAbsolute(f)).sort((a, b) => b.length - a.length);
    const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
    const fix = (s: string): string => {
      let out = s;
      for (const f of absolute) out = out.split(f).join(rel(f));
      return out.split(prefix).join('');
    };
    const changed = (s: string) => fix(s) !== s;
    if (![d.message, d.help ?? '', ...d.notes, ...d.related.map((r) => r.message)].some(changed)) return d;
    return {
      ...d,
      message: fix(d.message),
      help: d.help === undefined ? undefined : fix(d.help),
      notes: d.notes.map(fix),
      related: d.related.map((r) => ({ ...r, message: fix(r.message) })),
    };
  });
}

export function printDiagnostics(io: CliIO, all: Diagnostic[], format: Format, sources: SourceLookup): void {
  const rel = relativeTo(io.cwd);
  const diags = relativeTexts(all, io.cwd);
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
