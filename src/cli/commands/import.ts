import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { writeSafetensors } from '../../io/safetensors.ts';
import { readBytes } from '../read.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { countBySeverity, printDiagnostics } from '../report.ts';

const usage = `Usage: netc import MODEL.onnx [options]

Turn an ONNX model into a readable .net file and its weights (safetensors, with the names
the .net file gives them). Nothing is written when the model uses an unsupported operator:
one diagnostic lists every such operator with its node names.

Options:
  -o, --output FILE      the .net file (default: MODEL.net in the working directory)
  --weights-out FILE     the weights (default: the .net file with .safetensors)
`;

export const command: Command = {
  summary: 'import an ONNX model as a .net file and safetensors weights',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, { output: { type: 'string', short: 'o' }, 'weights-out': { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('give one .onnx file to import');
    const src = resolve(io.cwd, positionals[0]!);
    const bytes = readBytes(src, positionals[0]!);
    const { importOnnx } = await import('../../io/onnx/import.ts');
    const readExternal = (location: string): Uint8Array | undefined => {
      const p = resolve(dirname(src), location);
      // External data must stay beside the model: no reaching out of its folder.
      if (!p.startsWith(dirname(src)) || !existsSync(p)) return undefined;
      return new Uint8Array(readFileSync(p));
    };
    const result = importOnnx(bytes, { file: positionals[0]!, readExternal });
    if (result.diagnostics.length) printDiagnostics(io, result.diagnostics, 'human', () => undefined);
    if (countBySeverity(result.diagnostics).errors > 0 || !result.source || !result.weights) return EXIT_ERRORS;
    const out = resolve(io.cwd, values.output ?? basename(src).replace(/\.onnx$/i, '') + '.net');
    const weightsOut = resolve(io.cwd, values['weights-out'] ?? out.replace(/\.net$/, '') + '.safetensors');
    try {
      writeFileSync(out, result.source);
      writeFileSync(weightsOut, writeSafetensors(result.weights));
    } catch (e) {
      throw new UsageError(`cannot write: ${(e as Error).message}`);
    }
    io.stderr(`wrote ${basename(out)} (${result.graph!.nodes.length} layers) and ${basename(weightsOut)} (${result.weights.size} tensors)\n`);
    return EXIT_OK;
  },
};
