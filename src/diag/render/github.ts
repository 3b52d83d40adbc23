/**
 * GitHub Actions workflow commands: one `::error file=...,line=...::message` line per
 * diagnostic, which the runner turns into annotations on the pull request.
 */
import type { Diagnostic } from '../diagnostic.ts';

/** Escaping rules of workflow command data. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape `:` and `,`. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(diags: readonly Diagnostic[], relativeTo: (file: string) => string = (f) => f): string {
  const lines = diags.map((d) => {
    const command = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    const props = [
      `file=${escapeProperty(relativeTo(d.span.file))}`,
      `line=${d.span.start.line}`,
      `col=${d.span.start.column}`,
      `endLine=${d.span.end.line}`,
      `endColumn=${d.span.end.column}`,
      `title=${escapeProperty(d.code)}`,
    ].join(',');
    const extra = [...d.instances.map((f) => `in ${f.instance} = ${f.callee}`), ...d.notes, ...(d.help ? [`help: ${d.help}`] : [])];
    const body = [d.message, ...extra].join('\n');
    return `::${command} ${props}::${escapeData(body)}`;
  });
  return lines.length ? lines.join('\n') + '\n' : '';
}
