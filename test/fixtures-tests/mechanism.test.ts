/** The fixture mechanism itself: a difference fails with a readable diff, the flag rewrites. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { diffHint, expectFixture, expectNoStaleFixtures } from '../support/fixtures.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'netc-fixtures-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('fixtures', () => {
  test('diffHint shows changed lines with context, removals first', () => {
    const hint = diffHint('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n', 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\n');
    expect(hint).toBe(['@@ line 2 @@', '  b', '  c', '- d', '+ D', '  e', '  f', '@@ line 9 @@', '  i', '  j', '+ k', '  '].join('\n'));
  });

  test('a different file fails with the diff and the update command; the flag rewrites it', () => {
    vi.stubEnv('UPDATE_FIXTURES', '');
    const file = join(tmp(), 'x.ir.txt');
    writeFileSync(file, 'one\ntwo\n');
    expect(() => expectFixture(file, 'one\ntwo\n')).not.toThrow();
    expect(() => expectFixture(file, 'one\n2\n')).toThrow(/- two\n\+ 2[\s\S]*UPDATE_FIXTURES=1 npx vitest run test\/fixtures-tests/);
    expect(() => expectFixture(join(tmp(), 'missing.txt'), 'x')).toThrow(/missing fixture/);
    vi.stubEnv('UPDATE_FIXTURES', '1');
    expectFixture(file, 'one\n2\n');
    expect(readFileSync(file, 'utf8')).toBe('one\n2\n');
  });

  test('a fixture no longer produced is stale: an error, removed with the flag', () => {
    vi.stubEnv('UPDATE_FIXTURES', '0');
    const dir = tmp();
    writeFileSync(join(dir, 'a.wat'), '');
    writeFileSync(join(dir, 'b.wat'), '');
    writeFileSync(join(dir, 'b.net'), '');
    const owned = (f: string) => f.endsWith('.wat');
    expect(() => expectNoStaleFixtures(dir, owned, new Set(['b.wat']))).toThrow(/stale fixture \(no longer produced\): a\.wat/);
    vi.stubEnv('UPDATE_FIXTURES', '1');
    expectNoStaleFixtures(dir, owned, new Set(['b.wat']));
    expect(() => readFileSync(join(dir, 'a.wat'))).toThrow();
    expect(readFileSync(join(dir, 'b.net'), 'utf8')).toBe('');
  });
});
