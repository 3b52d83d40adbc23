/**
 * rustc-style rendering: code, message, the primary span with a code frame and its label,
 * related spans, the instance chain, notes and a help line.
 *
 *   error[NET2003]: conv expects 192 input channels, got 256
 *     --> examples/googlenet.net:57:18
 *      |
 *   57 |   p2 = x |> conv(c2.0, k=1) |> relu
 *      |             ^^^^^^^^^^^^^^^ weights are [96, 192, 1, 1]
 *      = note: x is [1, 256, 28, 28]
 *      = help: pass c0=256
 */
import pc from 'picocolors';
import type { Diagnostic, Fix } from '../diagnostic.ts';
import type { Span } from '../span.ts';
import { splitLines, type SourceLookup } from './source.ts';

export interface HumanOptions {
  color: boolean;
  /** Make file names in headers relative to this directory. */
  relativeTo?: (file: string) => string;
}

interface Paint {
  error: (s: string) => string;
  warning: (s: string) => string;
  note: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  help: (s: string) => string;
}

function paints(color: boolean): Paint {
  const c = pc.createColors(color);
  return {
    error: (s) => c.bold(c.red(s)),
    warning: (s) => c.bold(c.yellow(s)),
    note: (s) => c.bold(c.cyan(s)),
    dim: (s) => c.blue(s),
    bold: (s) => c.bold(s),
    help: (s) => c.bold(c.green(s)),
  };
}

export function renderHuman(diags: readonly Diagnostic[], sources: SourceLookup, options: HumanOptions): string {
  const out: string[] = [];
  for (const d of diags) out.push(renderOne(d, sources, options));
  return out.join('\n');
}

function renderOne(d: Diagnostic, sources: SourceLookup, o: HumanOptions): string {
  const p = paints(o.color);
  const rel = o.relativeTo ?? ((f: string) => f);
  const sev = d.severity === 'error' ? p.error : d.severity === 'warning' ? p.warning : p.note;
  const lines: string[] = [];
  lines.push(`${sev(`${d.severity}[${d.code}]`)}${p.bold(`: ${d.message}`)}`);
  const gutter = String(Math.max(d.span.end.line, ...d.related.map((r) => r.span.end.line))).length;
  const pad = ' '.repeat(gutter);
  lines.push(`${pad}${p.dim('-->')} ${rel(d.span.file)}:${d.span.start.line}:${d.span.start.column}`);
  lines.push(...frame(d.span, d.label, sources, gutter, p, sev));
  for (const r of d.related) {
    lines.push(`${pad} ${p.dim('=')} ${p.bold('note')}: ${r.message} at ${rel(r.span.file)}:${r.span.start.line}:${r.span.start.column}`);
    lines.push(...frame(r.span, undefined, sources, gutter, p, p.note));
  }
  for (const f of d.instances) {
    lines.push(`${pad} ${p.dim('=')} in ${f.instance} = ${f.callee} at ${rel(f.span.file)}:${f.span.start.line}:${f.span.start.column}`);
  }
  for (const n of d.notes) lines.push(`${pad} ${p.dim('=')} ${p.bold('note')}: ${n}`);
  const fix = d.fixes?.[0];
  if (d.help || fix) lines.push(`${pad} ${p.dim('=')} ${p.help('help')}: ${d.help ?? fix!.message}`);
  if (fix) lines.push(...suggestion(fix, sources, gutter, p));
  return lines.join('\n') + '\n';
}

/**
 * The line a fix changes, as it reads after the fix, with `+` under inserted text and `~`
 * under replaced text (rustc's suggestion frame). Only for a fix within one line.
 */
function suggestion(fix: Fix, sources: SourceLookup, gutter: number, p: Paint): string[] {
  const first = fix.edits[0];
  if (!first || fix.edits.some((e) => e.span.file !== first.span.file || e.span.start.line !== first.span.start.line || e.span.end.line !== first.span.start.line)) return [];
  const text = sources(first.span.file);
  if (text === undefined) return [];
  const ln = first.span.start.line;
  let line = splitLines(text)[ln - 1];
  if (line === undefined) return [];
  let marks = ' '.repeat(line.length);
  // From the right, so that earlier columns stay valid.
  for (const e of [...fix.edits].sort((a, b) => b.span.start.column - a.span.start.column)) {
    const s = e.span.start.column - 1;
    const t = e.span.end.column - 1;
    const mark = (e.span.end.offset > e.span.start.offset ? '~' : '+').repeat(e.text.length);
    line = line.slice(0, s) + e.text + line.slice(t);
    marks = marks.slice(0, s) + mark + marks.slice(t);
  }
  const lead = ' '.repeat(gutter);
  return [
    `${lead} ${p.dim('|')}`,
    `${p.dim(String(ln).padStart(gutter))} ${p.dim('|')} ${line.replace(/\t/g, ' ')}`,
    `${lead} ${p.dim('|')} ${p.help(marks.trimEnd())}`,
  ];
}

/** The source lines of a span with carets under it; nothing when the text is unavailable. */
function frame(
  span: Span,
  label: string | undefined,
  sources: SourceLookup,
  gutter: number,
  p: Paint,
  mark: (s: string) => string,
): string[] {
  const text = sources(span.file);
  if (text === undefined) return [];
  const all = splitLines(text);
  const first = span.start.line;
  // Long spans show their first line only: the caret run marks where it starts.
  const last = first;
  if (first < 1 || first > all.length) return [];
  const out: string[] = [`${' '.repeat(gutter)} ${p.dim('|')}`];
  for (let ln = first; ln <= last; ln++) {
    const src = (all[ln - 1] ?? '').replace(/\t/g, ' ');
    out.push(`${p.dim(String(ln).padStart(gutter))} ${p.dim('|')} ${src}`);
    const startCol = span.start.column;
    const endCol = span.end.line === ln ? Math.max(span.end.column, startCol + 1) : src.length + 1;
    const width = Math.max(1, endCol - startCol);
    const carets = ' '.repeat(Math.max(0, startCol - 1)) + mark('^'.repeat(width));
    out.push(`${' '.repeat(gutter)} ${p.dim('|')} ${carets}${label ? ' ' + mark(label) : ''}`);
  }
  return out;
}
