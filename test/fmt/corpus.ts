/**
 * Every `.net` text the project ships or specifies: examples, the standard library, model
 * fixtures, and the sources of the conformance and syntax cases (single `source` or
 * multi-file `files`). Formatter and language-server tests run over all of them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CorpusText {
  name: string;
  text: string;
}

function netFiles(dir: string): CorpusText[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => f.endsWith('.net'))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(abs, f), 'utf8') }));
}

function yamlSources(dir: string): CorpusText[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: CorpusText[] = [];
  for (const f of readdirSync(abs).filter((x) => x.endsWith('.yaml')).sort()) {
    const doc = parse(readFileSync(join(abs, f), 'utf8')) as { cases?: { name?: string; source?: unknown; files?: Record<string, unknown> }[] } | null;
    for (const c of doc?.cases ?? []) {
      if (typeof c.source === 'string') out.push({ name: `${dir}/${f}: ${c.name}`, text: c.source });
      for (const [path, text] of Object.entries(c.files ?? {})) {
        if (typeof text === 'string') out.push({ name: `${dir}/${f}: ${c.name} (${path})`, text });
      }
    }
  }
  return out;
}

export function corpus(): CorpusText[] {
  return [
    ...netFiles('examples'),
    ...netFiles('src/std'),
    ...netFiles('test/fixtures/models'),
    ...yamlSources('spec/conformance'),
    ...yamlSources('spec/syntax'),
  ];
}
