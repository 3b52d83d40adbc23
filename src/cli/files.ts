/**
 * Files named on the command line: expanding operands (files, directories, globs) into `.net`
 * files, and reading a named file with one wording for every command when it is missing,
 * unreadable or of another kind. Directories are searched recursively; node_modules and
 * dot-directories are skipped.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { requireFileKind } from '../io/file-kind.ts';
import { UsageError } from './io.ts';

const IGNORE = ['**/node_modules/**', '**/.*/**'];

function isGlob(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

/** Why a file could not be read, in words ("no such file"), from a Node file-system error. */
export function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return code ?? (e as Error).message;
  }
}

/** The bytes of `path` (shown to the user as `shown`), or a UsageError saying why not. */
export function readFileBytes(path: string, shown: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${readFailure(e)}`);
  }
}

/** The first `length` bytes of `path`, enough to tell its kind without reading it whole. */
/** The text of `path` (UTF-8), or a UsageError saying why not. */
export function readFileText(path: string, shown: string): string {
  return new TextDecoder().decode(readFileBytes(path, shown));
}

export function readFileHead(path: string, shown: string, length = 4096): Uint8Array {
  let fd: number | undefined;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    fd = openSync(path, 'r');
    const bytes = new Uint8Array(length);
    return bytes.subarray(0, readSync(fd, bytes, 0, length, 0));
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${readFailure(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Checks that `path` exists, is readable and is not recognisably another kind of file than a
 * `.net` source (NET3016, e.g. an ONNX model given to `netc check`).
 */
export function requireSourceFile(path: string, shown: string): void {
  requireFileKind(readFileHead(path, shown), shown, ['net'], 'a .net source');
}

/**
 * The `.net` files named by `operands`, sorted. A directory or glob without any is fine as
 * long as some operand gives a file; none at all is a usage error, the same for every command.
 */
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
    } catch (e) {
      throw new UsageError(`cannot read ${op}: ${readFailure(e)}`);
    }
    if (st.isDirectory()) {
      for (const f of globSync('**/*.net', { cwd: abs, ignore: [...IGNORE, ...exclude], absolute: true })) out.add(resolve(f));
    } else {
      requireSourceFile(abs, op);
      out.add(abs);
    }
  }
  if (out.size === 0) throw new UsageError(`no .net files found in ${operands.join(' ')}`);
  return [...out].sort();
}
