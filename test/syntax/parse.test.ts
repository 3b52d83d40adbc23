import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as A from '../../src/syntax/ast.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { NetParser } from '../../src/syntax/parser.ts';
import { checkSpans } from './spans.ts';

const root = join(import.meta.dirname, '../..');
const netFiles = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.net'))
    .map((f) => join(dir, f));

/** The first ``` block of spec/language.md is the language's own example. */
function specExample(): string {
  const md = readFileSync(join(root, 'spec/language.md'), 'utf8');
  return /```\n([\s\S]*?)```/.exec(md)![1]!;
}

const validFiles = [...netFiles('test/syntax/sources'), ...netFiles('examples'), ...netFiles('src/std')];

function parseOk(text: string, file = 'test.net'): A.SourceFile {
  const { ast, diagnostics } = parseSource(text, file);
  expect(diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([]);
  return ast;
}

function firstConst(text: string): A.Expr {
  const item = parseOk(text).items[0]!;
  if (item.kind !== 'ConstDecl') throw new Error('expected a const');
  return item.value;
}

/** A compact rendering of an expression's structure, for precedence tests. */
function shape(e: A.Expr): string {
  switch (e.kind) {
    case 'BinaryExpr':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'UnaryExpr':
      return `(${e.op} ${shape(e.operand)})`;
    case 'MemberExpr':
      return `${shape(e.object)}.${e.member.kind === 'IntLit' ? e.member.value : e.member.name}`;
    case 'IndexExpr':
      return `${shape(e.object)}[${shape(e.index)}]`;
    case 'ParenExpr':
      return `(${shape(e.expr)})`;
    case 'PipeExpr':
      return `(${shape(e.head)} |> ${e.stages.map((s) => (s.body.kind === 'CallStage' ? s.body.callee.name : s.body.kind)).join(' |> ')})`;
    case 'NameRef':
      return e.name;
    case 'IntLit':
    case 'FloatLit':
      return `${e.value}`;
    case 'CallExpr':
      return `${e.callee.name}(${e.args.map((a) => shape(a.value)).join(', ')})`;
    default:
      return e.kind;
  }
}

describe('valid sources', () => {
  it.each(validFiles)('%s parses without diagnostics and with consistent spans', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const ast = parseOk(text, file);
    expect(ast.items.length).toBeGreaterThan(0);
    expect(checkSpans(ast, text, file)).toEqual([]);
  });

  it('the example of spec/language.md parses', () => {
    const text = specExample();
    const ast = parseOk(text);
    expect(ast.items.map((i) => i.kind)).toEqual(['ImportDecl', 'BlockDecl', 'BlockDecl']);
    expect(checkSpans(ast, text, 'test.net')).toEqual([]);
  });

  it('the grammar has no ambiguities (Chevrotain validations pass)', () => {
    expect(() => new NetParser(true)).not.toThrow();
  });
});

describe('structure', () => {
  it('builds imports, constants, parameters and statements', () => {
    const text = readFileSync(join(root, 'test/syntax/sources/every-construct.net'), 'utf8');
    const ast = parseOk(text);
    const imp = ast.items[0] as A.ImportDecl;
    expect(imp.names.map((n) => [n.name.name, n.alias?.name])).toEqual([['ConvBN', undefined], ['ConvBNReLU', 'CBR']]);
    expect(imp.path.value).toBe('std/layers');
    const name = ast.items.find((i) => i.kind === 'ConstDecl' && i.name.name === 'NAME') as A.ConstDecl;
    expect(name.value).toMatchObject({ kind: 'StringLit', value: 'same "quoted" \\ \n \t' });
    const block = ast.items.find((i) => i.kind === 'BlockDecl' && !i.isNetwork) as A.BlockDecl;
    expect(block.params.map((p) => p.type.kind)).toEqual([
      'PrimType', 'PrimType', 'PrimType', 'PrimType', 'TupleType', 'ListType', 'EnumType', 'TupleType',
    ]);
    expect(block.params[6]!.type).toMatchObject({ kind: 'EnumType', values: [{ value: 'relu' }, { value: 'relu6' }] });
    expect(block.body.map((s) => s.kind)).toEqual(['InDecl', 'InDecl', 'LetStmt', 'LetStmt', 'LetStmt', 'LetStmt', 'OutDecl']);
    const skip = block.body[1] as A.InDecl;
    expect(skip.type.dtype?.name).toBe('f32');
    expect(skip.type.dims.map(shape)).toEqual(['N', '(2 * C)', '(H / 2)', '(W - 4)']);
    const z = (block.body[3] as A.LetStmt).value as A.PipeExpr;
    expect(z.stages.map((s) => s.label && (s.label.kind === 'Ident' ? s.label.name : s.label.value))).toEqual([
      'stem', 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    ]);
    expect(z.stages.map((s) => s.body.kind)).toEqual([
      'CallStage', 'CallStage', 'SeqStage', 'RepeatStage', 'RepeatStage', 'IfStage', 'IfStage', 'IfStage', 'SeqStage',
    ]);
    const rep = z.stages[3]!.body as A.RepeatStage;
    expect(rep.index?.name).toBe('i');
    expect(shape(rep.count)).toBe('2');
    const chain = z.stages[5]!.body as A.IfStage;
    expect(chain.else?.[0]?.body.kind).toBe('IfStage');
    expect((z.stages[6]!.body as A.IfStage).then).toEqual([]);
    const network = ast.items[ast.items.length - 1] as A.BlockDecl;
    expect(network.isNetwork).toBe(true);
    expect(network.params).toEqual([]);
    const outs = network.body.filter((s): s is A.OutDecl => s.kind === 'OutDecl');
    expect(outs.map((o) => [o.name?.name, o.type?.dims.length])).toEqual([['main', undefined], ['extra', 4]]);
    // relu() keeps its parentheses; relu does not have them.
    const last = block.body[6] as A.OutDecl;
    const stage = (last.value as A.PipeExpr).stages[0]!.body as A.CallStage;
    expect(stage.argsSpan).toBeDefined();
  });

  it('builds union types; consecutive strings form one enumeration', () => {
    const ast = parseOk('block A(k: int | [int] = 1, pad: int | (int, int) | "same" | "valid" = 0, m: "a" | "b") {\n  in x: [N]\n  out x\n}\n');
    const [k, pad, m] = (ast.items[0] as A.BlockDecl).params.map((p) => p.type);
    expect(k).toMatchObject({ kind: 'UnionType', alternatives: [{ kind: 'PrimType', name: 'int' }, { kind: 'ListType' }] });
    expect(pad).toMatchObject({
      kind: 'UnionType',
      alternatives: [{ kind: 'PrimType' }, { kind: 'TupleType' }, { kind: 'EnumType', values: [{ value: 'same' }, { value: 'valid' }] }],
    });
    expect(m).toMatchObject({ kind: 'EnumType', values: [{ value: 'a' }, { value: 'b' }] });
  });

  it.each([
    ['a |> f |> g', '(a |> f |> g)'],
    ['a or b and c', '(a or (b and c))'],
    ['not a == b and c', '((not (a == b)) and c)'],
    ['a + b * c - d', '((a + (b * c)) - d)'],
    ['a * b div c % d / e', '((((a * b) // c) % d) / e)'],
    ['-a.0 * b', '((- a.0) * b)'],
    ['- -a', '(- (- a))'],
    ['c2.0', 'c2.0'],
    ['t.0.1', 't.0.1'],
    ['t.0.1.x[2]', 't.0.1.x[2]'],
    ['s[i].0', 's[i].0'],
    ['1.5 + 2', '(1.5 + 2)'],
    ['(a + b) * c', '(((a + b)) * c)'],
    ['f(a)[0]', 'f(a)[0]'],
    ['a < b < c', '((a < b) < c)'],
    ['x + y |> relu', '((x + y) |> relu)'],
  ])('precedence: %s', (source, expected) => {
    expect(shape(firstConst(`const K = ${source}`))).toBe(expected);
  });

  it('reads numbers: integers, floats, and member indices after a dot', () => {
    expect(firstConst('const K = 1e-3')).toMatchObject({ kind: 'FloatLit', value: 0.001, raw: '1e-3' });
    expect(firstConst('const K = 2.5e+4')).toMatchObject({ kind: 'FloatLit', value: 25000 });
    expect(firstConst('const K = 42')).toMatchObject({ kind: 'IntLit', value: 42, raw: '42' });
    expect(firstConst('const K = (1,)')).toMatchObject({ kind: 'TupleExpr', elements: [{ value: 1 }] });
    expect(firstConst('const K = (1)')).toMatchObject({ kind: 'ParenExpr' });
    expect(firstConst('const K = ()')).toMatchObject({ kind: 'TupleExpr', elements: [] });
  });
});

describe('spans', () => {
  const text = 'block B(c2: (int, int)) {\n  in x: [N, C]\n  p2 = x |> p2_1: conv(c2.0, k=1) |> relu\n  out p2\n}\n';
  const ast = parseOk(text);
  const slice = (s: { start: { offset: number }; end: { offset: number } }): string => text.slice(s.start.offset, s.end.offset);
  const block = ast.items[0] as A.BlockDecl;
  const pipe = (block.body[1] as A.LetStmt).value as A.PipeExpr;
  const call = pipe.stages[0]!.body as A.CallStage;

  it('covers exactly the source text of each node', () => {
    expect(slice(block.span)).toBe(text.trimEnd());
    expect(slice(block.params[0]!.span)).toBe('c2: (int, int)');
    expect(slice(block.body[0]!.span)).toBe('in x: [N, C]');
    expect(slice(block.body[1]!.span)).toBe('p2 = x |> p2_1: conv(c2.0, k=1) |> relu');
    expect(slice(pipe.stages[0]!.span)).toBe('p2_1: conv(c2.0, k=1)');
    expect(slice(call.span)).toBe('conv(c2.0, k=1)');
    expect(slice(call.argsSpan!)).toBe('(c2.0, k=1)');
    expect(slice(call.args[0]!.value.span)).toBe('c2.0');
    expect(slice(call.args[1]!.span)).toBe('k=1');
    expect(slice(pipe.stages[1]!.span)).toBe('relu');
  });

  it('has 1-based lines and columns and exclusive ends', () => {
    expect(call.span.start).toEqual({ line: 3, column: 19, offset: text.indexOf('conv(') });
    expect(call.span.end).toEqual({ line: 3, column: 34, offset: text.indexOf('conv(') + 'conv(c2.0, k=1)'.length });
    expect(ast.span.end).toEqual({ line: 6, column: 1, offset: text.length });
    expect(checkSpans(ast, text, 'test.net')).toEqual([]);
  });

  it('keeps comments out of the tree, in SourceFile.comments', () => {
    const src = '// head\nblock A { /* inline */\n  in x: [N] // trailing\n  out x\n}\n';
    const file = parseOk(src);
    expect(file.comments.map((c) => [c.text, c.block, c.span.start.line])).toEqual([
      ['// head', false, 1],
      ['/* inline */', true, 2],
      ['// trailing', false, 3],
    ]);
    expect(checkSpans(file, src, 'test.net')).toEqual([]);
  });

  it('handles CRLF line endings', () => {
    const src = 'block A {\r\n  in x: [N]\r\n  out x\r\n}\r\n';
    const file = parseOk(src);
    expect((file.items[0] as A.BlockDecl).body[1]!.span.start).toMatchObject({ line: 3, column: 3 });
    expect(checkSpans(file, src, 'test.net')).toEqual([]);
  });
});

describe('robustness', () => {
  const fragments = [
    'block', 'network', 'A', 'x', 'in', 'out', 'import', '{', '}', '(', ')', '[', ']', ',', ':', '=', '|>', '|',
    'conv', '3', '1.5', '"s"', '"', '/*', '*/', '//', '\n', ' ', '.', '0', 'if', 'else', 'seq', 'repeat', 'as', '-',
    'not', '+', '*', 'div', '@', '€', 'const', 'from', 'true', '\t',
  ];
  const sources = validFiles.map((f) => readFileSync(join(root, f), 'utf8'));

  it('never throws on token soup, and every span points into the text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 60 }), (parts) => {
        const text = parts.join(' ');
        const { ast, diagnostics } = parseSource(text, 'fuzz.net');
        expect(ast.kind).toBe('SourceFile');
        for (const d of diagnostics) {
          expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
          expect(d.code).toMatch(/^NET0\d{3}$/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid files, and never floods the output with diagnostics', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.nat(),
        fc.constantFrom('', '(', ')', '{', '}', '|>', ':', '=', ',', '"', '@', 'x'),
        (source, at, insert) => {
          const pos = at % (source.length + 1);
          const text = source.slice(0, pos) + insert + source.slice(pos + 1);
          const { diagnostics } = parseSource(text, 'fuzz.net');
          for (const d of diagnostics) expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
          // A single edit never produces a flood of errors.
          expect(diagnostics.length).toBeLessThanOrEqual(6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects pathological nesting with NET0020 instead of overflowing the stack', () => {
    for (const text of ['const K = ' + '('.repeat(5000), 'const K = ' + '- '.repeat(5000) + '1', 'const K = ' + '1 + '.repeat(2000) + '1']) {
      const { diagnostics } = parseSource(text, 'deep.net');
      expect(diagnostics.map((d) => d.code)).toContain('NET0020');
    }
  });
});
