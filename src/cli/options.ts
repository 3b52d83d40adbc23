/** Thin wrapper over node:util parseArgs that turns its errors into usage errors, with a suggestion for a misspelt option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '../check/suggest.ts';
import { UsageError } from './io.ts';

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    // node's messages start with a capital; netc's CLI messages do not.
    const raw = (e as Error).message.replace(/\. To specify a positional.*$/s, '');
    const message = raw.charAt(0).toLowerCase() + raw.slice(1);
    const unknown = /^unknown option '--([^'=]+)'/.exec(message)?.[1];
    const close = unknown === undefined ? undefined : closestName(unknown, [...Object.keys(options), 'help']);
    throw new UsageError(close === undefined ? message : `${message} (did you mean '--${close}'?)`);
  }
}
