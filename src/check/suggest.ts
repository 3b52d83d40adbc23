/** "Did you mean" suggestions: the closest known name by edit distance, and the edit that writes it. */
import type { Fix } from '../diag/diagnostic.ts';
import type { Span } from '../diag/span.ts';
import { replaceFix } from './fixes.ts';

/** Levenshtein distance, with transpositions counted as one edit (Damerau, restricted). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  // Three rows reused in turn: suggestions compare a name with every candidate.
  let prev2 = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return prev[n]!;
}

/**
 * The best candidate for a misspelled `name`, if one is close enough: at most a third of the
 * name's length in edits (at least 1, at most 3), or equal ignoring case.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDist = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    // The distance is at least the length difference: past the limit, c can never be chosen.
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(name, c);
    if (d < bestDist || (d === bestDist && best !== undefined && c < best)) {
      best = c;
      bestDist = d;
    }
  }
  return bestDist <= limit ? best : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const c = closestName(name, candidates);
  return c === undefined ? undefined : `did you mean ${c}?`;
}

/**
 * The help and the fix for a misspelt `name` written at `span`: "did you mean conv?" and the
 * edit replacing it (`text` writes the candidate as source, e.g. quoted for a module path).
 * A similar spelling is a guess: offered to the editor, not applied by `--fix`.
 */
export function didYouMeanFix(
  name: string, candidates: Iterable<string>, span: Span, text: (c: string) => string = (c) => c,
): { help?: string; fixes?: Fix[] } {
  const c = closestName(name, candidates);
  if (c === undefined) return {};
  const fix = replaceFix(span, text(c), `replace ${name} with ${c}`);
  return { help: `did you mean ${c}?`, ...(fix ? { fixes: [fix] } : {}) };
}
