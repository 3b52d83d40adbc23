/**
 * The lexer keeps Chevrotain's first-character optimisation: without it every token pattern
 * is tried at every offset, which made lexing the largest share of checking a file.
 */
import { Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { allTokens, lexSource } from '../../src/syntax/lexer.ts';

describe('lexer optimisation', () => {
  it('every token type can be analysed for its first characters', () => {
    expect(() => new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true, skipValidations: true })).not.toThrow();
  });

  it('characters that start no token are still single Unknown tokens (NET0001)', () => {
    const r = lexSource('a § b 😀 c', 'f.net');
    expect(r.tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Unknown', 'Identifier', 'Unknown', 'Identifier']);
    expect(r.tokens[3]!.image).toBe('😀');
    // One stray character is reported per line.
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NET0001']);
    expect(lexSource('a § b\nc 😀 d', 'f.net').diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['NET0001', 1],
      ['NET0001', 2],
    ]);
  });

  it('a comment whose `//` was damaged gives one error for its line, not one per backtick', () => {
    const r = lexSource('block A {}\n/ Every block labels its layers `conv`, `bn` and `act`.\n', 'f.net');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NET0001']);
  });
});
