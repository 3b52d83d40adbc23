import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/diag/catalogue.ts';
import { parseSource } from '../../src/syntax/parse.ts';

const md = readFileSync(join(import.meta.dirname, '../../spec/diagnostics.md'), 'utf8');
/** `## NET0xxx rule` sections with the text up to the next section. */
const sections = [...md.matchAll(/^## (NET0\d{3}) (\S+)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map((m) => ({
  code: m[1]!,
  rule: m[2]!,
  body: m[3]!,
}));

describe('spec/diagnostics.md, syntax section', () => {
  it('documents every NET0xxx code of the catalogue under its rule name', () => {
    const codes = Object.keys(catalogue).filter((c) => c.startsWith('NET0'));
    expect(sections.map((s) => s.code).sort()).toEqual(codes.sort());
    for (const s of sections) expect(s.rule).toBe((catalogue as Record<string, { rule: string }>)[s.code]!.rule);
  });

  it.each(sections.filter((s) => s.body.includes('```net')))('the example of $code triggers it', ({ code, body }) => {
    const example = /```net\n([\s\S]*?)```/.exec(body)![1]!;
    const codes = parseSource(example, 'example.net').diagnostics.map((d) => d.code);
    expect(codes[0]).toBe(code);
  });
});
