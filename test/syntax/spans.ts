/** Checks shared by the syntax tests: every span of a tree is consistent with the source text. */
import type { Span } from '../../src/diag/span.ts';

/** Line and column (1-based) of every offset, computed independently of the lexer. */
export function positionsOf(text: string): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  let line = 1;
  let column = 1;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, column });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return out;
}

export interface SpanProblem {
  path: string;
  problem: string;
}

/** Walks a tree and reports spans whose line/column disagree with their offsets, or that escape their parent. */
export function checkSpans(tree: unknown, text: string, file: string): SpanProblem[] {
  const pos = positionsOf(text);
  const problems: SpanProblem[] = [];
  const checkSpan = (span: Span, path: string, parent?: Span): void => {
    if (span.file !== file) problems.push({ path, problem: `file ${span.file}` });
    for (const [name, p] of [['start', span.start], ['end', span.end]] as const) {
      const want = pos[p.offset];
      if (want === undefined || want.line !== p.line || want.column !== p.column) {
        problems.push({ path, problem: `${name} ${p.line}:${p.column}@${p.offset}, text says ${want?.line}:${want?.column}` });
      }
    }
    if (span.end.offset < span.start.offset) problems.push({ path, problem: 'end before start' });
    if (parent && (span.start.offset < parent.start.offset || span.end.offset > parent.end.offset)) {
      problems.push({ path, problem: `outside parent ${parent.start.offset}-${parent.end.offset}` });
    }
  };
  const walk = (node: unknown, path: string, parent?: Span): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${path}[${i}]`, parent));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const rec = node as Record<string, unknown>;
    let own = parent;
    if ('kind' in rec && 'span' in rec) {
      checkSpan(rec.span as Span, `${path}.${String(rec.kind)}`, rec.kind === 'Comment' ? undefined : parent);
      own = rec.span as Span;
    }
    for (const key of ['opSpan', 'argsSpan']) {
      if (rec[key] !== undefined) checkSpan(rec[key] as Span, `${path}.${key}`, own);
    }
    for (const [k, v] of Object.entries(rec)) {
      if (k === 'span' || k === 'opSpan' || k === 'argsSpan') continue;
      walk(v, `${path}.${k}`, k === 'comments' ? undefined : own);
    }
  };
  walk(tree, 'file');
  return problems;
}

/** The tree without positions, for comparing trees of different texts. */
export function withoutSpans(tree: unknown): unknown {
  return JSON.parse(
    JSON.stringify(tree, (k, v: unknown) => {
      if (k === 'span' || k === 'opSpan') return undefined;
      if (k === 'argsSpan') return v === undefined ? undefined : true;
      return v;
    }),
  );
}
