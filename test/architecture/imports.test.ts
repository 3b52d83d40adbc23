/**
 * The pipeline's promise in ARCHITECTURE.md: data flows one way. Every import of a module in
 * src/ goes to the same stage or to a stage below it, and no two files import each other
 * through a cycle (the checker's evaluator is recursive by nature: cycles inside src/check are
 * allowed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Stages from the bottom up; a stage may import its own folder and any folder listed before it. */
export const LAYERS: readonly (readonly string[])[] = [
  ['diag'],
  ['syntax'],
  ['ir'],
  ['ops'],
  ['io'],
  ['check'],
  // The interpreter is the reference the passes and the Wasm backend are verified against,
  // so it depends on neither.
  ['interp'],
  ['passes'],
  ['wasm'],
  ['frontend'],
  ['fmt', 'graph', 'lsp'],
  ['cli'],
  ['api.ts', 'index.ts'],
];

function layerOf(stage: string): number {
  const i = LAYERS.findIndex((l) => l.includes(stage));
  if (i < 0) throw new Error(`src/${stage} is not placed in LAYERS`);
  return i;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative module specifiers imported (statically, dynamically or as types) by a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.\.?\/[^'"]+)['"]/g)) {
    out.push(resolve(dirname(file), m[1]!));
  }
  return out;
}

const stageOf = (file: string): string => relative(SRC, file).split(/[\\/]/)[0]!;

export function importEdges(): { from: string; to: string }[] {
  return sourceFiles(SRC).flatMap((from) =>
    importsOf(from).filter((to) => to.startsWith(SRC) && existsSync(to)).map((to) => ({ from, to })),
  );
}

describe('import graph', () => {
  const edges = importEdges();

  it('has no import from a lower stage to a higher one', () => {
    const backward = edges
      .filter(({ from, to }) => layerOf(stageOf(from)) < layerOf(stageOf(to)))
      .map(({ from, to }) => `${relative(SRC, from)} -> ${relative(SRC, to)}`);
    expect(backward).toEqual([]);
  });

  it('has no cycle between files outside the checker', () => {
    const graph = new Map<string, string[]>();
    for (const { from, to } of edges) {
      if (stageOf(from) === 'check' && stageOf(to) === 'check') continue;
      graph.set(from, [...(graph.get(from) ?? []), to]);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        const s = state.get(t);
        if (s === 'open') cycles.push(stack.slice(stack.indexOf(t)).concat(t).map((p) => relative(SRC, p)).join(' -> '));
        else if (s === undefined) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
