/** The command line's source host: the file system, each file read once per run. */
import { fileSystemHost, type SourceHost } from '../check/host.ts';

export function cachedFileHost(): SourceHost & { read(path: string): string | undefined } {
  const base = fileSystemHost();
  const cache = new Map<string, string | undefined>();
  return {
    read(path) {
      if (!cache.has(path)) cache.set(path, base.read(path));
      return cache.get(path);
    },
    resolve: base.resolve,
  };
}
