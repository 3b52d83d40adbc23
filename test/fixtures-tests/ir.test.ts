/**
 * IR fixtures: for every test/fixtures/ir/X.net, the graph after check and concretize
 * (X.ir.txt) and after each optimisation pass that changed it (X.after-<pass>.ir.txt), so
 * every pass has a before and an after to read in review. Regenerate with
 * `UPDATE_FIXTURES=1 npx vitest run test/fixtures-tests`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkSource } from '../../src/check/check.ts';
import { concretize } from '../../src/check/concretize.ts';
import { dumpGraph } from '../../src/ir/dump.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { optimize, passNames } from '../../src/passes/pipeline.ts';
import { expectFixture, expectNoStaleFixtures } from '../support/fixtures.ts';
import { graphParams } from '../../src/ir/params.ts';

const DIR = 'test/fixtures/ir';
const sources = readdirSync(DIR).filter((f) => f.endsWith('.net')).sort();

/** The dumps of one source by fixture path; the file name in spans is the bare name, so dumps do not depend on where the tree lives. */
function dumps(source: string): Map<string, string> {
  const stem = source.replace(/\.net$/, '');
  const checked = checkSource(readFileSync(join(DIR, source), 'utf8'), source, { requireEntry: true });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const concrete = concretize(checked.graphs[0]!, new Map());
  expect(concrete.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const graph = concrete.graph!;
  const out = new Map<string, string>();
  let previous = dumpGraph(graph);
  out.set(join(DIR, `${stem}.ir.txt`), previous);
  optimize(graph, randomWeights(graphParams(graph), 0), {
    afterPass: (pass, g) => {
      const text = dumpGraph(g);
      if (text !== previous) out.set(join(DIR, `${stem}.after-${pass}.ir.txt`), text);
      previous = text;
    },
  });
  return out;
}

describe('IR dumps', () => {
  test('there are sources', () => {
    expect(sources.length).toBeGreaterThanOrEqual(4);
  });

  for (const source of sources) {
    test(source, () => {
      const produced = dumps(source);
      const problems: string[] = [];
      for (const [path, text] of produced) {
        expect(text).not.toContain(process.cwd());
        try {
          expectFixture(path, text);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      const stem = basename(source, '.net');
      try {
        expectNoStaleFixtures(DIR, (f) => f.startsWith(`${stem}.`) && f.endsWith('.ir.txt'), new Set(produced.keys()));
      } catch (e) {
        problems.push((e as Error).message);
      }
      if (problems.length > 0) throw new Error(problems.join('\n\n'));
    });
  }

  test('the same source gives the same dumps twice', () => {
    const a = dumps(sources[0]!);
    const b = dumps(sources[0]!);
    expect([...b]).toEqual([...a]);
  });

  test('every pass rewrites at least one fixture, so each has a before and an after', () => {
    const changed = new Set<string>();
    for (const source of sources) {
      for (const path of dumps(source).keys()) {
        const m = /\.after-(.+)\.ir\.txt$/.exec(path);
        if (m) changed.add(m[1]!);
      }
    }
    expect(passNames().filter((p) => !changed.has(p))).toEqual([]);
  });
});
