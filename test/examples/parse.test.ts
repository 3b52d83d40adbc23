/**
 * Every shipped `.net` source (examples, standard library, reference-model fixtures) parses
 * without a single diagnostic, has the items it is meant to have, and imports only blocks
 * that the standard library really declares.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { globSync } from 'tinyglobby';
import { parseSource } from '../../src/syntax/parse.ts';
import type { BlockDecl, SourceFile } from '../../src/syntax/ast.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(pattern: string): string[] {
  return globSync(pattern, { cwd: root, absolute: true }).sort();
}

function parseFile(path: string): { ast: SourceFile; messages: string[] } {
  const rel = relative(root, path);
  const { ast, diagnostics } = parseSource(readFileSync(path, 'utf8'), rel);
  const messages = diagnostics.map(
    (d) => `${rel}:${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`,
  );
  return { ast, messages };
}

function blocks(ast: SourceFile): BlockDecl[] {
  return ast.items.filter((i): i is BlockDecl => i.kind === 'BlockDecl');
}

const examples = sources('examples/*.net');
const stdlib = sources('src/std/*.net');
const fixtures = sources('test/fixtures/models/*.net');

describe('shipped .net sources parse cleanly', () => {
  it('finds the files', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(stdlib.map((p) => relative(root, p))).toEqual([
      'src/std/inception.net',
      'src/std/layers.net',
      'src/std/resnet.net',
      'src/std/unet.net',
    ]);
    expect(fixtures.length).toBe(7);
  });

  for (const path of [...examples, ...stdlib, ...fixtures]) {
    it(relative(root, path), () => {
      const { ast, messages } = parseFile(path);
      expect(messages).toEqual([]);
      expect(ast.items.length).toBeGreaterThan(0);
    });
  }
});

describe('item structure', () => {
  it('every example declares at least one network', () => {
    for (const path of examples) {
      const nets = blocks(parseFile(path).ast).filter((b) => b.isNetwork);
      expect(nets.length, relative(root, path)).toBeGreaterThan(0);
    }
  });

  it('the standard library declares blocks only', () => {
    for (const path of stdlib) {
      const decls = blocks(parseFile(path).ast);
      expect(decls.length, relative(root, path)).toBeGreaterThan(0);
      expect(decls.filter((b) => b.isNetwork), relative(root, path)).toEqual([]);
    }
  });

  it('every reference fixture holds exactly one network', () => {
    for (const path of fixtures) {
      const nets = blocks(parseFile(path).ast).filter((b) => b.isNetwork);
      expect(nets.length, relative(root, path)).toBe(1);
    }
  });

  it('every std import names a block the library declares', () => {
    const declared = new Map<string, Set<string>>();
    for (const path of stdlib) {
      const key = 'std/' + relative(root, path).replace(/^src\/std\//, '').replace(/\.net$/, '');
      declared.set(key, new Set(blocks(parseFile(path).ast).map((b) => b.name.name)));
    }
    for (const path of [...examples, ...stdlib, ...fixtures]) {
      for (const item of parseFile(path).ast.items) {
        if (item.kind !== 'ImportDecl') continue;
        const names = declared.get(item.path.value);
        expect(names, `${relative(root, path)} imports ${item.path.value}`).toBeDefined();
        for (const n of item.names) {
          expect(names!.has(n.name.name), `${relative(root, path)} imports ${n.name.name}`).toBe(true);
        }
      }
    }
  });
});
