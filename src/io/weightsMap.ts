/**
 * Binding a weight file to a network: rename the file's tensors with an optional name map,
 * then match them against the parameters the network expects, collecting every missing,
 * unused and misshaped tensor at once (so one run reports all of them).
 *
 * The name map is YAML:
 *
 *   rename:
 *     - from: conv0._conv.weight        # exact name
 *       to: conv0.conv.weight
 *     - pattern: "^main\\.(\\d+)\\."      # regular expression, replaced where it matches
 *       to: "gen.$1."                   # $1.. are the pattern's groups
 *   ignore:
 *     - "num_batches_tracked$"          # file tensors to drop without a warning
 *
 * Each file tensor is renamed by the first rule that matches it (rules do not chain); a
 * tensor no rule matches keeps its name.
 */
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import type { ParamRef, WeightStore } from '../ir/graph.ts';
import { shapeToString, type Tensor } from '../ir/tensor.ts';
import { syntheticSpan, type Span } from '../diag/span.ts';
import { TensorFileError } from './errors.ts';

export type RenameRule = { from: string; to: string } | { pattern: RegExp; to: string };

export interface WeightMap {
  rename: RenameRule[];
  /** File tensors matching any of these are dropped before binding. */
  ignore: RegExp[];
}

export interface WeightProblems {
  /** Expected by the network, absent from the file. */
  missing: { name: string; shape: number[] }[];
  /** In the file (after renaming), used by no parameter; `fileName` is the name in the file. */
  unexpected: { name: string; fileName: string; shape: number[] }[];
  /** Present with another shape. */
  misshaped: { name: string; expected: number[]; got: number[] }[];
}

export interface BoundWeights {
  weights: WeightStore;
  problems: WeightProblems;
}

/** Parse and validate a YAML name map; `source` names it in errors (NET3020). */
export function parseWeightMap(text: string, source: string): WeightMap {
  const fail = (detail: string): never => {
    throw new TensorFileError('NET3020', { file: source, detail });
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    fail(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { rename: [], ignore: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) fail('expected a mapping with `rename:` and/or `ignore:`');
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top)) if (key !== 'rename' && key !== 'ignore') fail(`unknown key ${key} (expected rename, ignore)`);

  const regex = (src: unknown, where: string): RegExp => {
    if (typeof src !== 'string') return fail(`${where}: pattern must be a string`);
    try {
      return new RegExp(src);
    } catch {
      return fail(`${where}: pattern ${src} is not a valid regular expression`);
    }
  };
  const rename: RenameRule[] = [];
  const rules = top['rename'] ?? [];
  if (!Array.isArray(rules)) fail('rename must be a list of rules');
  (rules as unknown[]).forEach((raw, i) => {
    const where = `rule ${i + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${where}: expected { from, to } or { pattern, to }`);
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!['from', 'pattern', 'to'].includes(key)) fail(`${where}: unknown key ${key}`);
    if (typeof r['to'] !== 'string') fail(`${where}: needs a string \`to\``);
    const to = r['to'] as string;
    if ((r['from'] === undefined) === (r['pattern'] === undefined)) fail(`${where}: needs exactly one of \`from\` and \`pattern\``);
    if (r['from'] !== undefined) {
      if (typeof r['from'] !== 'string') fail(`${where}: \`from\` must be a string`);
      rename.push({ from: r['from'] as string, to });
    } else {
      rename.push({ pattern: regex(r['pattern'], where), to });
    }
  });
  const ignoreRaw = top['ignore'] ?? [];
  if (!Array.isArray(ignoreRaw)) fail('ignore must be a list of patterns');
  const ignore = (ignoreRaw as unknown[]).map((p, i) => regex(p, `ignore ${i + 1}`));
  return { rename, ignore };
}

/** The network name of a file tensor under `map`. */
export function renameTensor(name: string, map: WeightMap | undefined): string {
  for (const rule of map?.rename ?? []) {
    if ('from' in rule) {
      if (rule.from === name) return rule.to;
    } else if (rule.pattern.test(name)) {
      return name.replace(rule.pattern, rule.to);
    }
  }
  return name;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Match file tensors to the expected parameters. Only correctly shaped tensors enter the
 * store; every problem is listed. Two file tensors renamed to one name is an error of the
 * map (NET3020), thrown, since no binding can be right.
 */
export function bindWeights(
  expected: ParamRef[],
  file: Map<string, Tensor>,
  map?: WeightMap,
  mapSource = 'weight name map',
): BoundWeights {
  const byName = new Map<string, { fileName: string; tensor: Tensor }>();
  for (const [fileName, tensor] of file) {
    if (map?.ignore.some((r) => r.test(fileName))) continue;
    const name = renameTensor(fileName, map);
    const clash = byName.get(name);
    if (clash) {
      throw new TensorFileError('NET3020', { file: mapSource, detail: `tensors ${clash.fileName} and ${fileName} are both renamed to ${name}` });
    }
    byName.set(name, { fileName, tensor });
  }
  const weights: WeightStore = new Map();
  const problems: WeightProblems = { missing: [], unexpected: [], misshaped: [] };
  const used = new Set<string>();
  for (const p of expected) {
    if (used.has(p.name)) continue;
    used.add(p.name);
    const found = byName.get(p.name);
    if (!found) problems.missing.push({ name: p.name, shape: [...p.shape] });
    else if (!sameShape(found.tensor.shape, p.shape)) problems.misshaped.push({ name: p.name, expected: [...p.shape], got: [...found.tensor.shape] });
    else weights.set(p.name, found.tensor);
  }
  for (const [name, { fileName, tensor }] of byName) {
    if (!used.has(name)) problems.unexpected.push({ name, fileName, shape: [...tensor.shape] });
  }
  return { weights, problems };
}

export function hasWeightErrors(problems: WeightProblems): boolean {
  return problems.missing.length > 0 || problems.misshaped.length > 0;
}

/**
 * The problems as diagnostics: NET3001 missing and NET3003 misshaped (errors), NET3002
 * unused (warning). `file` names the weight file; the span defaults to it.
 */
export function weightProblemDiagnostics(problems: WeightProblems, file: string, span: Span = syntheticSpan(file)): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of problems.missing) out.push(diag('NET3001', span, { name: m.name, shape: shapeToString(m.shape), file }));
  for (const m of problems.misshaped) {
    out.push(diag('NET3003', span, { name: m.name, got: shapeToString(m.got), expected: shapeToString(m.expected), file }));
  }
  for (const u of problems.unexpected) {
    const name = u.name === u.fileName ? u.name : `${u.fileName} (renamed ${u.name})`;
    out.push(diag('NET3002', span, { name, shape: shapeToString(u.shape), file }));
  }
  return out;
}
