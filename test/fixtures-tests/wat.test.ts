/**
 * WebAssembly text fixtures: for every test/fixtures/wat/X.net, the optimised module as text
 * (X.wat) with seeded random weights in its data segment, so a change of code generation
 * shows as a diff in review. The networks are tiny (a few channels) to keep the text short.
 * Regenerate with `UPDATE_FIXTURES=1 npx vitest run test/fixtures-tests`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { expectFixture, expectNoStaleFixtures } from '../support/fixtures.ts';

const DIR = 'test/fixtures/wat';
const sources = readdirSync(DIR).filter((f) => f.endsWith('.net')).sort();
/** Reviewable: a fixture larger than this should use a smaller network. */
const MAX_TEXT = 40_000;

async function wat(source: string): Promise<string> {
  const built = await compile(readFileSync(join(DIR, source), 'utf8'), { file: source, randomWeights: 1, emitText: true });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(WebAssembly.validate(new Uint8Array(built.wasm!))).toBe(true);
  return built.wat!;
}

describe('module text', () => {
  test('there are sources', () => {
    expect(sources.length).toBeGreaterThanOrEqual(3);
  });

  for (const source of sources) {
    test(source, async () => {
      const text = await wat(source);
      expect(text.length).toBeLessThan(MAX_TEXT);
      expect(text).toMatch(/\(data \(i32\.const \d+\) "/);
      expectFixture(join(DIR, `${basename(source, '.net')}.wat`), text);
    });
  }

  test('no fixture without its source', () => {
    const produced = new Set(sources.map((s) => `${basename(s, '.net')}.wat`));
    expectNoStaleFixtures(DIR, (f) => f.endsWith('.wat'), produced);
  });

  test('two builds give the same text', async () => {
    expect(await wat(sources[0]!)).toBe(await wat(sources[0]!));
  });
});
