/**
 * The TextMate grammar tokenises the shipped sources as an editor would (test/support's
 * tokeniser runs the generated rules with JavaScript regexps): the pipe and every operator of
 * the operator table, bare or called, get their scopes, and block calls stay functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textMateGrammar } from '../../scripts/gen-grammar.ts';
import { OPS } from '../../src/ops/registry.ts';
import { Tokenizer, type TmGrammar, type Token } from '../support/textmate.ts';

const SOURCES = ['examples', 'src/std'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.net'))
    .map((f) => join(dir, f)),
);
const SPELLINGS = new Set(OPS.flatMap((op) => op.spellings.map((s) => s.name)));
const tokenizer = new Tokenizer(textMateGrammar() as TmGrammar);

const innermost = (t: Token): string => t.scopes[t.scopes.length - 1]!;
const inComment = (t: Token): boolean => t.scopes.some((s) => s.startsWith('comment.'));

describe('the TextMate grammar on the shipped sources', () => {
  it('finds the sources', () => expect(SOURCES.length).toBeGreaterThanOrEqual(10));

  it.each(SOURCES)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const lines = tokenizer.tokenize(text);
    lines.forEach((tokens, i) => {
      const where = `${file}:${i + 1}`;
      expect(tokens.map((t) => t.text).join(''), where).toBe(text.split('\n')[i]);
      for (const [k, t] of tokens.entries()) {
        if (inComment(t)) continue;
        const word = t.text.trim();
        if (word === '|>') expect(innermost(t), `${where}: |>`).toBe('keyword.operator.pipe.net');
        if (SPELLINGS.has(word) && innermost(t) !== 'entity.name.label.net') {
          expect(innermost(t), `${where}: ${word}`).toBe('support.function.builtin.net');
        }
        // A call of a block (not an operator) is a function call.
        if (/^[A-Za-z_]\w*$/.test(word) && !SPELLINGS.has(word) && tokens[k + 1]?.text.startsWith('(') && innermost(t) !== 'entity.name.type.net') {
          expect(innermost(t), `${where}: ${word}(`).toBe('entity.name.function.net');
        }
      }
    });
  });

  it('scopes bare operators such as `|> relu` and `|> batchnorm`', () => {
    const [tokens] = tokenizer.tokenize('  out y = x |> conv(4, k=1) |> batchnorm |> relu |> flatten // relu');
    const scoped = (word: string) => tokens!.filter((t) => t.text === word).map(innermost);
    expect(scoped('batchnorm')).toEqual(['support.function.builtin.net']);
    expect(scoped('flatten')).toEqual(['support.function.builtin.net']);
    expect(scoped('relu')).toEqual(['support.function.builtin.net']);
    expect(scoped('conv')).toEqual(['support.function.builtin.net']);
    expect(scoped('|>')).toEqual(['keyword.operator.pipe.net', 'keyword.operator.pipe.net', 'keyword.operator.pipe.net', 'keyword.operator.pipe.net']);
    expect(innermost(tokens!.at(-1)!)).toBe('comment.line.double-slash.net');
  });

  it('keeps labels, block names and user blocks apart from operators', () => {
    const [tokens] = tokenizer.tokenize('    |> maxpool: maxpool(k=3) |> branch1: ConvBNReLU(c1, k=1)');
    const scopeOf = (text: string, nth = 0) => innermost(tokens!.filter((t) => t.text === text)[nth]!);
    expect(scopeOf('maxpool', 0)).toBe('entity.name.label.net');
    expect(scopeOf('maxpool', 1)).toBe('support.function.builtin.net');
    expect(scopeOf('branch1')).toBe('entity.name.label.net');
    expect(scopeOf('ConvBNReLU')).toBe('entity.name.function.net');
  });
});
