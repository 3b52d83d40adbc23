/**
 * The check stage: load the program, resolve names, instantiate networks into graphs with
 * symbolic shapes, and collect diagnostics, shape requirements and hover information.
 *
 *   checkProgram(entryFile, host, options) -> CheckResult
 *   checkSource(text, file, options)       -> CheckResult (in-memory, for tests and the LSP)
 */
import type { BlockDecl, SourceFile } from '../syntax/ast.ts';
import { syntheticSpan } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import type { Graph } from '../ir/graph.ts';
import type { Dim } from '../ir/dim/dim.ts';
import { Elab, type HoverInfo } from './context.ts';
import { memoryHost, type SourceHost } from './host.ts';
import { loadProgram, unusedImports, type LoadedProgram, type ModuleInfo } from './modules.ts';
import { resolveProgram } from './resolve.ts';
import { instantiateNetwork } from './network.ts';
import { RequirementCollector, bindingViolations, requirementNotes, type ShapeRequirement } from './requirements.ts';
import { didYouMean } from './suggest.ts';
import { relocateToFile } from './relocate.ts';
import { damagedStatements, withoutDamaged } from './damaged.ts';
import { limitsWith, type AdjustableLimits } from '../ir/limits.ts';

export type { HoverInfo } from './context.ts';
export type { ShapeRequirement } from './requirements.ts';
export type { SourceHost } from './host.ts';

export interface CheckOptions {
  /** Sizes of dimension symbols of the network inputs (`--bind N=1,H=224`). */
  bindings?: ReadonlyMap<string, number>;
  /** The network to check; without it every network of the entry file is checked. */
  entry?: string;
  /**
   * `build` needs exactly one network: without `entry`, a file with no network (NET1026)
   * or several (NET1027) is an error. `check` (the default) accepts both.
   */
  requireEntry?: boolean;
  /** Lower limits on instantiation (defaults in limits.ts). */
  limits?: AdjustableLimits;
  /**
   * Collect hover information (`CheckResult.hovers`; the default). The command line, which
   * shows none, turns it off: the result's `hovers` is then empty.
   */
  hovers?: boolean;
}

export interface CheckResult {
  /** Every error, warning and note, deduplicated, in a stable order. */
  diagnostics: Diagnostic[];
  /** One graph per network checked (a network stopped by a limit has none). */
  graphs: Graph<Dim>[];
  /** Requirements on input sizes ("H must be divisible by 16"), per network. */
  requirements: ShapeRequirement[];
  /** Parsed files by path, the entry first. */
  files: Map<string, SourceFile>;
  /** Shapes of named values and pipeline stages, for hover (empty with `hovers: false`). */
  hovers: HoverInfo[];
}

/**
 * Check with the bindings given. When that fails but the program checks clean with free
 * sizes, the bound sizes break a requirement of the network ("D must be divisible by 8"):
 * that is the one error reported, with the sizes that would work, instead of what the
 * broken requirement does deep inside (a fraction in an annotation, a concat mismatch).
 */
export function checkProgram(entryFile: string, host: SourceHost, options: CheckOptions = {}): CheckResult {
  const bound = checkOnce(entryFile, host, options);
  const bindings = options.bindings;
  if (!bindings || bindings.size === 0 || !bound.diagnostics.some((d) => d.severity === 'error')) return bound;
  const free = checkOnce(entryFile, host, { ...options, bindings: new Map() });
  if (free.diagnostics.some((d) => d.severity === 'error')) return bound;
  const violations = bindingViolations(free.requirements, bindings, entryFile);
  if (violations.length === 0) return bound;
  // Warnings of the bound check (an unused binding) stay; its errors are the violations' effects.
  const kept = bound.diagnostics.filter((d) => d.severity === 'warning' && d.code === 'NET1037');
  // The requirement notes are the violations' subject: each broken one is now an error.
  const rest = free.diagnostics.filter((d) => d.code !== 'NET2104');
  return finish({ ...free, diagnostics: [...rest, ...kept, ...violations] });
}

function checkOnce(entryFile: string, host: SourceHost, options: CheckOptions): CheckResult {
  const prog = loadProgram(entryFile, host, undefined, limitsWith(options.limits));
  const diagnostics: Diagnostic[] = [...prog.diagnostics];
  const files = new Map<string, SourceFile>();
  for (const [path, m] of prog.modules) files.set(path, m.ast);
  const result: CheckResult = { diagnostics, graphs: [], requirements: [], files, hovers: [] };
  const entry = prog.modules.get(entryFile);
  if (!entry) return finish(result);
  diagnostics.push(...resolveProgram(prog));
  const damaged = damagedStatements(prog);
  const networks = chooseNetworks(entry, options, diagnostics);
  const bindings = options.bindings ?? new Map<string, number>();
  const usedBindings = new Set<string>();
  for (const net of networks) {
    const reqs = new RequirementCollector();
    reqs.startNetwork(net.name.name);
    const elab = new Elab(prog, net.name.name, diagnostics, reqs, options.hovers === false ? undefined : result.hovers, bindings, limitsWith(options.limits));
    elab.damaged = damaged;
    const graph = instantiateNetwork(net, entry, elab);
    if (graph) result.graphs.push(graph);
    const r = reqs.result();
    result.requirements.push(...r);
    diagnostics.push(...requirementNotes(r));
    for (const b of elab.usedBindings) usedBindings.add(b);
  }
  if (networks.length > 0) {
    for (const name of bindings.keys()) {
      if (!usedBindings.has(name)) {
        diagnostics.push(diag('NET1037', syntheticSpan('<command line>'), { name, network: networks.map((n) => n.name.name).join(', ') }));
      }
    }
  }
  for (const m of prog.modules.values()) diagnostics.push(...unusedImports(m));
  result.diagnostics = withoutDamaged(relocateToFile(withoutDamaged(diagnostics, damaged), entryFile, (f) => host.read(f)), damaged);
  return finish(result);
}

function chooseNetworks(entry: ModuleInfo, options: CheckOptions, diagnostics: Diagnostic[]): BlockDecl[] {
  const all = [...entry.blocks.values()].filter((b) => b.isNetwork);
  if (options.entry !== undefined) {
    const net = all.find((b) => b.name.name === options.entry);
    if (!net) {
      diagnostics.push(diag('NET1028', syntheticSpan(entry.path), { file: entry.path, name: options.entry }, {
        help: didYouMean(options.entry, all.map((b) => b.name.name)) ?? (all.length > 0 ? `its networks are ${all.map((b) => b.name.name).join(', ')}` : undefined),
      }));
      return [];
    }
    return [net];
  }
  if (options.requireEntry) {
    if (all.length === 0) {
      diagnostics.push(diag('NET1026', syntheticSpan(entry.path), { file: entry.path }));
      return [];
    }
    if (all.length > 1) {
      diagnostics.push(diag('NET1027', all[1]!.name.span, { file: entry.path, names: all.map((b) => b.name.name).join(', ') }));
      return [];
    }
  }
  return all;
}

/** Deduplicate (a block instantiated twice reports its argument errors once) and sort. */
function finish(result: CheckResult): CheckResult {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of result.diagnostics) {
    const key = `${d.code}|${d.span.file}|${d.span.start.offset}|${d.span.end.offset}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : d.severity === 'warning' ? 1 : 2);
  out.sort((a, b) =>
    (a.span.file === b.span.file ? 0 : a.span.file < b.span.file ? -1 : 1)
    || a.span.start.offset - b.span.start.offset
    || rank(a) - rank(b)
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  result.diagnostics = out;
  return result;
}

/** Check source text held in memory; `files` adds other in-memory files it may import. */
export function checkSource(text: string, file: string, options: CheckOptions & { files?: Record<string, string> } = {}): CheckResult {
  const host = memoryHost({ ...(options.files ?? {}), [file]: text });
  return checkProgram(file, host, options);
}

export type { LoadedProgram };
