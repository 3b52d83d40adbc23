/**
 * `netc.yaml`: project configuration, read by every command that checks and by the language
 * server, found by walking up from the working directory.
 *
 *   files: ["models/**\/*.net"]      # what `netc check` with no operands checks
 *   exclude: ["models/old/**"]
 *   bind: { N: 1, H: 224, W: 224 }   # dimension bindings, as --bind
 *   rules: { unused-value: off, shadowing: error }   # warnings and notes: off, or another severity
 *   maxWarnings: 0
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RuleSetting } from '../diag/rules.ts';
import type { Span } from '../diag/span.ts';

export type { RuleSetting } from '../diag/rules.ts';

/** netc.yaml cannot be read or says something it may not; the message names the file. */
export class ConfigError extends Error {}

export interface NetcConfig {
  /** Directory holding netc.yaml; relative paths in it are relative to this. */
  root: string;
  path?: string;
  files: string[];
  exclude: string[];
  bind: Map<string, number>;
  rules: Map<string, RuleSetting>;
  /** Where each rule is written in the file, for diagnostics about it. */
  ruleSpans: Map<string, Span>;
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
  const empty: NetcConfig = { root: cwd, files: [], exclude: [], bind: new Map(), rules: new Map(), ruleSpans: new Map() };
  if (!path) return empty;
  let raw: unknown;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${path}: cannot read configuration: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseConfig(raw ?? {}, path, text);
}

/** Where `key:` is first written after the `rules` key (YAML block or flow style). */
function keySpan(text: string, key: string, path: string): Span | undefined {
  const from = text.search(/^rules\s*:/m);
  if (from < 0) return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[\\s{,])(["']?)${escaped}\\2\\s*:`, 'm').exec(text.slice(from));
  if (!m) return undefined;
  const offset = from + m.index + m[1]!.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const start = { line, column, offset };
  const end = { line, column: column + key.length + m[2]!.length * 2, offset: offset + key.length + m[2]!.length * 2 };
  return { file: path, start, end };
}

export function parseConfig(raw: unknown, path: string, text = ''): NetcConfig {
  const fail = (msg: string): never => {
    throw new ConfigError(`${path}: ${msg}`);
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
  const ruleSpans = new Map<string, Span>();
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) fail(`'rules' must be a mapping`);
    for (const [k, v] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (v !== 'off' && v !== 'warning' && v !== 'error') fail(`rules.${k} must be off, warning or error`);
      rules.set(k, v as RuleSetting);
      const at = keySpan(text, k, path);
      if (at) ruleSpans.set(k, at);
    }
  }
  let maxWarnings: number | undefined;
  if (obj.maxWarnings !== undefined) {
    if (typeof obj.maxWarnings !== 'number' || !Number.isInteger(obj.maxWarnings) || obj.maxWarnings < 0) fail(`'maxWarnings' must be a non-negative integer`);
    maxWarnings = obj.maxWarnings as number;
  }
  return { root: dirname(path), path, files: strings('files'), exclude: strings('exclude'), bind, rules, ruleSpans, maxWarnings };
}
