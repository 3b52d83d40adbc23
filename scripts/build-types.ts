/**
 * The library's type declarations: dist/types/, one declaration file per source module
 * reachable from src/index.ts (the JavaScript is the bundle, scripts/build.ts: esbuild for the
 * code, tsc for the declarations, as esbuild writes none).
 *
 * The sources import each other with `.ts` extensions; tsc keeps those in declarations, where
 * a consumer's TypeScript would look for `.ts` files that are not shipped, so they are
 * rewritten to `.js`, which TypeScript maps to the `.d.ts` beside it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'types');

/** `from './x.ts'` and `import('./x.ts')` in a declaration file, relative specifiers only. */
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g;

export function rewriteDeclarationSpecifiers(text: string): string {
  return text.replace(TS_SPECIFIER, '$1$2.js$3');
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return declarationFiles(p);
    return e.name.endsWith('.d.ts') ? [p] : [];
  });
}

export function buildTypes(): void {
  rmSync(outdir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const file of declarationFiles(outdir)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = rewriteDeclarationSpecifiers(text);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildTypes();
}
