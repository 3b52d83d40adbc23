/**
 * Loading a program: the entry file and everything it imports, parsed, with import cycles,
 * missing modules, unknown imported names and duplicate top-level definitions reported.
 * Name lookup across modules goes through `lookupTop`.
 */
import type { BlockDecl, ConstDecl, ImportDecl, ImportName, SourceFile } from '../syntax/ast.ts';
import { syntheticSpan, type Span } from '../diag/span.ts';
import { parseSource } from '../syntax/parse.ts';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { MAX_SOURCE_BYTES, sourceTooLarge, stdModuleNames, type SourceHost } from './host.ts';
import { LIMITS } from '../ir/limits.ts';
import { didYouMeanFix } from './suggest.ts';

export interface ImportBinding {
  local: string;
  /** Key of the module imported from (undefined when it could not be loaded). */
  from?: string;
  name: string;
  decl: ImportName;
  used: boolean;
}

export interface ModuleInfo {
  path: string;
  ast: SourceFile;
  blocks: Map<string, BlockDecl>;
  consts: Map<string, ConstDecl>;
  imports: Map<string, ImportBinding>;
}

export interface LoadedProgram {
  entry: string;
  modules: Map<string, ModuleInfo>;
  diagnostics: Diagnostic[];
}

export type TopItem =
  | { kind: 'block'; decl: BlockDecl; module: ModuleInfo }
  | { kind: 'const'; decl: ConstDecl; module: ModuleInfo };

/**
 * Parse results by file, reused while the text is unchanged: checking many files that import
 * the same library parses each library file once per process (the AST is never mutated).
 */
const parseCache = new Map<string, { text: string; result: ReturnType<typeof parseSource> }>();
const PARSE_CACHE_FILES = 512;

function parseCached(text: string, path: string): ReturnType<typeof parseSource> {
  const hit = parseCache.get(path);
  if (hit && hit.text === text) return hit.result;
  const result = parseSource(text, path);
  if (parseCache.size >= PARSE_CACHE_FILES) parseCache.delete(parseCache.keys().next().value!);
  parseCache.set(path, { text, result });
  return result;
}

/** Load `entry` and its imports, transitively. */
export function loadProgram(
  entry: string,
  host: SourceHost,
  entryText?: string,
  limits: { sourceBytes: number; importDepth: number } = { sourceBytes: MAX_SOURCE_BYTES, importDepth: LIMITS.importDepth },
): LoadedProgram {
  const maxSourceBytes = limits.sourceBytes;
  const prog: LoadedProgram = { entry, modules: new Map(), diagnostics: [] };
  const stack: string[] = [];
  const load = (path: string, text: string | undefined, from?: ImportDecl): ModuleInfo | undefined => {
    const known = prog.modules.get(path);
    if (known) return known;
    const src = text ?? host.read(path);
    if (src === undefined) {
      const span = from ? from.path.span : syntheticSpan(path);
      const written = from ? from.path.value : path;
      // A misspelt library module: the closest name the standard library has.
      const close = from && written.startsWith('std/') ? didYouMeanFix(written, stdModuleNames().map((n) => `std/${n}`), from.path.span, (c) => JSON.stringify(c)) : {};
      prog.diagnostics.push(diag('NET1004', span, { path: written }, close));
      return undefined;
    }
    if (sourceTooLarge(src, maxSourceBytes)) {
      // Not parsed: NET9008 bounds the time and memory a huge file costs.
      const span = from ? from.path.span : syntheticSpan(path);
      prog.diagnostics.push(diag('NET9008', span, { file: path, limit: maxSourceBytes }));
      return undefined;
    }
    const parsed = parseCached(src, path);
    prog.diagnostics.push(...parsed.diagnostics);
    const info = indexModule(parsed.ast, prog.diagnostics);
    prog.modules.set(path, info);
    stack.push(path);
    for (const item of parsed.ast.items) {
      if (item.kind !== 'ImportDecl') continue;
      const target = host.resolve(path, item.path.value);
      const onStack = stack.indexOf(target);
      if (onStack >= 0) {
        const cycle = [...stack.slice(onStack), target].join(' -> ');
        prog.diagnostics.push(diag('NET1003', item.path.span, { cycle }));
        continue;
      }
      if (stack.length >= limits.importDepth && !prog.modules.has(target)) {
        // Loading recurses along the chain: a limit, not a stack overflow.
        prog.diagnostics.push(diag('NET9009', item.path.span, { limit: limits.importDepth }));
        continue;
      }
      const mod = load(target, undefined, item);
      for (const n of item.names) {
        const binding = info.imports.get((n.alias ?? n.name).name);
        if (!binding || binding.decl !== n) continue;
        if (!mod) continue;
        binding.from = target;
        if (!lookupTop(prog, mod, n.name.name)) {
          const names = [...mod.blocks.keys(), ...mod.consts.keys(), ...mod.imports.keys()];
          prog.diagnostics.push(diag('NET1005', n.name.span, { path: item.path.value, name: n.name.name }, {
            ...didYouMeanFix(n.name.name, names, n.name.span),
          }));
          binding.from = undefined;
        }
      }
    }
    stack.pop();
    return info;
  };
  load(entry, entryText);
  return prog;
}

function indexModule(ast: SourceFile, diags: Diagnostic[]): ModuleInfo {
  const info: ModuleInfo = { path: ast.path, ast, blocks: new Map(), consts: new Map(), imports: new Map() };
  const seen = new Map<string, Span>();
  const define = (name: string, span: Span): boolean => {
    const first = seen.get(name);
    if (first) {
      // An import that collides with a definition is reported here, not again as unused.
      const imp = info.imports.get(name);
      if (imp) imp.used = true;
      diags.push(diag('NET1006', span, { name }, { related: [{ span: first, message: `${name} is first defined here` }] }));
      return false;
    }
    seen.set(name, span);
    return true;
  };
  for (const item of ast.items) {
    if (item.kind === 'ImportDecl') {
      for (const n of item.names) {
        const local = n.alias ?? n.name;
        if (define(local.name, local.span)) {
          info.imports.set(local.name, { local: local.name, name: n.name.name, decl: n, used: false });
        }
      }
    } else if (item.kind === 'ConstDecl') {
      if (define(item.name.name, item.name.span)) info.consts.set(item.name.name, item);
    } else if (define(item.name.name, item.name.span)) {
      info.blocks.set(item.name.name, item);
    }
  }
  return info;
}

/** A top-level block or constant visible in `mod` (defined there or imported), by name. */
export function lookupTop(prog: LoadedProgram, mod: ModuleInfo, name: string, markUsed = false): TopItem | undefined {
  // Most names are defined in the module itself: no import chain to follow.
  const own = mod.blocks.get(name);
  if (own) return { kind: 'block', decl: own, module: mod };
  const ownConst = mod.consts.get(name);
  if (ownConst) return { kind: 'const', decl: ownConst, module: mod };
  if (!mod.imports.has(name)) return undefined;
  // (module, name) pairs visited along the import chain, to stop at a cycle; chains are short.
  const seenPaths: string[] = [];
  const seenNames: string[] = [];
  const visited = (path: string, n: string): boolean => {
    for (let i = 0; i < seenPaths.length; i++) if (seenPaths[i] === path && seenNames[i] === n) return true;
    return false;
  };
  let cur: ModuleInfo | undefined = mod;
  let n = name;
  let first = true;
  while (cur && !visited(cur.path, n)) {
    seenPaths.push(cur.path);
    seenNames.push(n);
    const block = cur.blocks.get(n);
    if (block) return { kind: 'block', decl: block, module: cur };
    const c = cur.consts.get(n);
    if (c) return { kind: 'const', decl: c, module: cur };
    const imp = cur.imports.get(n);
    if (!imp || imp.from === undefined) return undefined;
    if (first && markUsed) imp.used = true;
    first = false;
    cur = prog.modules.get(imp.from);
    n = imp.name;
  }
  return undefined;
}

/** Every top-level name visible in `mod`, for suggestions. */
export function topNames(mod: ModuleInfo): string[] {
  return [...mod.blocks.keys(), ...mod.consts.keys(), ...mod.imports.keys()];
}

/** Unused imports of the modules given (the entry module, usually): warnings. */
export function unusedImports(mod: ModuleInfo): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of mod.imports.values()) {
    if (!b.used && b.from !== undefined && !b.local.startsWith('_')) {
      const span = (b.decl.alias ?? b.decl.name).span;
      out.push(diag('NET1009', span, { name: b.local }));
    }
  }
  return out;
}
