import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSource, verifyFormatted } from '../../src/fmt/format.ts';
import { sameTree, stripPositions } from '../../src/fmt/same-tree.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { corpus } from './corpus.ts';

const all = corpus();
const parsable = all.filter((c) => !parseSource(c.text, 'a.net').diagnostics.some((d) => d.severity === 'error'));

describe('formatting the corpus', () => {
  it('finds the shipped sources', () => {
    expect(all.some((c) => c.name === 'examples/googlenet.net')).toBe(true);
    expect(all.some((c) => c.name.startsWith('src/std/'))).toBe(true);
    expect(all.some((c) => c.name.startsWith('spec/conformance/'))).toBe(true);
    expect(parsable.length).toBeGreaterThan(100);
  });

  it.each(parsable.map((c) => [c.name, c.text] as const))('%s: idempotent, same tree, comments kept', (_name, text) => {
    const once = formatSource(text, 'a.net');
    expect(once.unsafe).toBeUndefined();
    expect(once.text).toBeDefined();
    const twice = formatSource(once.text!, 'a.net');
    expect(twice.text).toBe(once.text);
    expect(twice.changed).toBe(false);
    const a = parseSource(text, 'a.net').ast;
    const b = parseSource(once.text!, 'a.net').ast;
    expect(stripPositions(b.items)).toEqual(stripPositions(a.items));
    expect(b.comments.map((c) => c.text.trimEnd())).toEqual(a.comments.map((c) => c.text.trimEnd()));
    for (const l of once.text!.split('\n')) {
      expect(l).not.toMatch(/[ \t]$/);
    }
  });
});

/** Tokens and the whitespace between them; whitespace after a line comment must keep its newline. */
function pieces(text: string): { token: boolean; text: string }[] {
  const re = /"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\/|\s+|[^\s"/]+|\//g;
  return [...text.matchAll(re)].map((m) => ({ token: !/^\s/.test(m[0]), text: m[0] }));
}

describe('formatting is independent of the original layout', () => {
  const samples = parsable.filter((c) => c.text.length < 4000);
  it('relaid-out sources format to a fixed point with the same tree', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.array(fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', ' \n  '), { minLength: 1, maxLength: 64 }),
        (index, choices) => {
          const src = samples[index]!.text;
          const parts = pieces(src);
          let k = 0;
          const relaid = parts
            .map((p, i) => {
              if (p.token) return p.text;
              const afterLineComment = i > 0 && parts[i - 1]!.text.startsWith('//');
              const w = choices[k++ % choices.length]!;
              return afterLineComment && !w.includes('\n') ? `${w}\n` : w;
            })
            .join('');
          const original = parseSource(src, 'a.net');
          const moved = parseSource(relaid, 'a.net');
          // Whitespace is not significant: the relaid-out text is the same program.
          expect(moved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(sameTree(original.ast, moved.ast)).toBe(true);
          const once = formatSource(relaid, 'a.net');
          expect(once.unsafe).toBeUndefined();
          expect(formatSource(once.text!, 'a.net').text).toBe(once.text);
          expect(sameTree(original.ast, parseSource(once.text!, 'a.net').ast)).toBe(true);
        },
      ),
      { numRuns: 150, seed: 20240611 },
    );
  });
});

describe('formatSource', () => {
  it('lays out a messy file canonically', () => {
    const src = 'network  N{in x:[1,3,8,8]\n  out y=x|>conv(4,k = 3,pad=1)|>relu // act\n}';
    const r = formatSource(src, 'a.net');
    expect(r.changed).toBe(true);
    expect(r.text).toBe('network N {\n  in x: [1, 3, 8, 8]\n  out y = x |> conv(4, k=3, pad=1) |> relu // act\n}\n');
  });

  it('refuses a file with syntax errors and reports them', () => {
    const r = formatSource('network N {\n  in x: [1, 3\n  out y = x\n}\n', 'bad.net');
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('verification catches a text that changes the tree or drops a comment', () => {
    const ast = parseSource('// keep\nconst A = 1\n', 'a.net').ast;
    expect(verifyFormatted(ast, '// keep\nconst A = 1\n', 'a.net')).toBeUndefined();
    expect(verifyFormatted(ast, 'const A = 1\n', 'a.net')).toMatch(/comment/);
    expect(verifyFormatted(ast, '// keep\nconst A = 2\n', 'a.net')).toMatch(/tree/);
    expect(verifyFormatted(ast, '// keep\nconst A = \n', 'a.net')).toMatch(/parse/);
  });

  it('lines up the trailing comments of consecutive lines at one indentation, as gofmt does', () => {
    const src = [
      'network N {',
      '  in x: [1, 3, 8, 8] // input',
      '  out y = x',
      '    |> conv(4, k=3, pad=1) // [1, 4, 8, 8]',
      '    |> relu // same',
      '    |> maxpool(k=2)',
      '    |> conv(8, k=1)   // [1, 8, 4, 4]',
      '}',
      '',
    ].join('\n');
    expect(formatSource(src, 'a.net').text).toBe(
      [
        'network N {',
        '  in x: [1, 3, 8, 8] // input',
        '  out y = x',
        '    |> conv(4, k=3, pad=1) // [1, 4, 8, 8]',
        '    |> relu                // same',
        '    |> maxpool(k=2)',
        '    |> conv(8, k=1) // [1, 8, 4, 4]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('formats an empty file to nothing', () => {
    expect(formatSource('', 'a.net').text).toBe('');
    expect(formatSource('\n\n', 'a.net').text).toBe('');
  });
});
