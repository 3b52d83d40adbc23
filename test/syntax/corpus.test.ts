import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalogue } from '../../src/diag/catalogue.ts';
import { parseSource } from '../../src/syntax/parse.ts';

interface ExpectedDiagnostic {
  code: string;
  line: number;
  column: number;
  message?: string;
}

interface Case {
  name: string;
  source: string;
  diagnostics: ExpectedDiagnostic[];
}

const dir = join(import.meta.dirname, '../../spec/syntax');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('malformed-file corpus (spec/syntax)', () => {
  it('has at least 45 cases, each with at least one diagnostic of the syntax range', () => {
    let count = 0;
    for (const f of files) {
      const cases = (parse(readFileSync(join(dir, f), 'utf8')) as { cases: Case[] }).cases;
      for (const c of cases) {
        expect(c.diagnostics.length, `${f}: ${c.name}`).toBeGreaterThan(0);
        for (const d of c.diagnostics) {
          expect(d.code, `${f}: ${c.name}`).toMatch(/^NET0\d{3}$/);
          expect(catalogue, `${d.code} is in the catalogue`).toHaveProperty(d.code);
        }
      }
      count += cases.length;
    }
    expect(count).toBeGreaterThanOrEqual(45);
  });

  for (const f of files) {
    const cases = (parse(readFileSync(join(dir, f), 'utf8')) as { cases: Case[] }).cases;
    describe(f, () => {
      for (const c of cases) {
        it(c.name, () => {
          const result = parseSource(c.source, 'case.net');
          const got = result.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`);
          const want = c.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
          expect(got).toEqual(want);
          c.diagnostics.forEach((d, i) => {
            if (d.message !== undefined) expect(result.diagnostics[i]!.message).toContain(d.message);
          });
          for (const d of result.diagnostics) {
            expect(d.span.file).toBe('case.net');
            expect(d.severity).toBe('error');
            // No parser internals in what the user reads.
            expect(d.message).not.toMatch(/Token|EOF|MismatchedToken|NoViableAlt|-->|<--|\bRULE\b/);
          }
        });
      }
    });
  }
});
