/**
 * Grammar-aware mutations of `.net` source: the text is split into tokens (a loose copy of
 * the lexer's classes, so that broken input still splits) and edited token by token, the
 * way real mistakes and hostile inputs look: deleted, duplicated and swapped tokens, numbers
 * replaced by edge values, identifiers and operators swapped, truncation, deep nesting,
 * huge repeat counts, and raw bytes.
 */
import type { Rng } from './rng.ts';

export interface Token {
  text: string;
  kind: 'space' | 'comment' | 'string' | 'number' | 'ident' | 'punct' | 'other';
}

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|\|>|==|!=|<=|>=|[\s\S]/gy;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) {
    const t = m[0];
    const kind: Token['kind'] = /^\s/.test(t) ? 'space'
      : t.startsWith('//') || t.startsWith('/*') ? 'comment'
      : t.startsWith('"') ? 'string'
      : /^\d/.test(t) ? 'number'
      : /^[A-Za-z_]/.test(t) ? 'ident'
      : /^[|=!<>()[\]{},:.+\-*/%]/.test(t) ? 'punct' : 'other';
    out.push({ text: t, kind });
  }
  return out;
}

const join = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join('');

/** Edge values for numbers: zero, negatives, limits of int32 / float64 / safe integers. */
export const EDGE_NUMBERS = [
  '0', '-1', '1', '2', '3', '7', '0.5', '1e-3', '-0.0', '65536', '2147483647', '2147483648',
  '4294967296', '1099511627776', '9007199254740991', '9007199254740993', '1e308', '1e309',
  '1e-308', '123456789012345678901234567890', '0.0000001', '3.4e38',
];

/** Names worth swapping in: keywords, operators, std blocks, and likely dimension names. */
const NAMES = [
  'import', 'from', 'as', 'const', 'block', 'network', 'in', 'out', 'if', 'else', 'seq', 'repeat',
  'true', 'false', 'and', 'or', 'not', 'div', 'int', 'float', 'bool', 'string', 'f32',
  'conv', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose', 'conv_transpose2d', 'conv_transpose3d',
  'maxpool', 'maxpool3d', 'avgpool', 'adaptive_avgpool', 'adaptive_maxpool', 'global_avgpool',
  'global_maxpool', 'batchnorm', 'bn', 'relu', 'relu6', 'sigmoid', 'tanh', 'clip', 'leaky_relu',
  'softmax', 'add', 'mul', 'concat', 'flatten', 'linear', 'dropout', 'identity', 'upsample',
  'k', 'stride', 'pad', 'dilation', 'groups', 'bias', 'axis', 'size', 'scale', 'mode',
  'N', 'C', 'H', 'W', 'D', 'x', 'y', 'ConvBNReLU', 'Bottleneck', 'BasicBlock', 'Inception',
];

const PUNCT = ['|>', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'div'];

function nonSpace(tokens: readonly Token[]): number[] {
  const idx: number[] = [];
  tokens.forEach((t, i) => t.kind !== 'space' && t.kind !== 'comment' && idx.push(i));
  return idx;
}

function pickIndex(tokens: readonly Token[], rng: Rng, kind?: Token['kind']): number | undefined {
  const idx = nonSpace(tokens).filter((i) => kind === undefined || tokens[i]!.kind === kind);
  return idx.length === 0 ? undefined : rng.pick(idx);
}

export type Mutator = (tokens: Token[], rng: Rng, donor: string) => Token[];

const tok = (text: string): Token => ({ text, kind: 'other' });

/** Deep nesting of one of the nestable forms, around a random token. */
function nestingText(rng: Rng, depth: number, inner: string): string {
  switch (rng.int(0, 5)) {
    case 0: return '('.repeat(depth) + inner + ')'.repeat(depth);
    case 1: return '['.repeat(depth) + inner + ']'.repeat(depth);
    case 2: return 'seq { '.repeat(depth) + inner + ' }'.repeat(depth);
    case 3: return 'if true { '.repeat(depth) + inner + ' } else { identity }'.repeat(depth);
    case 4: return '-'.repeat(depth) + inner;
    default: return `${inner}${' + 1'.repeat(depth)}`;
  }
}

export const MUTATORS: Record<string, Mutator> = {
  deleteToken(tokens, rng) {
    const i = pickIndex(tokens, rng);
    if (i !== undefined) tokens.splice(i, 1);
    return tokens;
  },
  duplicateToken(tokens, rng) {
    const i = pickIndex(tokens, rng);
    if (i !== undefined) tokens.splice(i, 0, { ...tokens[i]! }, tok(' '));
    return tokens;
  },
  swapTokens(tokens, rng) {
    const a = pickIndex(tokens, rng);
    const b = pickIndex(tokens, rng);
    if (a !== undefined && b !== undefined) [tokens[a], tokens[b]] = [tokens[b]!, tokens[a]!];
    return tokens;
  },
  mutateNumber(tokens, rng) {
    const i = pickIndex(tokens, rng, 'number');
    if (i === undefined) return tokens;
    const n = Number(tokens[i]!.text);
    const choices = [...EDGE_NUMBERS, String(n * 2), String(n + 1), String(Math.max(0, n - 1)), String(rng.int(0, 64))];
    tokens[i] = { text: rng.pick(choices), kind: 'number' };
    return tokens;
  },
  swapIdentifier(tokens, rng) {
    const i = pickIndex(tokens, rng, 'ident');
    if (i === undefined) return tokens;
    const local = nonSpace(tokens).filter((j) => tokens[j]!.kind === 'ident').map((j) => tokens[j]!.text);
    tokens[i] = { text: rng.chance(0.5) ? rng.pick(local) : rng.pick(NAMES), kind: 'ident' };
    return tokens;
  },
  swapOperator(tokens, rng) {
    const i = pickIndex(tokens, rng, 'punct');
    if (i !== undefined) tokens[i] = { text: rng.pick(PUNCT), kind: 'punct' };
    return tokens;
  },
  insertToken(tokens, rng) {
    const i = rng.int(0, tokens.length);
    const text = rng.chance(0.5) ? rng.pick(PUNCT) : rng.chance(0.5) ? rng.pick(NAMES) : rng.pick(EDGE_NUMBERS);
    tokens.splice(i, 0, tok(' '), tok(text), tok(' '));
    return tokens;
  },
  truncate(tokens, rng) {
    const text = join(tokens);
    return tokenize(text.slice(0, rng.int(0, text.length)));
  },
  nest(tokens, rng) {
    const i = pickIndex(tokens, rng);
    if (i === undefined) return tokens;
    const depth = rng.pick([3, 20, 70, 300, 2000, 10000]);
    tokens[i] = tok(nestingText(rng, depth, tokens[i]!.text));
    return tokens;
  },
  repeatStage(tokens, rng) {
    // Wrap a stage (an identifier after `|>`) in a repeat, or change an existing count.
    const stages = nonSpace(tokens).filter((j, k, all) => tokens[j]!.kind === 'ident' && k > 0 && tokens[all[k - 1]!]!.text === '|>');
    if (stages.length === 0) return tokens;
    const i = rng.pick(stages);
    const count = rng.pick(['0', '1', '3', '100', '9999', '10000', '10001', '100000', '-1', '2147483648']);
    tokens[i] = tok(rng.chance(0.3)
      ? `repeat ${count} { repeat ${count} { ${tokens[i]!.text} } }`
      : `repeat ${count} as i { ${tokens[i]!.text} }`);
    return tokens;
  },
  splice(tokens, rng, donor) {
    // Crossover: a random slice of another seed pasted at a random place.
    const d = tokenize(donor);
    if (d.length === 0) return tokens;
    const a = rng.int(0, d.length - 1);
    const b = Math.min(d.length, a + rng.int(1, 40));
    tokens.splice(rng.int(0, tokens.length), 0, ...d.slice(a, b));
    return tokens;
  },
  rawBytes(tokens, rng) {
    tokens.splice(rng.int(0, tokens.length), 0, tok(randomText(rng, rng.int(1, 16))));
    return tokens;
  },
  longLine(tokens, rng) {
    const i = pickIndex(tokens, rng);
    if (i === undefined) return tokens;
    const n = rng.pick([1000, 20000]);
    tokens[i] = tok(rng.chance(0.5) ? `${tokens[i]!.text}${' |> relu'.repeat(n / 10)}` : `${tokens[i]!.text} // ${'x'.repeat(n)}\n`);
    return tokens;
  },
};

const MUTATOR_NAMES = Object.keys(MUTATORS);

/** Apply 1..4 random mutations; returns the text and the mutators used (for reports). */
export function mutate(text: string, rng: Rng, donor: string): { text: string; ops: string[] } {
  let tokens = tokenize(text);
  const ops: string[] = [];
  const n = rng.int(1, 4);
  for (let k = 0; k < n; k++) {
    const name = rng.pick(MUTATOR_NAMES);
    ops.push(name);
    tokens = MUTATORS[name]!(tokens, rng, donor);
  }
  return { text: join(tokens), ops };
}

/** 1-2 number mutations only: the text stays well-formed. */
export function mutateNumbers(text: string, rng: Rng): string {
  let tokens = tokenize(text);
  for (let k = rng.int(1, 2); k > 0; k--) tokens = MUTATORS['mutateNumber']!(tokens, rng, '');
  return join(tokens);
}

/** Random text: bytes of every class, including NUL, control characters, lone surrogates and astral characters. */
export function randomText(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.next();
    if (r < 0.5) s += String.fromCharCode(rng.int(32, 126));
    else if (r < 0.7) s += String.fromCharCode(rng.int(0, 31));
    else if (r < 0.85) s += String.fromCharCode(rng.int(128, 0xffff));
    else if (r < 0.95) s += rng.pick(['|>', '{', '}', '(', ')', '"', '/*', '//', '\\', 'network', 'in x: [1]', ' ']);
    else s += String.fromCodePoint(rng.int(0x10000, 0x10ffff));
  }
  return s;
}

/** Random bytes decoded as UTF-8 (replacement characters for invalid sequences, as a file read would give). */
export function randomBytesText(rng: Rng, length: number): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = rng.int(0, 255);
  return new TextDecoder('utf-8').decode(bytes);
}
