/**
 * The language server's view of the files: open documents (what the editor holds, possibly
 * unsaved) laid over the file system, as a SourceHost for the checker; URIs to paths and back;
 * and the analysis of a document (parse, check, loaded program), cached until anything changes.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckResult } from '../check/check.ts';
import { fileSystemHost, stdDirectory, type SourceHost } from '../check/host.ts';
import { loadProgram, type LoadedProgram, type ModuleInfo } from '../check/modules.ts';
import { runFrontend } from '../frontend/frontend.ts';
import { applyRules, type RuleSetting } from '../diag/rules.ts';
import { loadConfig } from '../io/config.ts';
import type { SourceFile } from '../syntax/ast.ts';

export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

/**
 * Where go-to-definition opens the standard library: its source in the package (`src/std/`,
 * beside this module's folder or, from the bundle in `dist/`, in `../src/std/`), not the copy
 * the bundle reads; the copy only when the package has no sources.
 */
export const stdSourceDirectory: string =
  [new URL('../std/', import.meta.url), new URL('../src/std/', import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((dir) => existsSync(join(dir, 'layers.net'))) ?? stdDirectory;

/** The URI of a checker path: absolute paths and `std/` keys are files; others were opened by URI. */
export function pathToUri(path: string): string {
  if (path.startsWith('std/')) return pathToFileURL(join(stdSourceDirectory, path.slice(4))).href;
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path;
}

export interface Analysis {
  path: string;
  text: string;
  /** The document's tree (from the check when it loaded, else parsed on its own). */
  ast: SourceFile;
  check: CheckResult;
  program: LoadedProgram;
  module?: ModuleInfo;
}

export class Workspace {
  private readonly open = new Map<string, string>();
  private readonly cache = new Map<string, Analysis>();

  constructor(private readonly base: SourceHost = fileSystemHost()) {}

  /** The checker's host: open documents first, then the base host (disk and the library). */
  readonly host: SourceHost = {
    read: (path) => this.open.get(path) ?? this.base.read(path),
    resolve: (from, imp) => this.base.resolve(from, imp),
  };

  setText(path: string, text: string): void {
    this.open.set(path, text);
    // Any change can affect any document that imports it: drop every cached analysis.
    this.cache.clear();
  }

  close(path: string): void {
    this.open.delete(path);
    this.cache.clear();
  }

  openPaths(): string[] {
    return [...this.open.keys()];
  }

  text(path: string): string | undefined {
    return this.host.read(path);
  }

  analyze(path: string): Analysis | undefined {
    const known = this.cache.get(path);
    if (known) return known;
    const text = this.host.read(path);
    if (text === undefined) return undefined;
    const raw = runFrontend({ file: path, host: this.host, until: 'check', allNetworks: true, hovers: true }).check!;
    // netc.yaml's rules, as `netc check` applies them: the editor shows what CI reports.
    const check = { ...raw, diagnostics: applyRules(raw.diagnostics, rulesFor(path)) };
    const program = loadProgram(path, this.host);
    const module = program.modules.get(path);
    const ast = check.files.get(path) ?? module!.ast;
    const a: Analysis = { path, text, ast, check, program, module };
    this.cache.set(path, a);
    return a;
  }
}

/**
 * The rules of the netc.yaml above a file on disk; none for a document that is not a file,
 * or when the configuration cannot be read (`netc check` reports that, the editor keeps going).
 */
function rulesFor(path: string): ReadonlyMap<string, RuleSetting> {
  if (!isAbsolute(path)) return new Map();
  try {
    return loadConfig(dirname(path)).rules;
  } catch {
    return new Map();
  }
}
