/**
 * `netc.yaml`: project configuration, found by walking up from the working directory.
 *
 *   files: ["models/**\/*.net"]      # what `netc check` with no operands checks
 *   exclude: ["models/old/**"]
 *   bind: { N: 1, H: 224, W: 224 }   # dimension bindings, as --bind
 *   rules: { unused-value: off, shadowing: error }   # severity per rule name or code
 *   maxWarnings: 0
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './io.ts';

export type RuleSetting = 'off' | 'warning' | 'error';

export interface NetcConfig {
  /** Directory holding netc.yaml; relative paths in it are relative to this. */
  root: string;
  path?: string;
  files: string[];
  exclude: string[];
  bind: Map<string, number>;
  rules: Map<string, RuleSetting>;
  maxWarnings?: number;
}

export const CONFIG_NAME = 'netc.yaml';

export function findConfig(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(cwd: string, explicit?: string): NetcConfig {
  const path = explicit ?? findConfig(cwd);
  const empty: NetcConfig = { root: cwd, files: [], exclude: [], bind: new Map(), rules: new Map() };
  if (!path) return empty;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: cannot read configuration: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseConfig(raw ?? {}, path);
}

export function parseConfig(raw: unknown, path: string): NetcConfig {
  const fail = (msg: string): never => {
    throw new UsageError(`${path}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected a mapping at the top level');
  const obj = raw as Record<string, unknown>;
  const known = new Set(['files', 'exclude', 'bind', 'rules', 'maxWarnings']);
  for (const k of Object.keys(obj)) if (!known.has(k)) fail(`unknown key '${k}' (known: ${[...known].join(', ')})`);
  const strings = (key: string): string[] => {
    const v = obj[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(`'${key}' must be a list of strings`);
    return v as string[];
  };
  const bind = new Map<string, number>();
  if (obj.bind !== undefined) {
    if (typeof obj.bind !== 'object' || obj.bind === null || Array.isArray(obj.bind)) fail(`'bind' must be a mapping of names to integers`);
    for (const [k, v] of Object.entries(obj.bind as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`bind.${k} must be a positive integer`);
      bind.set(k, v as number);
    }
  }
  const rules = new Map<string, RuleSetting>();
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) fail(`'rules' must be a mapping`);
    for (const [k, v] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (v !== 'off' && v !== 'warning' && v !== 'error') fail(`rules.${k} must be off, warning or error`);
      rules.set(k, v as RuleSetting);
    }
  }
  let maxWarnings: number | undefined;
  if (obj.maxWarnings !== undefined) {
    if (typeof obj.maxWarnings !== 'number' || !Number.isInteger(obj.maxWarnings) || obj.maxWarnings < 0) fail(`'maxWarnings' must be a non-negative integer`);
    maxWarnings = obj.maxWarnings as number;
  }
  return { root: dirname(path), path, files: strings('files'), exclude: strings('exclude'), bind, rules, maxWarnings };
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
