/**
 * The diagnostic catalogue and its documentation agree: every code has a section in
 * spec/diagnostics.md (`## NETxxxx rule-name`), every section names a code of the catalogue
 * with its rule name, codes are well formed and rule names unique.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, type CatalogueEntry } from '../../src/diag/catalogue.ts';

const doc = readFileSync('spec/diagnostics.md', 'utf8');
const sections = [...doc.matchAll(/^## (NET\d{4})\s+(\S+)/gm)].map((m) => ({ code: m[1]!, rule: m[2]!.replace(/`/g, '') }));
const entries = Object.entries(catalogue as Record<string, CatalogueEntry>);

describe('diagnostic catalogue', () => {
  it('documents every code, with its rule name', () => {
    const documented = new Map(sections.map((s) => [s.code, s.rule]));
    const missing = entries.filter(([code]) => !documented.has(code)).map(([code]) => code);
    expect(missing).toEqual([]);
    const wrongRule = entries.filter(([code, e]) => documented.get(code) !== e.rule).map(([code, e]) => `${code}: ${e.rule} vs ${documented.get(code)}`);
    expect(wrongRule).toEqual([]);
  });
  it('documents no code twice and none that does not exist', () => {
    const codes = sections.map((s) => s.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    expect(codes.filter((c) => !(c in catalogue))).toEqual([]);
  });
  it('has well-formed codes, unique rule names and an example per section', () => {
    for (const [code] of entries) expect(code).toMatch(/^NET\d{4}$/);
    const rules = entries.map(([, e]) => e.rule);
    expect(rules.filter((r, i) => rules.indexOf(r) !== i)).toEqual([]);
    const bodies = doc.split(/^## NET/m).slice(1);
    // A source example in a code block, or (for file-format errors) the message as printed.
    const withoutExample = bodies.filter((b) => !b.includes('`')).map((b) => 'NET' + b.slice(0, 4));
    // Internal-error codes with no input that reaches them are the only exception.
    expect(withoutExample.filter((c) => c !== 'NET0010')).toEqual([]);
  });
});
