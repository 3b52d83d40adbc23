/**
 * Expected-output fixtures: a test computes a text, the expected text lives in a file beside
 * the source it came from, and a change shows up as a diff in review.
 *
 *   npx vitest run test/fixtures-tests                      # compare; a difference fails
 *   UPDATE_FIXTURES=1 npx vitest run test/fixtures-tests    # rewrite the expected files
 *
 * Without the flag a missing, different or stale (no longer produced) file fails with the
 * first differing lines and the command that regenerates them.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const UPDATE_COMMAND = 'UPDATE_FIXTURES=1 npx vitest run test/fixtures-tests';

export function updatingFixtures(): boolean {
  const v = process.env['UPDATE_FIXTURES'];
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * A unified-style line diff of two texts (`-` expected, `+` actual) with a few lines of
 * context, cut after `maxLines`. Longest common subsequence over lines; texts too large for
 * that show their first differing region as one block.
 */
export function diffHint(expected: string, actual: string, context = 2, maxLines = 40): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const ops = a.length * b.length <= 4_000_000 ? lineDiff(a, b) : blockDiff(a, b);
  const keep = new Set<number>();
  ops.forEach((op, i) => {
    if (op.kind !== ' ') for (let k = Math.max(0, i - context); k <= Math.min(ops.length - 1, i + context); k++) keep.add(k);
  });
  const out: string[] = [];
  let last = -1;
  for (let i = 0; i < ops.length && out.length < maxLines; i++) {
    if (!keep.has(i)) continue;
    const op = ops[i]!;
    if (i !== last + 1 || out.length === 0) out.push(`@@ line ${op.line} @@`);
    out.push(`${op.kind} ${op.text.length > 200 ? `${op.text.slice(0, 200)}...` : op.text}`);
    last = i;
  }
  const changed = ops.filter((op) => op.kind !== ' ').length;
  if (out.length >= maxLines) out.push(`... (${changed} changed lines in all)`);
  return out.join('\n');
}

interface DiffOp {
  kind: ' ' | '-' | '+';
  text: string;
  /** Line number in the expected text (the actual text's for additions). */
  line: number;
}

function lineDiff(a: string[], b: string[]): DiffOp[] {
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i]!, line: i + 1 });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      ops.push({ kind: '+', text: b[j]!, line: j + 1 });
      j++;
    } else {
      ops.push({ kind: '-', text: a[i]!, line: i + 1 });
      i++;
    }
  }
  // Removals before additions within a run of changes reads better.
  for (let s = 0; s < ops.length; ) {
    if (ops[s]!.kind === ' ') {
      s++;
      continue;
    }
    let e = s;
    while (e < ops.length && ops[e]!.kind !== ' ') e++;
    const run = ops.slice(s, e);
    ops.splice(s, e - s, ...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+'));
    s = e;
  }
  return ops;
}

function blockDiff(a: string[], b: string[]): DiffOp[] {
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  let tailA = a.length;
  let tailB = b.length;
  while (tailA > first && tailB > first && a[tailA - 1] === b[tailB - 1]) {
    tailA--;
    tailB--;
  }
  return [
    ...a.slice(0, first).map((text, k): DiffOp => ({ kind: ' ', text, line: k + 1 })),
    ...a.slice(first, tailA).map((text, k): DiffOp => ({ kind: '-', text, line: first + k + 1 })),
    ...b.slice(first, tailB).map((text, k): DiffOp => ({ kind: '+', text, line: first + k + 1 })),
    ...a.slice(tailA).map((text, k): DiffOp => ({ kind: ' ', text, line: tailA + k + 1 })),
  ];
}

/** Compare `actual` with the file at `path`, or (with UPDATE_FIXTURES) write it there. */
export function expectFixture(path: string, actual: string): void {
  const exists = existsSync(path);
  const expected = exists ? readFileSync(path, 'utf8') : undefined;
  if (expected === actual) return;
  if (updatingFixtures()) {
    writeFileSync(path, actual);
    return;
  }
  if (expected === undefined) throw new Error(`missing fixture ${path}\nto create it, run: ${UPDATE_COMMAND}`);
  throw new Error(`fixture ${path} differs from the output (- fixture, + output):\n${diffHint(expected, actual)}\nif the change is intended, run: ${UPDATE_COMMAND} and review the diff`);
}

/**
 * Files in `dir` that match `owned` (the names this mechanism writes) but are not in
 * `produced`: a fixture of output no longer made. Deleted with UPDATE_FIXTURES, else an error.
 */
export function expectNoStaleFixtures(dir: string, owned: (name: string) => boolean, produced: ReadonlySet<string>): void {
  const stale = readdirSync(dir).filter((f) => owned(f) && !produced.has(join(dir, f)) && !produced.has(f));
  if (stale.length === 0) return;
  if (updatingFixtures()) {
    for (const f of stale) rmSync(join(dir, f));
    return;
  }
  throw new Error(`stale fixture${stale.length > 1 ? 's' : ''} (no longer produced): ${stale.map((f) => basename(f)).join(', ')} in ${dir}\nto remove, run: ${UPDATE_COMMAND}`);
}
