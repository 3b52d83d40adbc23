import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { requireFileKind } from '../../io/file-kind.ts';
import { writeSafetensors } from '../../io/safetensors.ts';
import { parseBindings } from '../config.ts';
import { readFileBytes } from '../files.ts';
import { externalDataReader } from '../onnx-input.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { countBySeverity, printDiagnostics } from '../report.ts';

const usage = `Usage: netc import MODEL.onnx [options]

Turn an ONNX model into a readable .net file and its weights (safetensors, with the names
the .net file gives them: the model's own, such as PyTorch state_dict keys). Where a name
cannot be spelled in the language, the .net file uses another and a weight map
(MODEL.weights.yaml) renames the model's names to it. Nothing is written when the model
uses an unsupported operator: one diagnostic lists every such operator with its node names.

Options:
  -o, --output FILE      the .net file (default: MODEL.net in the working directory)
  --weights-out FILE     the weights (default: the .net file with .safetensors)
  --bind N=1,...         fix symbolic input sizes (an open or dim_param axis is the
                         network's dimension symbol, named after its dim_param)
`;

/** A weight map (see io/weightsMap.ts) from the model's weight names to the .net file's. */
function weightMapText(map: { from: string; to: string }[], model: string): string {
  const rules = map.map((r) => `  - { from: ${JSON.stringify(r.from)}, to: ${JSON.stringify(r.to)} }`);
  return [`# Weights of ${model} whose names no .net label can spell, renamed to the names the .net file gives them.`, 'rename:', ...rules, ''].join('\n');
}

export const command: Command = {
  summary: 'import an ONNX model as a .net file and safetensors weights',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, { output: { type: 'string', short: 'o' }, 'weights-out': { type: 'string' }, bind: { type: 'string' } });
    const bindings = values.bind ? parseBindings(values.bind) : new Map<string, number>();
    if (positionals.length !== 1) throw new UsageError('give one .onnx file to import');
    const src = resolve(io.cwd, positionals[0]!);
    const bytes = readFileBytes(src, positionals[0]!);
    requireFileKind(bytes, positionals[0]!, ['onnx'], 'an ONNX model');
    const { importOnnx } = await import('../../io/onnx/import.ts');
    // External data must stay beside the model: no reaching out of its folder.
    const result = importOnnx(bytes, { file: positionals[0]!, readExternal: externalDataReader(src), bindings });
    const unknown = [...bindings.keys()].filter((k) => result.symbols && !result.symbols.includes(k));
    if (unknown.length > 0) {
      const has = result.symbols!.length > 0 ? `its symbolic sizes are ${result.symbols!.join(', ')}` : 'all its input sizes are fixed';
      throw new UsageError(`--bind ${unknown.join(', ')}: the model has no such symbolic size (${has})`);
    }
    if (result.diagnostics.length) printDiagnostics(io, result.diagnostics, 'human', () => undefined);
    if (countBySeverity(result.diagnostics).errors > 0 || !result.weights) return EXIT_ERRORS;
    const out = resolve(io.cwd, values.output ?? basename(src).replace(/\.onnx$/i, '') + '.net');
    const base = out.replace(/\.net$/, '');
    const weightsOut = resolve(io.cwd, values['weights-out'] ?? `${base}.safetensors`);
    const map = result.weightMap ?? [];
    const mapOut = `${base}.weights.yaml`;
    const wrote: string[] = [];
    try {
      // Without source (NET5013, a warning) the weights are still written: the import worked.
      if (result.source) {
        writeFileSync(out, result.source);
        wrote.push(`${basename(out)} (${result.graph!.nodes.length} layers)`);
      }
      writeFileSync(weightsOut, writeSafetensors(result.weights));
      wrote.push(`${basename(weightsOut)} (${result.weights.size} tensors)`);
      if (map.length > 0) {
        writeFileSync(mapOut, weightMapText(map, basename(src)));
        wrote.push(`${basename(mapOut)} (the model's names of ${map.length} weights; --weights-map loads the model's own weights)`);
      }
    } catch (e) {
      throw new UsageError(`cannot write: ${(e as Error).message}`);
    }
    io.stderr(`wrote ${wrote.join(', ')}\n`);
    return EXIT_OK;
  },
};
