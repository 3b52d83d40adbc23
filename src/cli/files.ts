/**
 * Expanding command-line operands (files, directories, globs) into `.net` files. Directories
 * are searched recursively; node_modules and dot-directories are skipped.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { UsageError } from './io.ts';

const IGNORE = ['**/node_modules/**', '**/.*/**'];

function isGlob(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

export function expandOperands(operands: string[], cwd: string, exclude: string[] = []): string[] {
  const out = new Set<string>();
  for (const op of operands) {
    if (isGlob(op)) {
      for (const f of globSync(op, { cwd, ignore: [...IGNORE, ...exclude], absolute: true })) {
        if (f.endsWith('.net')) out.add(resolve(f));
      }
      continue;
    }
    const abs = isAbsolute(op) ? op : resolve(cwd, op);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${op}`);
    }
    if (st.isDirectory()) {
      const rel = relative(cwd, abs) || '.';
      for (const f of globSync('**/*.net', { cwd: abs, ignore: [...IGNORE, ...exclude], absolute: true })) out.add(resolve(f));
      void rel;
    } else {
      out.add(abs);
    }
  }
  return [...out].sort();
}
