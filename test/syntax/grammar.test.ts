import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGrammarFiles, textMateGrammar } from '../../scripts/gen-grammar.ts';
import { KEYWORDS } from '../../src/syntax/lexer.ts';

const root = join(import.meta.dirname, '../..');

describe('grammar/ is generated from the parser and lexer', () => {
  const files = generateGrammarFiles();

  it.each(Object.keys(files))('%s is up to date', (path) => {
    let committed = '';
    try {
      committed = readFileSync(join(root, path), 'utf8');
    } catch {
      committed = '<missing>';
    }
    expect(committed === files[path], `${path} is stale: run \`npm run grammar\``).toBe(true);
  });

  it('lists every rule of the parser in the EBNF', () => {
    const ebnf = files['grammar/net.ebnf']!;
    for (const rule of ['sourceFile', 'blockDecl', 'statement', 'expr', 'stage', 'repeatStage', 'type']) {
      expect(ebnf).toMatch(new RegExp(`^${rule} +::= `, 'm'));
    }
  });

  it('has railroad diagrams of the rules', () => {
    expect(files['grammar/diagrams.html']).toContain('repeatStage');
  });
});

describe('TextMate grammar', () => {
  const grammar = textMateGrammar() as {
    scopeName: string;
    repository: Record<string, { match?: string; patterns?: Array<{ match?: string; name?: string }> }>;
  };

  /** Every `match` of the grammar, compiled (JavaScript regexps accept the Oniguruma subset used). */
  const matches = (): Array<[string, RegExp]> => {
    const out: Array<[string, RegExp]> = [];
    for (const [key, rule] of Object.entries(grammar.repository)) {
      if (rule.match) out.push([key, new RegExp(rule.match)]);
      for (const p of rule.patterns ?? []) if (p.match) out.push([p.name ?? key, new RegExp(p.match)]);
    }
    return out;
  };

  it('is source.net and its patterns compile', () => {
    expect(grammar.scopeName).toBe('source.net');
    expect(matches().length).toBeGreaterThan(10);
  });

  it('highlights every keyword, block names and labels', () => {
    const keywordRes = grammar.repository.keywords!.patterns!.map((p) => new RegExp(p.match!));
    for (const k of KEYWORDS) expect(keywordRes.some((re) => re.test(` ${k.word} `)), k.word).toBe(true);
    expect(keywordRes.some((re) => re.test('inner'))).toBe(false);
    const decl = new RegExp(grammar.repository.declarations!.match!).exec('network ResNet50(classes: int = 1000) {');
    expect(decl?.[2]).toBe('ResNet50');
    const [afterPipe, lineStart] = grammar.repository.labels!.patterns!.map((p) => new RegExp(p.match!));
    expect(afterPipe!.exec('x |> p2_1: conv(c2.0, k=1)')?.[2]).toBe('p2_1');
    expect(lineStart!.exec('    main: seq {')?.[1]).toBe('main');
    expect(lineStart!.test('  y: [N, 64, H, W] = x')).toBe(false);
    expect(lineStart!.test('  x: f32[1, 3, 8, 8]')).toBe(false);
    expect(lineStart!.test('  c: int,')).toBe(false);
  });
});
