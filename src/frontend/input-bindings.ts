/**
 * Sizes of dimension symbols read off the input tensors a command was given: an input
 * declared `x: f32[N, 3, H, W]` fed an array of shape [2, 3, 224, 224] binds N=2, H=W=224, as
 * `--bind N=2,H=224,W=224` would. A size that disagrees with an explicit binding, or with the
 * size another input gave the same symbol, is NET3007 at the declaration's dimension.
 *
 * Only dimensions written as a bare symbol bind anything; a constant or an expression (`2*H`)
 * is checked once the graph is concrete, like every input shape (NET3004).
 */
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Span } from '../diag/span.ts';
import { dimSymbols, dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Graph } from '../ir/graph.ts';
import type { Expr, InDecl, SourceFile } from '../syntax/ast.ts';

export interface InputBindings {
  /** Symbols the inputs fix that were not bound already. */
  derived: Map<string, number>;
  diagnostics: Diagnostic[];
}

/**
 * `graph` is the network checked with the `explicit` bindings (their symbols are already
 * constants in it); `files` are the parsed sources, where the inputs' declarations are found.
 */
export function bindingsFromInputs(
  graph: Graph<Dim>,
  files: ReadonlyMap<string, SourceFile>,
  explicit: ReadonlyMap<string, number>,
  explicitSource: string,
  shapes: ReadonlyMap<string, readonly number[]>,
): InputBindings {
  const derived = new Map<string, number>();
  const origin = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const input of graph.inputs) {
    const shape = shapes.get(input.name);
    const value = graph.values[input.value]!;
    // A rank mismatch binds nothing; NET3004 reports it once the graph is concrete.
    if (!shape || shape.length !== value.shape.length) continue;
    const declared = value.span ? declarationDims(files, value.span) : undefined;
    value.shape.forEach((dim, axis) => {
      const size = shape[axis]!;
      const written = declared?.[axis];
      const name = written?.kind === 'NameRef' ? written.name : undefined;
      const conflict = (symbol: string, bound: number, source: string, span: Span | undefined) =>
        diagnostics.push(diag('NET3007', span ?? value.span!, { input: input.name, size, name: symbol, bound, source }));
      if (name !== undefined && explicit.has(name)) {
        const bound = explicit.get(name)!;
        if (bound !== size) conflict(name, bound, explicitSource, written!.span);
        return;
      }
      const symbols = dimSymbols(dim);
      if (symbols.length !== 1 || dimToString(dim) !== symbols[0]) return;
      const symbol = symbols[0]!;
      const known = derived.get(symbol);
      if (known === undefined) {
        derived.set(symbol, size);
        origin.set(symbol, input.name);
      } else if (known !== size) {
        conflict(symbol, known, `from input ${origin.get(symbol)}`, written?.span);
      }
    });
  }
  return { derived, diagnostics };
}

/** The dimension expressions of the input declared at `span` (the input's name). */
function declarationDims(files: ReadonlyMap<string, SourceFile>, span: Span): Expr[] | undefined {
  const file = files.get(span.file);
  if (!file) return undefined;
  for (const item of file.items) {
    if (item.kind !== 'BlockDecl') continue;
    for (const st of item.body) {
      if (st.kind === 'InDecl' && sameStart(st, span)) return st.type.dims;
    }
  }
  return undefined;
}

const sameStart = (d: InDecl, span: Span): boolean => d.name.span.start.offset === span.start.offset;
