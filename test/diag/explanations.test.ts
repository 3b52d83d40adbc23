/**
 * src/diag/explanations.ts is generated from spec/diagnostics.md (`npm run explanations`):
 * it must be current, cover every code, and describe each in sentences.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explanationsModule } from '../../scripts/gen-explanations.ts';
import { EXPLANATIONS } from '../../src/diag/explanations.ts';
import { catalogue } from '../../src/diag/catalogue.ts';
import { parseExplanations } from '../../src/diag/explain-doc.ts';

const doc = readFileSync('spec/diagnostics.md', 'utf8');

describe('explanations', () => {
  it('are generated from the current spec/diagnostics.md (run npm run explanations)', () => {
    expect(readFileSync('src/diag/explanations.ts', 'utf8')).toBe(explanationsModule(doc));
  });

  it('cover every code with its rule, a sentence and the section text', () => {
    const codes = new Set(EXPLANATIONS.map((e) => e.code));
    expect(Object.keys(catalogue).filter((c) => !codes.has(c))).toEqual([]);
    for (const e of EXPLANATIONS) {
      expect(e.rule).toBe((catalogue as Record<string, { rule: string }>)[e.code]!.rule);
      expect(e.summary, e.code).toMatch(/^[A-Z`].*[.)]$/);
    }
    const spatial = EXPLANATIONS.find((e) => e.code === 'NET2002')!;
    expect(spatial.text).toContain('concat(x, a, axis=1)');
    // A section ends before the comment that opens the next range of codes.
    expect(EXPLANATIONS.find((e) => e.code === 'NET2017')!.text).not.toContain('<!--');
  });

  it('parse a heading, its first paragraph and its body', () => {
    const [e] = parseExplanations('# T\n\n## NET9999 some-rule\n\nFirst line\nwraps here.\n\nMore.\n\n<!-- next -->\n');
    expect(e).toEqual({ code: 'NET9999', rule: 'some-rule', summary: 'First line wraps here.', text: 'First line\nwraps here.\n\nMore.' });
  });
});
