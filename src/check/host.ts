/**
 * Where source files come from. The command line reads the file system, tests and the
 * language server hand in text they hold in memory; the checker only sees this interface.
 *
 * Paths are opaque strings to the checker: `resolve` turns an import path into the key that
 * `read` understands, and that key is the file name diagnostics print.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceHost {
  /** The text of a file, or undefined when it does not exist. */
  read(path: string): string | undefined;
  /** The path an import in `fromFile` refers to (`./a`, `../lib/b.net`, `std/resnet`). */
  resolve(fromFile: string, importPath: string): string;
}

/** Directory of the standard library shipped with netc (`src/std/*.net`). */
export const stdDirectory: string = fileURLToPath(new URL('../std/', import.meta.url));

const STD_PREFIX = 'std/';

function withExtension(path: string): string {
  return path.endsWith('.net') ? path : `${path}.net`;
}

/**
 * Resolution shared by every host: relative to the importing file, `std/name` to the key
 * `std/name.net` (read from the shipped library; also what diagnostics print).
 */
export function resolveImportPath(fromFile: string, importPath: string): string {
  if (importPath.startsWith(STD_PREFIX)) return normalize(withExtension(importPath));
  if (isAbsolute(importPath)) return normalize(withExtension(importPath));
  return normalize(join(dirname(fromFile), withExtension(importPath)));
}

function readDisk(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The text of a standard-library file given its key `std/<name>.net`. */
export function readStd(path: string): string | undefined {
  if (!path.startsWith(STD_PREFIX)) return undefined;
  const name = path.slice(STD_PREFIX.length);
  if (name.includes('..')) return undefined;
  return readDisk(join(stdDirectory, name));
}

/** Reads the file system; `std/` keys read the library next to this module. */
export function fileSystemHost(): SourceHost {
  return {
    read: (path) => readStd(path) ?? readDisk(path),
    resolve: resolveImportPath,
  };
}

/**
 * Files held in memory (tests, the language server's open documents). `std/` keys are
 * answered from `files` when present, else from the shipped library, so in-memory programs
 * can use the real standard library.
 */
export function memoryHost(files: ReadonlyMap<string, string> | Record<string, string>): SourceHost {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    read: (path) => map.get(path) ?? map.get(normalize(path)) ?? readStd(path),
    resolve: resolveImportPath,
  };
}
