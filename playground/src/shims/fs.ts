/**
 * `node:fs` in the browser: the compiler reads only the standard library from disk
 * (src/check/host.ts), so this answers reads of `<anything>/std/<name>.net` from the library
 * texts bundled into the page, and says every other file does not exist.
 */
import { STD_FILES } from 'virtual:netc-sources';

function stdName(path: string): string | undefined {
  const m = /(?:^|\/)std\/([^/]+\.net)$/.exec(path);
  return m && m[1] !== undefined && m[1] in STD_FILES ? m[1] : undefined;
}

export function existsSync(path: string): boolean {
  return stdName(path) !== undefined || /(?:^|\/)std\/?$/.test(path);
}

export function readFileSync(path: string): string {
  const name = stdName(path);
  if (name === undefined) throw new Error(`ENOENT: ${path}`);
  return STD_FILES[name]!;
}

export function statSync(path: string): { size: number; mtimeMs: number; isFile(): boolean } | undefined {
  const name = stdName(path);
  if (name === undefined) return undefined;
  return { size: STD_FILES[name]!.length, mtimeMs: 0, isFile: () => true };
}

export function readdirSync(): string[] {
  return Object.keys(STD_FILES);
}

// Reached only for files over the size limit, which the library's files are not.
export function openSync(): never {
  throw new Error('no file system in the browser');
}
export const readSync = openSync;
export const closeSync = openSync;
export const writeFileSync = openSync;
