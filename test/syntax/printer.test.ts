import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as A from '../../src/syntax/ast.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { printSource } from '../../src/syntax/printer.ts';
import { sourceFileArb, withoutParens } from './ast-arbitrary.ts';
import { withoutSpans } from './spans.ts';

const root = join(import.meta.dirname, '../..');
const netFiles = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.net'))
    .map((f) => join(dir, f));
const validFiles = [...netFiles('test/syntax/sources'), ...netFiles('examples'), ...netFiles('src/std')];

function reparse(text: string, file = 'gen.net'): A.SourceFile {
  const { ast, diagnostics } = parseSource(text, file);
  expect(diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`), text).toEqual([]);
  return ast;
}

describe('printSource on generated trees', () => {
  it('parse(print(ast)) is ast, up to spans, and print is idempotent', () => {
    fc.assert(
      fc.property(sourceFileArb, (ast) => {
        const text = printSource(ast);
        const back = reparse(text);
        expect(withoutSpans(back)).toEqual(withoutSpans(ast));
        expect(printSource(back)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it('adds the parentheses a hand-built tree needs (equal up to parentheses)', () => {
    const span = { file: 'x.net', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    const n = (name: string): A.Expr => ({ kind: 'NameRef', name, span });
    const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.Expr => ({ kind: 'BinaryExpr', op, left, right, opSpan: span, span });
    const value = bin('*', bin('+', n('a'), n('b')), { kind: 'UnaryExpr', op: '-', operand: bin('-', n('c'), n('d')), span });
    const file: A.SourceFile = { kind: 'SourceFile', path: 'x.net', items: [{ kind: 'ConstDecl', name: { kind: 'Ident', name: 'K', span }, value, span }], comments: [], span };
    const text = printSource(file);
    expect(text).toBe('const K = (a + b) * -(c - d)\n');
    expect(withoutParens(withoutSpans(reparse(text, 'x.net')))).toEqual(withoutParens(withoutSpans(file)));
  });
});

describe('printSource on the sources of the repository', () => {
  it.each(validFiles)('%s: same tree and comments after printing, and printing is idempotent', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const ast = reparse(text, file);
    const printed = printSource(ast);
    const back = reparse(printed, file);
    expect(withoutSpans(back)).toEqual(withoutSpans(ast));
    expect(printSource(back)).toBe(printed);
  });
});

describe('layout', () => {
  const fmt = (text: string): string => printSource(reparse(text));

  it('uses the canonical spacing', () => {
    expect(fmt('block  A( c:int,k : int=1 ){in x:[N,C]\n y=x|>conv(c,k = 3)|>relu\nout   y}')).toBe(
      'block A(c: int, k: int = 1) {\n  in x: [N, C]\n  y = x |> conv(c, k=3) |> relu\n  out y\n}\n',
    );
  });

  it('breaks a long pipeline before every |>', () => {
    const long = 'block A {\n  in x: [N]\n  out x |> conv(64, k=3, stride=1, pad=1, bias=false) |> batchnorm(eps=0.001) |> relu |> maxpool(k=3)\n}\n';
    expect(fmt(long)).toBe(
      'block A {\n  in x: [N]\n  out x\n    |> conv(64, k=3, stride=1, pad=1, bias=false)\n    |> batchnorm(eps=0.001)\n    |> relu\n    |> maxpool(k=3)\n}\n',
    );
  });

  it('keeps comments: own-line, trailing, inside pipelines and at the end', () => {
    const src = [
      '// file comment',
      '',
      'block A { // header',
      '  // before x',
      '  in x: [N] // the input',
      '',
      '  y = x',
      '    |> conv(3, k=1) // first',
      '    // before relu',
      '    |> relu',
      '  out y',
      '  // last in block',
      '}',
      '// end of file',
      '',
    ].join('\n');
    const out = fmt(src);
    expect(out).toBe(
      [
        '// file comment',
        '',
        'block A { // header',
        '  // before x',
        '  in x: [N] // the input',
        '',
        '  y = x',
        '    |> conv(3, k=1) // first',
        '    // before relu',
        '    |> relu',
        '  out y',
        '  // last in block',
        '}',
        '// end of file',
        '',
      ].join('\n'),
    );
    expect(fmt(out)).toBe(out);
  });

  it('writes floor division as div and one-element tuples with a comma', () => {
    expect(fmt('const K = (7 div 2, (1,), "a\\"b")')).toBe('const K = (7 div 2, (1,), "a\\"b")\n');
  });
});
