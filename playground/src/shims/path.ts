/**
 * `node:path` in the browser: the POSIX functions the compiler's source host uses to resolve
 * imports (src/check/host.ts), on `/`-separated keys.
 */
export const sep = '/';

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (s !== '..' || !abs) out.push(s);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

export function basename(p: string, ext?: string): string {
  const b = p.slice(p.lastIndexOf('/') + 1);
  return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
}

export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(i) : '';
}

export function resolve(...parts: string[]): string {
  return join('/', ...parts);
}

export function relative(_from: string, to: string): string {
  return to;
}

export default { sep, isAbsolute, normalize, join, dirname, basename, extname, resolve, relative };
