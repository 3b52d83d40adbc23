/**
 * Limits on nesting, so that pathological input gives a diagnostic instead of a stack overflow
 * here or in any later stage that walks the tree recursively.
 */
import type { IToken } from 'chevrotain';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Item } from './ast.ts';
import type { Span } from '../diag/span.ts';
import { LBrace, LBracket, LParen, Minus, Not, RBrace, RBracket, RParen } from './lexer.ts';
import { tokenSpan } from './token-span.ts';

/** Brackets plus consecutive prefix operators; real networks stay far below. */
export const MAX_TOKEN_NESTING = 64;
/** Depth of the syntax tree (a chain `a + b + c + ...` nests one level per operator). */
export const MAX_TREE_DEPTH = 256;

/** Reports the first token at which brackets and prefix operators nest deeper than the limit. */
export function checkNesting(tokens: IToken[], file: string): Diagnostic | undefined {
  let depth = 0;
  let prefixRun = 0;
  for (const tok of tokens) {
    const type = tok.tokenType;
    if (type === LParen || type === LBracket || type === LBrace) depth++;
    else if (type === RParen || type === RBracket || type === RBrace) depth = Math.max(0, depth - 1);
    prefixRun = type === Minus || type === Not ? prefixRun + 1 : 0;
    if (depth + prefixRun > MAX_TOKEN_NESTING) {
      return diag('NET0020', tokenSpan(tok, file), { max: MAX_TOKEN_NESTING });
    }
  }
  return undefined;
}

/** Reports the first node found deeper than MAX_TREE_DEPTH (walked without recursion). */
export function deepestNode(items: Item[]): Diagnostic | undefined {
  // Two parallel stacks instead of a pair per node: this walk visits every node of every file.
  const nodes: unknown[] = [];
  const depths: number[] = [];
  for (const i of items) {
    nodes.push(i);
    depths.push(1);
  }
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (Array.isArray(node)) {
      for (const child of node) {
        nodes.push(child);
        depths.push(depth);
      }
      continue;
    }
    if (typeof node !== 'object' || node === null || !('kind' in node)) continue;
    if (depth > MAX_TREE_DEPTH) {
      return diag('NET0020', (node as unknown as { span: Span }).span, { max: MAX_TREE_DEPTH });
    }
    const fields = node as Record<string, unknown>;
    for (const key in fields) {
      if (!Object.hasOwn(fields, key)) continue;
      const value = fields[key];
      if (key !== 'span' && typeof value === 'object' && value !== null) {
        nodes.push(value);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
