/**
 * Statements the parser had to repair (a `)` it inserted, tokens it skipped) say nothing
 * reliable about what the user meant: they get no semantic diagnostics of their own, and the
 * value they define counts as the result of an error, so that what follows from it is quiet.
 * The syntax error is the one diagnostic of such a statement.
 */
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Stmt } from '../syntax/ast.ts';
import type { LoadedProgram } from './modules.ts';

/** The statements of every loaded file that hold the position of one of its syntax errors. */
export function damagedStatements(prog: LoadedProgram): Set<Stmt> {
  const out = new Set<Stmt>();
  const at = new Map<string, number[]>();
  for (const d of prog.diagnostics) {
    // Parser errors (NET0010 on); a lexer error (a stray character, a too-large integer) keeps
    // the statement's tokens and leaves its meaning to check.
    if (!/^NET00[1-9]\d$/.test(d.code)) continue;
    const list = at.get(d.span.file) ?? [];
    list.push(d.span.start.offset);
    at.set(d.span.file, list);
  }
  for (const [path, m] of prog.modules) {
    const offsets = at.get(path);
    if (!offsets) continue;
    for (const item of m.ast.items) {
      if (item.kind !== 'BlockDecl') continue;
      for (const st of item.body) {
        // Inclusive end: a closer due at the end of the statement is reported just past it.
        if (offsets.some((o) => o >= st.span.start.offset && o <= st.span.end.offset)) out.add(st);
      }
    }
  }
  return out;
}

/** Drops the semantic diagnostics (every code but NET0xxx) located in a damaged statement. */
export function withoutDamaged(diags: readonly Diagnostic[], damaged: ReadonlySet<Stmt>): Diagnostic[] {
  if (damaged.size === 0) return [...diags];
  const spans = [...damaged].map((st) => st.span);
  return diags.filter((d) => d.code.startsWith('NET0') || !spans.some((sp) =>
    sp.file === d.span.file && d.span.start.offset >= sp.start.offset && d.span.start.offset <= sp.end.offset));
}
