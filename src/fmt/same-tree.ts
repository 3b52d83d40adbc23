/**
 * Structural equality of syntax trees, ignoring where things are: spans, the raw text of
 * numbers (`1e3` and `1000.0` are the same float), comments (compared separately) and the
 * file path. What the formatter must preserve is exactly what this compares.
 */
import type { SourceFile } from '../syntax/ast.ts';

const IGNORED = new Set(['span', 'opSpan', 'argsSpan', 'raw', 'comments', 'path']);

export function sameTree(a: SourceFile, b: SourceFile): boolean {
  return equal(a.items, b.items);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => equal(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => !IGNORED.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !IGNORED.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The tree without positions, for readable test failures. */
export function stripPositions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripPositions);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!IGNORED.has(k) && v !== undefined) out[k] = stripPositions(v);
  return out;
}
