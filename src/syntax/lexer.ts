/**
 * Tokens of the `.net` language and the lexer that produces them.
 *
 * Malformed input never stops the lexer: a character that starts no token becomes an
 * `Unknown` token, an unterminated string or block comment becomes its own token type. The
 * lexer reports each of these once (NET0001-NET0005) and the parser ignores the syntax errors
 * they cause, so one bad character gives one diagnostic.
 *
 * The token definitions are also the source of the TextMate grammar (scripts/gen-grammar.ts)
 * and of keyword completion, so each keyword carries the scope it is highlighted with.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Comment } from './ast.ts';
import { tokenSpan } from './token-span.ts';

// ---------------------------------------------------------------- lexical patterns

export const IDENTIFIER_RE = /[A-Za-z_][A-Za-z0-9_]*/;
export const INTEGER_RE = /[0-9]+/;
/** A float needs a digit before the point (`c2.0` is member access) and after it. */
export const FLOAT_RE = /[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)/;
export const STRING_RE = /"(?:[^"\\\r\n]|\\.)*"/;
/** The escapes a string may contain: `\"`, `\\`, `\n`, `\t`. */
export const STRING_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

// ---------------------------------------------------------------- tokens

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//,
  group: 'comments',
  line_breaks: true,
});
/** `/*` without its `*\/`: runs to the end of the file. */
export const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  group: 'comments',
  line_breaks: true,
});

export const Identifier = createToken({ name: 'Identifier', pattern: IDENTIFIER_RE, label: 'identifier' });

/** Scope of a keyword in editors: `keyword.control.net`, `storage.type.net`, ... */
export type KeywordScope =
  | 'keyword.other'
  | 'keyword.control'
  | 'storage.type'
  | 'support.type'
  | 'constant.language'
  | 'keyword.operator.word';

export interface KeywordInfo {
  word: string;
  token: TokenType;
  scope: KeywordScope;
}

const keywordTable: Array<[string, string, KeywordScope]> = [
  ['import', 'Import', 'keyword.other'],
  ['from', 'From', 'keyword.other'],
  ['as', 'As', 'keyword.other'],
  ['const', 'Const', 'storage.type'],
  ['block', 'Block', 'storage.type'],
  ['network', 'Network', 'storage.type'],
  ['in', 'In', 'storage.type'],
  ['out', 'Out', 'storage.type'],
  ['if', 'If', 'keyword.control'],
  ['else', 'Else', 'keyword.control'],
  ['seq', 'Seq', 'keyword.control'],
  ['repeat', 'Repeat', 'keyword.control'],
  ['true', 'True', 'constant.language'],
  ['false', 'False', 'constant.language'],
  ['and', 'And', 'keyword.operator.word'],
  ['or', 'Or', 'keyword.operator.word'],
  ['not', 'Not', 'keyword.operator.word'],
  ['div', 'Div', 'keyword.operator.word'],
  ['int', 'Int', 'support.type'],
  ['float', 'Float', 'support.type'],
  ['bool', 'Bool', 'support.type'],
  ['string', 'String', 'support.type'],
];

/** Every keyword, in the order of spec/language.md. Useful for completion and highlighting. */
export const KEYWORDS: readonly KeywordInfo[] = keywordTable.map(([word, name, scope]) => ({
  word,
  scope,
  token: createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` }),
}));

const kw = (word: string): TokenType => KEYWORDS.find((k) => k.word === word)!.token;
export const Import = kw('import');
export const From = kw('from');
export const As = kw('as');
export const Const = kw('const');
export const Block = kw('block');
export const Network = kw('network');
export const In = kw('in');
export const Out = kw('out');
export const If = kw('if');
export const Else = kw('else');
export const Seq = kw('seq');
export const Repeat = kw('repeat');
export const True = kw('true');
export const False = kw('false');
export const And = kw('and');
export const Or = kw('or');
export const Not = kw('not');
export const Div = kw('div');
export const IntKw = kw('int');
export const FloatKw = kw('float');
export const BoolKw = kw('bool');
export const StringKw = kw('string');

/**
 * Floats are matched by a custom pattern so that the digits after a member-access dot stay
 * integers: `t.0.1` is `t . 0 . 1`, not `t . 0.1`.
 */
const floatSticky = new RegExp(FLOAT_RE.source, 'y');
export const FloatLit = createToken({
  name: 'FloatLit',
  label: 'number',
  pattern: {
    exec: (text: string, offset: number, tokens: IToken[]) => {
      const prev = tokens[tokens.length - 1];
      if (prev !== undefined && prev.tokenType === Dot && prev.endOffset === offset - 1) return null;
      floatSticky.lastIndex = offset;
      return floatSticky.exec(text);
    },
  },
  start_chars_hint: [...'0123456789'],
  line_breaks: false,
});
export const IntLit = createToken({ name: 'IntLit', pattern: INTEGER_RE, label: 'number' });
export const StringLit = createToken({ name: 'StringLit', pattern: STRING_RE, label: 'string' });
/** `"abc` up to the end of the line; accepted by the parser as a string after NET0002. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  categories: [StringLit],
  label: 'string',
});

/** `'same'`: reported as NET0001 (strings take double quotes) and parsed as a string. */
export const SingleQuotedString = createToken({
  name: 'SingleQuotedString',
  pattern: /'[^'\r\n]*'?/,
  categories: [StringLit],
  label: 'string',
});

export interface PunctuationInfo {
  text: string;
  token: TokenType;
  scope: 'keyword.operator' | 'punctuation';
}

const punctuationTable: Array<[string, string, PunctuationInfo['scope']]> = [
  ['|>', 'PipeOp', 'keyword.operator'],
  ['|', 'Bar', 'keyword.operator'],
  ['(', 'LParen', 'punctuation'],
  [')', 'RParen', 'punctuation'],
  ['[', 'LBracket', 'punctuation'],
  [']', 'RBracket', 'punctuation'],
  ['{', 'LBrace', 'punctuation'],
  ['}', 'RBrace', 'punctuation'],
  [',', 'Comma', 'punctuation'],
  [':', 'Colon', 'punctuation'],
  ['==', 'EqEq', 'keyword.operator'],
  ['!=', 'NotEq', 'keyword.operator'],
  ['<=', 'LtEq', 'keyword.operator'],
  ['>=', 'GtEq', 'keyword.operator'],
  ['<', 'Lt', 'keyword.operator'],
  ['>', 'Gt', 'keyword.operator'],
  ['=', 'Equals', 'keyword.operator'],
  ['.', 'Dot', 'punctuation'],
  ['+', 'Plus', 'keyword.operator'],
  ['-', 'Minus', 'keyword.operator'],
  ['*', 'Star', 'keyword.operator'],
  ['/', 'Slash', 'keyword.operator'],
  ['%', 'Percent', 'keyword.operator'],
];

/** Operators and punctuation, longest first where one is a prefix of another. */
export const PUNCTUATION: readonly PunctuationInfo[] = punctuationTable.map(([text, name, scope]) => ({
  text,
  scope,
  token: createToken({ name, pattern: text, label: `\`${text}\`` }),
}));

const punct = (text: string): TokenType => PUNCTUATION.find((p) => p.text === text)!.token;
export const PipeOp = punct('|>');
export const Bar = punct('|');
export const LParen = punct('(');
export const RParen = punct(')');
export const LBracket = punct('[');
export const RBracket = punct(']');
export const LBrace = punct('{');
export const RBrace = punct('}');
export const Comma = punct(',');
export const Colon = punct(':');
export const EqEq = punct('==');
export const NotEq = punct('!=');
export const LtEq = punct('<=');
export const GtEq = punct('>=');
export const Lt = punct('<');
export const Gt = punct('>');
export const Equals = punct('=');
export const Dot = punct('.');
export const Plus = punct('+');
export const Minus = punct('-');
export const Star = punct('*');
export const Slash = punct('/');
export const Percent = punct('%');

/** Any character that starts no token; reported as NET0001 and never accepted by the parser. */
export const Unknown = createToken({
  name: 'Unknown',
  label: 'character',
  // A custom matcher: Chevrotain's first-character analysis does not handle `[\s\S]`.
  pattern: {
    exec: (text: string, offset: number): [string] | null => {
      const code = text.codePointAt(offset);
      return code === undefined ? null : [String.fromCodePoint(code)];
    },
  },
  // Every UTF-16 code unit may start it: with the hint, the other tokens keep Chevrotain's
  // first-character optimisation (only the patterns that can start with a character are tried).
  start_chars_hint: Array.from({ length: 0x10000 }, (_, i) => i),
  line_breaks: true,
});

/** Token types in lexer order (comments before `/`, floats before integers, keywords before identifiers). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  FloatLit,
  IntLit,
  StringLit,
  UnterminatedString,
  SingleQuotedString,
  // Longest first, so that `int` is not read as `in` followed by `t`.
  ...[...KEYWORDS].sort((a, b) => b.word.length - a.word.length).map((k) => k.token),
  Identifier,
  ...PUNCTUATION.map((p) => p.token),
  Unknown,
];

// ---------------------------------------------------------------- lexing

let lexerInstance: Lexer | undefined;

function lexer(): Lexer {
  lexerInstance ??= new Lexer(allTokens, {
    positionTracking: 'full',
    ensureOptimizations: false,
    skipValidations: true,
  });
  return lexerInstance;
}

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
  /** True when a block comment runs to the end of the file (errors at the end are its consequence). */
  unterminatedComment: boolean;
}

/** Split `text` into tokens and comments, reporting malformed characters, strings and comments. */
export function lexSource(text: string, file: string): LexResult {
  const result = lexer().tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const tokens = result.tokens;
  let unknownRun: IToken[] = [];
  // One stray character per line is reported: a line of prose (a comment whose `//` was
  // damaged, say) would otherwise give one error per backtick or apostrophe in it.
  let lastUnknownLine = -1;
  const flushUnknown = (): void => {
    if (unknownRun.length === 0) return;
    const first = unknownRun[0]!;
    if (first.startLine === lastUnknownLine) {
      unknownRun = [];
      return;
    }
    lastUnknownLine = first.startLine ?? -1;
    const last = unknownRun[unknownRun.length - 1]!;
    const span = { ...tokenSpan(first, file), end: tokenSpan(last, file).end };
    const char = String.fromCodePoint(text.codePointAt(first.startOffset)!);
    diagnostics.push(diag('NET0001', span, { char: describeChar(char) }, unknownCharHelp(char)));
    unknownRun = [];
  };
  for (const tok of tokens) {
    if (tok.tokenType === Unknown) {
      const prev = unknownRun[unknownRun.length - 1];
      if (prev !== undefined && (prev.endOffset ?? prev.startOffset) + 1 !== tok.startOffset) flushUnknown();
      unknownRun.push(tok);
      continue;
    }
    flushUnknown();
    if (tok.tokenType === SingleQuotedString) {
      const span = tokenSpan(tok, file);
      const quote = { ...span, end: { ...span.start, column: span.start.column + 1, offset: span.start.offset + 1 } };
      diagnostics.push(diag('NET0001', quote, { char: "`'`" }, unknownCharHelp("'")));
    } else if (tok.tokenType === UnterminatedString) {
      diagnostics.push(
        diag('NET0002', tokenSpan(tok, file), {}, { help: 'close the string with `"` on the same line' }),
      );
    } else if (tok.tokenType === IntLit && !Number.isSafeInteger(Number(tok.image))) {
      diagnostics.push(diag('NET0005', tokenSpan(tok, file), { raw: tok.image }));
    }
    if (tok.tokenType === StringLit || tok.tokenType === UnterminatedString) checkEscapes(tok, file, diagnostics);
  }
  flushUnknown();

  let unterminatedComment = false;
  const comments: Comment[] = [];
  for (const tok of result.groups['comments'] ?? []) {
    const span = tokenSpan(tok, file);
    if (tok.tokenType === UnterminatedComment) {
      unterminatedComment = true;
      const opener = { ...span, end: { line: span.start.line, column: span.start.column + 2, offset: span.start.offset + 2 } };
      diagnostics.push(diag('NET0003', opener, {}, { help: 'close the comment with `*/` (block comments do not nest)' }));
    }
    comments.push({ kind: 'Comment', text: tok.image, block: tok.tokenType !== LineComment, span });
  }
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { tokens, comments, diagnostics, unterminatedComment };
}

function checkEscapes(tok: IToken, file: string, out: Diagnostic[]): void {
  const image = tok.image;
  for (let i = 1; i < image.length; i++) {
    if (image[i] !== '\\') continue;
    const next = image[i + 1];
    if (next === undefined || !(next in STRING_ESCAPES)) {
      const start = tok.startOffset + i;
      const len = next === undefined ? 1 : 2;
      const span = {
        file,
        start: { line: tok.startLine!, column: tok.startColumn! + i, offset: start },
        end: { line: tok.startLine!, column: tok.startColumn! + i + len, offset: start + len },
      };
      out.push(diag('NET0004', span, { seq: `\`${image.slice(i, i + len)}\`` }, { help: 'the escapes are \\" \\\\ \\n \\t' }));
    }
    i++;
  }
}

/** The value of a string token: quotes removed, escapes replaced. */
export function stringValue(image: string): string {
  const quote = image[0] ?? '"';
  const closed = image.length >= 2 && image.endsWith(quote) && !endsWithOddBackslashes(image.slice(0, -1));
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\([\s\S]?)/g, (_m, c: string) => STRING_ESCAPES[c] ?? c);
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${char}\``;
}

function unknownCharHelp(char: string): { help?: string } {
  switch (char) {
    case ';':
      return { help: 'statements need no `;`: put each statement on its own line' };
    case '#':
      return { help: 'comments start with `//`' };
    case "'":
      return { help: 'strings are written in double quotes: "same"' };
    case '&':
      return { help: 'the logical operators are `and`, `or` and `not`' };
    case '!':
      return { help: 'negation is written `not`; inequality is `!=`' };
    default:
      return {};
  }
}

/** How a token is named in messages: `)`, `block`, identifier `x`, number `3`, end of file. */
export function describeToken(tok: IToken): string {
  const type = tok.tokenType;
  if (type === undefined || type.name === 'EOF') return 'end of file';
  if (type === Identifier) return `identifier \`${tok.image}\``;
  if (type === IntLit || type === FloatLit) return `number \`${tok.image}\``;
  if (type === StringLit || type === UnterminatedString || type === SingleQuotedString) return `string ${truncate(tok.image)}`;
  if (type === Unknown) return describeChar(tok.image);
  return `\`${tok.image}\``;
}

/** How a token type is named in "expected ..." messages. */
export function describeTokenType(type: TokenType): string {
  if (type.name === 'EOF') return 'end of file';
  return type.LABEL ?? type.name;
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 20)}...` : s;
}
