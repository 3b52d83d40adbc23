/**
 * Names in the `.net` source written from an imported graph: values, block parameters and
 * blocks, always valid identifiers (keywords come from the lexer) and unique where they must be.
 */
import { KEYWORDS } from '../../syntax/lexer.ts';
import type { CallArg } from './sourceCalls.ts';

const KEYWORD_WORDS = new Set(KEYWORDS.map((k) => k.word));
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const isIdent = (s: string): boolean => IDENT.test(s) && !KEYWORD_WORDS.has(s);

/** `base`, or `base2`, `base3`, ... : the first not in `taken`, which it joins. */
function fresh(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/** What a block parameter taking this argument is named after: the argument (`c` for channels). */
export function paramName(a: CallArg, callee: string): string {
  return a.name ?? (callee === 'linear' ? 'n' : 'c');
}

/** A value named after the labels of the layers that compute it (their common prefix), else `t`. */
export function valueName(segments: string[], taken: Set<string>): string {
  const labels = segments.filter((s) => isIdent(s));
  let base = 't';
  if (labels.length === 1) base = labels[0]!;
  else if (labels.length > 1) {
    let p = labels[0]!;
    for (const l of labels) while (!l.startsWith(p)) p = p.slice(0, -1);
    p = p.replace(/_+$/, '');
    base = isIdent(p) ? p : labels[labels.length - 1]!;
  }
  let name = base.replace(/^_+/, '') || 't';
  if (!isIdent(name)) name = 't';
  return fresh(name, taken);
}

const OP_WORDS: Record<string, string> = {
  conv: 'Conv', conv_transpose: 'ConvT', batchnorm: 'BN', relu: 'ReLU', relu6: 'ReLU6', leaky_relu: 'LeakyReLU',
  sigmoid: 'Sigmoid', tanh: 'Tanh', maxpool: 'MaxPool', avgpool: 'AvgPool', linear: 'Linear', clip: 'Clip',
  dropout: 'Dropout', upsample: 'Upsample', flatten: 'Flatten', softmax: 'Softmax', identity: 'Identity',
};

/**
 * A short chain is named after its layers (`ConvBNReLU`); anything else after what its
 * instances' name segments share (`inception3a`, `inception4b` -> `Inception`).
 */
export function blockName(segments: string[], chainOps: string[] | undefined, used: Set<string>): string {
  let common = segments[0]!;
  for (const seg of segments) while (!seg.startsWith(common)) common = common.slice(0, -1);
  if (segments.length > 1) common = common.replace(/[0-9]+[a-z]?$/, '');
  let base = chainOps && chainOps.length <= 4 && chainOps.every((o) => OP_WORDS[o])
    ? chainOps.map((o) => OP_WORDS[o]).join('')
    : common.replace(/[_0-9]+$/, '').split('_').filter((w) => w).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (!isIdent(base)) base = 'Block';
  return fresh(base, used);
}
