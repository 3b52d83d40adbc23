/**
 * Generates grammar/ from the parser and the lexer, so that the published grammar is the one
 * netc runs:
 *   grammar/net.ebnf              EBNF listing, walked from Chevrotain's serialized grammar
 *   grammar/diagrams.html         railroad diagrams (Chevrotain's createSyntaxDiagramsCode)
 *   grammar/net.tmLanguage.json   TextMate grammar for editors, from the token definitions
 *
 * `npm run grammar` writes the files; test/syntax/grammar.test.ts fails when they are stale.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSyntaxDiagramsCode, type ISerializedGast, type TokenType } from 'chevrotain';
import {
  FLOAT_RE, FloatLit, IDENTIFIER_RE, Identifier, INTEGER_RE, IntLit, KEYWORDS, PUNCTUATION, STRING_RE, StringLit,
  type KeywordScope,
} from '../src/syntax/lexer.ts';
import { NetParser } from '../src/syntax/parser.ts';
import { OPS } from '../src/ops/registry.ts';

// ---------------------------------------------------------------- EBNF

/** Terminals with a lexical rule of their own, and the name they have in the listing. */
const LEXICAL: Array<[TokenType, string, RegExp, string]> = [
  [Identifier, 'IDENT', IDENTIFIER_RE, 'keywords excluded'],
  [IntLit, 'INT', INTEGER_RE, 'at most 2^53 - 1'],
  [FloatLit, 'FLOAT', FLOAT_RE, 'not directly after a `.`: `t.0.1` is `t . 0 . 1`'],
  [StringLit, 'STRING', STRING_RE, 'escapes \\" \\\\ \\n \\t'],
];

const fixedText = new Map<string, string>([
  ...KEYWORDS.map((k): [string, string] => [k.token.name, k.word]),
  ...PUNCTUATION.map((p): [string, string] => [p.token.name, p.text]),
]);

function terminal(name: string): string {
  const lexical = LEXICAL.find(([t]) => t.name === name);
  if (lexical) return lexical[1];
  const text = fixedText.get(name);
  return text === undefined ? name : `"${text}"`;
}

interface Gast {
  type: string;
  name?: string;
  definition?: Gast[];
  separator?: { name: string };
}

/** One production in EBNF: sequences joined by spaces, `( a | b )`, `x?`, `x*`, `x+`. */
function ebnf(node: Gast): string {
  const seq = (defs: Gast[] = []): string => defs.map(ebnf).join(' ');
  const group = (defs: Gast[] = []): string => (defs.length === 1 && isAtomic(defs[0]!) ? seq(defs) : `( ${seq(defs)} )`);
  switch (node.type) {
    case 'Terminal':
      return terminal(node.name!);
    case 'NonTerminal':
      return node.name!;
    case 'Alternative':
      return seq(node.definition);
    case 'Alternation':
      return `( ${(node.definition ?? []).map(ebnf).join(' | ')} )`;
    case 'Option':
      return `${group(node.definition)}?`;
    case 'Repetition':
      return `${group(node.definition)}*`;
    case 'RepetitionMandatory':
      return `${group(node.definition)}+`;
    case 'RepetitionWithSeparator':
      return `( ${seq(node.definition)} ( ${terminal(node.separator!.name)} ${seq(node.definition)} )* )?`;
    case 'RepetitionMandatoryWithSeparator':
      return `${seq(node.definition)} ( ${terminal(node.separator!.name)} ${seq(node.definition)} )*`;
    default:
      return `<${node.type}>`;
  }
}

function isAtomic(node: Gast): boolean {
  return node.type === 'Terminal' || node.type === 'NonTerminal' || node.type === 'Alternation';
}

export function ebnfListing(gast: ISerializedGast[]): string {
  const rules = gast as unknown as Gast[];
  const width = Math.max(...rules.map((r) => r.name!.length), ...LEXICAL.map(([, n]) => n.length));
  const lines = [
    '(* The grammar of .net files, generated from the parser by scripts/gen-grammar.ts. Do not edit. *)',
    '(* Notation: "x" a token as written, ( a | b ) a choice, x? optional, x* any number, x+ one or more. *)',
    '(* Comments (// to end of line, /* ... */) and white space may appear between any two tokens. *)',
    '(* Newlines matter in one place: a name that starts a line and is followed by "=" or ": [" starts *)',
    '(* a statement, so it does not continue the expression or pipeline of the line before. *)',
    '',
    ...rules.map((r) => `${r.name!.padEnd(width)} ::= ${seq(r.definition)}`),
    '',
    '(* Lexical rules *)',
    ...LEXICAL.map(([, name, re, note]) => `${name.padEnd(width)} ::= /${re.source}/  (* ${note} *)`),
    '',
  ];
  return lines.join('\n');

  function seq(defs: Gast[] = []): string {
    return defs.map(ebnf).join(' ');
  }
}

// ---------------------------------------------------------------- TextMate

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const IDENT = IDENTIFIER_RE.source;

export function textMateGrammar(): object {
  const scopes = [...new Set(KEYWORDS.map((k) => k.scope))];
  const keywordPatterns = scopes.map((scope: KeywordScope) => ({
    name: `${scope}.net`,
    match: `\\b(${KEYWORDS.filter((k) => k.scope === scope).map((k) => k.word).join('|')})\\b`,
  }));
  const operators = PUNCTUATION.filter((p) => p.scope === 'keyword.operator')
    .map((p) => p.text)
    .sort((a, b) => b.length - a.length);
  // Every spelling of the operator table (`conv`, `conv3d`, `bn`, `batchnorm`, ...), longest first.
  const spellings = [...new Set(OPS.flatMap((op) => op.spellings.map((s) => s.name)))].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'net',
    scopeName: 'source.net',
    fileTypes: ['net'],
    patterns: ['comments', 'strings', 'declarations', 'labels', 'keywords', 'numbers', 'dtypes', 'builtins', 'calls', 'pipe', 'operators', 'punctuation'].map(
      (r) => ({ include: `#${r}` }),
    ),
    repository: {
      comments: {
        patterns: [
          { name: 'comment.line.double-slash.net', match: '//.*$' },
          { name: 'comment.block.net', begin: '/\\*', end: '\\*/' },
        ],
      },
      strings: {
        name: 'string.quoted.double.net',
        begin: '"',
        end: '"|$',
        patterns: [
          { name: 'constant.character.escape.net', match: '\\\\["\\\\nt]' },
          { name: 'invalid.illegal.escape.net', match: '\\\\.' },
        ],
      },
      declarations: {
        match: `\\b(block|network)\\s+(${IDENT})`,
        captures: { 1: { name: 'storage.type.net' }, 2: { name: 'entity.name.type.net' } },
      },
      labels: {
        patterns: [
          {
            comment: 'a label after |>: `x |> p1: conv(...)`',
            match: `(\\|>)\\s*(${IDENT}|[0-9]+)\\s*(:)`,
            captures: { 1: { name: 'keyword.operator.pipe.net' }, 2: { name: 'entity.name.label.net' }, 3: { name: 'punctuation.separator.label.net' } },
          },
          {
            comment: 'a label starting a line inside seq { } (not `y: [..] =`, not a parameter `c: int`)',
            match: `^\\s*(${IDENT}|[0-9]+)\\s*(:)(?!\\s*(?:int|float|bool|string)\\b)(?!\\s*(?:${IDENT})?\\s*\\[)(?!\\s*[("])`,
            captures: { 1: { name: 'entity.name.label.net' }, 2: { name: 'punctuation.separator.label.net' } },
          },
        ],
      },
      keywords: { patterns: keywordPatterns },
      numbers: {
        patterns: [
          { name: 'constant.numeric.float.net', match: `(?<![.\\w])${FLOAT_RE.source}\\b` },
          { name: 'constant.numeric.integer.net', match: `\\b${INTEGER_RE.source}\\b` },
        ],
      },
      dtypes: { match: `\\b(${IDENT})(?=\\[)`, captures: { 1: { name: 'support.type.dtype.net' } } },
      builtins: {
        comment: 'operators of the operator table, called (`conv(64, k=3)`) or bare (`|> relu`)',
        match: `\\b(${spellings.join('|')})\\b`,
        captures: { 1: { name: 'support.function.builtin.net' } },
      },
      calls: { match: `\\b(${IDENT})\\s*(?=\\()`, captures: { 1: { name: 'entity.name.function.net' } } },
      pipe: { name: 'keyword.operator.pipe.net', match: '\\|>' },
      operators: { name: 'keyword.operator.net', match: operators.map(escapeRe).join('|') },
      punctuation: {
        patterns: [
          { name: 'punctuation.separator.comma.net', match: ',' },
          { name: 'punctuation.accessor.net', match: '\\.' },
          { name: 'punctuation.separator.colon.net', match: ':' },
          { name: 'punctuation.section.brackets.net', match: '[\\[\\](){}]' },
        ],
      },
    },
  };
}

// ---------------------------------------------------------------- files

/** Rules in reading order: depth first from `sourceFile`, each rule right after its first user. */
export function topDown(gast: ISerializedGast[]): ISerializedGast[] {
  const byName = new Map((gast as unknown as Gast[]).map((r) => [r.name!, r]));
  const order: string[] = [];
  const queue = ['sourceFile', ...byName.keys()];
  const refsOf = (n: Gast, out: string[]): string[] => {
    if (n.type === 'NonTerminal') out.push(n.name!);
    for (const d of n.definition ?? []) refsOf(d, out);
    return out;
  };
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (order.includes(name) || !byName.has(name)) continue;
    order.push(name);
    const refs = (byName.get(name)!.definition ?? []).flatMap((d) => refsOf(d, []));
    queue.splice(0, 0, ...refs.filter((r) => !order.includes(r) && !queue.slice(0, refs.length).includes(r)));
  }
  return order.map((n) => byName.get(n)!) as unknown as ISerializedGast[];
}

/** Every generated file of grammar/, by path relative to the repository root. */
export function generateGrammarFiles(): Record<string, string> {
  const gast = topDown(new NetParser().getSerializedGastProductions());
  return {
    'grammar/net.ebnf': ebnfListing(gast),
    'grammar/diagrams.html': createSyntaxDiagramsCode(gast),
    'grammar/net.tmLanguage.json': `${JSON.stringify(textMateGrammar(), null, 2)}\n`,
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const [path, content] of Object.entries(generateGrammarFiles())) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}
