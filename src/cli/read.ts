/** Reading a file named on the command line: its bytes, or a usage error naming it. */
import { readFileSync } from 'node:fs';
import { UsageError } from './io.ts';

export function readBytes(path: string, shown: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function readText(path: string, shown: string): string {
  return new TextDecoder().decode(readBytes(path, shown));
}
