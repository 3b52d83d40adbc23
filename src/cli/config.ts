/**
 * netc.yaml for the commands (src/io/config.ts reads it; a bad file is a usage error), and
 * `--bind` values.
 */
import { ConfigError, loadConfig as load, type NetcConfig } from '../io/config.ts';
import { UsageError } from './io.ts';

export type { NetcConfig, RuleSetting } from '../io/config.ts';

export function loadConfig(cwd: string, explicit?: string): NetcConfig {
  try {
    return load(cwd, explicit);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** `N=1,H=224` -> map; throws a UsageError naming the bad part. */
export function parseBindings(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)$/.exec(part);
    if (!m) throw new UsageError(`bad binding '${part}': expected NAME=INTEGER, e.g. --bind N=1,H=224`);
    const v = Number(m[2]);
    if (!Number.isSafeInteger(v) || v < 1) throw new UsageError(`bad binding '${part}': the size must be a positive integer`);
    out.set(m[1]!, v);
  }
  return out;
}
