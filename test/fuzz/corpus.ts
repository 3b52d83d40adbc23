/**
 * The seed corpus of the fuzzers: every `.net` file shipped with netc (examples, the
 * standard library, test models) and every source embedded in the conformance and syntax
 * cases of spec/. A seed may bring extra in-memory files it imports (multi-file cases).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface Seed {
  /** Where the seed came from, for reports. */
  name: string;
  text: string;
  /** Path the seed is checked as (default `main.net`). */
  file?: string;
  /** Other files of a multi-file case, by path. */
  files?: Record<string, string>;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, ext));
    else if (name.endsWith(ext)) out.push(path);
  }
  return out;
}

interface YamlCase {
  name?: string;
  source?: string;
  files?: Record<string, string>;
  main?: string;
}

export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const dir of ['examples', 'src/std', 'test/fixtures/models']) {
    for (const path of walk(join(repoRoot, dir), '.net')) {
      seeds.push({ name: relative(repoRoot, path), text: readFileSync(path, 'utf8') });
    }
  }
  for (const path of walk(join(repoRoot, 'spec'), '.yaml')) {
    let doc: { cases?: YamlCase[] } | undefined;
    try {
      doc = parse(readFileSync(path, 'utf8')) as { cases?: YamlCase[] };
    } catch {
      continue;
    }
    for (const c of doc?.cases ?? []) {
      const name = `${relative(repoRoot, path)}: ${c.name ?? '?'}`;
      if (typeof c.source === 'string') seeds.push({ name, text: c.source });
      else if (c.files && typeof c.files === 'object') {
        const main = c.main ?? Object.keys(c.files)[0]!;
        const files = { ...c.files };
        const text = files[main] ?? '';
        delete files[main];
        seeds.push({ name, text, file: main, files });
      }
    }
  }
  return seeds;
}
