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
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read configuration: ${(e as Error).message.split('\n')[0]}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const error = doc.errors[0];
  if (error) throw new ConfigError(`${path}: cannot read configuration: ${error.message.split('\n')[0]}`);
  return parseConfig(doc.toJS() ?? {}, path, ruleKeySpans(doc, lineCounter, path));
}

/** Where each key of `rules:` is written, from the YAML parser's own source ranges. */
function ruleKeySpans(doc: Document, lineCounter: LineCounter, path: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  const rules = doc.get('rules', true);
  if (!isMap(rules)) return spans;
  for (const pair of rules.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const [from, to] = pair.key.range;
    const at = (offset: number) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col, offset };
    };
    spans.set(String(pair.key.value), { file: path, start: at(from), end: at(to) });
  }
  return spans;
}

export function parseConfig(raw: unknown, path: string, keySpans: ReadonlyMap<string, Span> = new Map()): NetcConfig {
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
      const at = keySpans.get(k);
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
