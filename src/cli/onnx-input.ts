/**
 * An ONNX model named where a `.net` file is expected (`netc summary`, `netc graph`): imported
 * in memory, as `netc import` would, without writing anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Graph, WeightStore } from '../ir/graph.ts';
import { sniffFileKind } from '../io/file-kind.ts';
import { readFileBytes, readFileHead } from './files.ts';
import { EXIT_ERRORS, type CliIO } from './io.ts';
import { countBySeverity, printDiagnostics } from './report.ts';

export interface ImportedModel {
  graph: Graph<number>;
  weights: WeightStore;
  /** The model as `.net` source, when the language can say it. */
  source?: string;
}

/** Whether the file at `path` is an ONNX model, by its first bytes. */
export function isOnnxFile(path: string, shown: string): boolean {
  return sniffFileKind(readFileHead(path, shown)) === 'onnx';
}

/** Reads external tensor data kept beside the model, never outside its folder. */
export function externalDataReader(model: string): (location: string) => Uint8Array | undefined {
  return (location) => {
    const p = resolve(dirname(model), location);
    if (!p.startsWith(dirname(model)) || !existsSync(p)) return undefined;
    return new Uint8Array(readFileSync(p));
  };
}

/** The imported model, or an exit code after printing why it could not be imported. */
export async function importInMemory(io: CliIO, path: string, shown: string): Promise<ImportedModel | number> {
  const bytes = readFileBytes(path, shown);
  const { importOnnx } = await import('../io/onnx/import.ts');
  const result = importOnnx(bytes, { file: shown, readExternal: externalDataReader(path) });
  if (result.diagnostics.length) printDiagnostics(io, result.diagnostics, 'human', () => undefined);
  if (countBySeverity(result.diagnostics).errors > 0 || !result.graph || !result.weights) return EXIT_ERRORS;
  return { graph: result.graph, weights: result.weights, ...(result.source !== undefined ? { source: result.source } : {}) };
}
