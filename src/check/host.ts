/**
 * Where source files come from. The command line reads the file system, tests and the
 * language server hand in text they hold in memory; the checker only sees this interface.
 *
 * Paths are opaque strings to the checker: `resolve` turns an import path into the key that
 * `read` understands, and that key is the file name diagnostics print.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, normalize, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMITS } from '../ir/limits.ts';

export interface SourceHost {
  /** The text of a file, or undefined when it does not exist. */
  read(path: string): string | undefined;
  /** The path an import in `fromFile` refers to (`./a`, `../lib/b.net`, `std/resnet`). */
  resolve(fromFile: string, importPath: string): string;
}

/**
 * Directory of the standard library shipped with netc: `src/std/` next to this module's
 * folder when running from sources, `std/` next to the bundle (dist/netc.mjs) otherwise.
 */
export const stdDirectory: string = [new URL('../std/', import.meta.url), new URL('./std/', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, 'layers.net'))) ?? fileURLToPath(new URL('../std/', import.meta.url));

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

/** Largest source file netc reads (limits.ts; NET9008). */
export const MAX_SOURCE_BYTES: number = LIMITS.sourceBytes;

/** UTF-8 length of a string, without allocating its encoding. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Whether source text is over `limit` bytes of UTF-8 (cheap for short text). */
export function sourceTooLarge(text: string, limit: number = MAX_SOURCE_BYTES): boolean {
  if (text.length > limit) return true;
  return text.length * 3 > limit && utf8Length(text) > limit;
}

function readDisk(path: string): string | undefined {
  try {
    if (!existsSync(path)) return undefined;
    const size = statSync(path).size;
    if (size <= MAX_SOURCE_BYTES) return readFileSync(path, 'utf8');
    // Too large: read one byte past the limit, enough for the loader to report NET9008,
    // instead of the whole file.
    const fd = openSync(path, 'r');
    try {
      const bytes = Buffer.alloc(MAX_SOURCE_BYTES + 1);
      const n = readSync(fd, bytes, 0, bytes.length, 0);
      return bytes.subarray(0, n).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * Library files read, with the size and modification time they were read at: every check
 * of a program that imports the library asks for them again.
 */
const stdTexts = new Map<string, { size: number; mtimeMs: number; text: string | undefined }>();

/** The modules of the standard library, as imports name them (`resnet`, `unet`, ...). */
export function stdModuleNames(): string[] {
  try {
    return readdirSync(stdDirectory).filter((f) => f.endsWith('.net')).map((f) => f.slice(0, -'.net'.length)).sort();
  } catch {
    return [];
  }
}

/** The text of a standard-library file given its key `std/<name>.net`. */
export function readStd(path: string): string | undefined {
  if (!path.startsWith(STD_PREFIX)) return undefined;
  const name = path.slice(STD_PREFIX.length);
  if (name.includes('..')) return undefined;
  const file = join(stdDirectory, name);
  let st;
  try {
    st = statSync(file, { throwIfNoEntry: false });
  } catch {
    st = undefined;
  }
  if (!st || !st.isFile()) return readDisk(file);
  const known = stdTexts.get(file);
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.text;
  const text = readDisk(file);
  stdTexts.set(file, { size: st.size, mtimeMs: st.mtimeMs, text });
  return text;
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
