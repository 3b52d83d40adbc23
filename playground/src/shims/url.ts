/**
 * `node:url` in the browser: the compiler turns `import.meta.url` into a directory to find the
 * standard library; in the page that URL is http(s), so its path stands in (the fs shim
 * answers any `.../std/` path from the bundled library).
 */
export function fileURLToPath(u: string | URL): string {
  return decodeURIComponent(new URL(String(u)).pathname);
}

export function pathToFileURL(p: string): URL {
  return new URL(`file://${p}`);
}
