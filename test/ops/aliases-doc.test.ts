/**
 * spec/language.md lists the argument aliases (PyTorch's names) the checker accepts: exactly
 * those of the operator table, each in the row of its operator.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OP_TABLE } from '../../src/ops/registry.ts';
import type { OpDef } from '../../src/ops/types.ts';

const doc = readFileSync('spec/language.md', 'utf8');
/** The operator table's rows as [operator names, arguments] (the weights column has brackets of its own). */
const rows = doc.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|').slice(1, 3) as [string, string]);

/** The bracketed names of a table row: `[out_channels, out]`, `[padding; int, ...]` -> names. */
function bracketed(row: string): Set<string> {
  const out = new Set<string>();
  for (const m of row.matchAll(/\[([^\]]*)\]/g)) {
    for (const part of m[1]!.split(';')[0]!.split(',')) {
      const name = part.trim();
      if (/^[a-z_]+$/.test(name)) out.add(name);
    }
  }
  return out;
}

describe('argument aliases in spec/language.md', () => {
  const defs = Object.values(OP_TABLE) as unknown as OpDef[];
  for (const def of defs) {
    const aliases = def.args.flatMap((a) => a.aliases ?? []);
    if (aliases.length === 0) continue;
    it(`${def.name}: every alias is listed in its row`, () => {
      const names = [def.name, ...def.spellings.map((sp) => sp.name)];
      const row = rows.find(([ops]) => names.some((n) => ops.includes(`\`${n}\``)));
      expect(row, `a row for ${def.name}`).toBeDefined();
      const listed = bracketed(row![1]);
      expect(aliases.filter((a) => !listed.has(a))).toEqual([]);
    });
  }

  it('lists no alias the checker does not accept', () => {
    const accepted = new Set(defs.flatMap((d) => d.args.flatMap((a) => a.aliases ?? [])));
    // The torch function a row names (torch.narrow) is not an argument.
    const listed = rows.flatMap(([, args]) => [...bracketed(args)]).filter((n) => n !== 'torch');
    expect(listed.filter((n) => !accepted.has(n))).toEqual([]);
  });
});
