import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportSymbolic, symbolicNetwork } from '../export-symbolic.ts';
import { loadNetwork, loadWeights } from '../frontend.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { printDiagnostics } from '../report.ts';

const usage = `Usage: netc export FILE -o MODEL.onnx [options]

Write a network and its weights as an ONNX model (opset 17 by default), with the
hierarchical instance names as node and initializer names. Input sizes left symbolic (not
given with --bind) are written as dim_param, as are the sizes computed from them.

Options:
  -o, --output FILE        the .onnx file (required)
  --weights FILE           weights (.safetensors); or
  --random-weights SEED    seeded random weights
  --weights-map FILE       rename rules for weight names (YAML)
  --opset N                ONNX opset, 11 to 21 (default 17)
  --bind N=1,...           sizes of symbolic input dimensions (the others stay dim_param)
  --entry NAME             the network when the file has several
`;

export const command: Command = {
  summary: 'export a network and its weights as an ONNX model',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, {
      output: { type: 'string', short: 'o' },
      weights: { type: 'string' },
      'random-weights': { type: 'string' },
      'weights-map': { type: 'string' },
      opset: { type: 'string' },
      bind: { type: 'string' },
      entry: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give one .net file to export');
    if (!values.output) throw new UsageError('give the output file: -o model.onnx');
    const opset = values.opset === undefined ? undefined : Number(values.opset);
    if (opset !== undefined && !Number.isInteger(opset)) throw new UsageError(`--opset takes an integer, not '${values.opset}'`);
    const weightOptions = { weights: values.weights, weightsMap: values['weights-map'], randomWeights: values['random-weights'] };
    const { exportOnnx } = await import('../../io/onnx/export.ts');
    const { isOnnxError } = await import('../../io/onnx/errors.ts');
    // Input sizes left symbolic are written as dim_param.
    const symbolic = symbolicNetwork(io.cwd, positionals[0]!, { entry: values.entry, bind: values.bind });
    const loaded = symbolic
      ? { graph: symbolic.graphs[0], sources: () => undefined }
      : loadNetwork(io, positionals[0]!, { entry: values.entry, bind: values.bind });
    if (typeof loaded === 'number') return loaded;
    const weights = loadWeights(io, loaded.graph, weightOptions);
    if (typeof weights === 'number') return weights;
    let bytes: Uint8Array;
    try {
      if (symbolic) {
        const { onnx } = await import('../../io/onnx/proto.ts');
        const r = exportSymbolic(symbolic, weights, exportOnnx, (b) => onnx.ModelProto.decode(b), opset);
        if ('diagnostic' in r) {
          printDiagnostics(io, [r.diagnostic], 'human', loaded.sources);
          return EXIT_ERRORS;
        }
        bytes = r.bytes;
      } else {
        bytes = exportOnnx(loaded.graph, weights, { opset });
      }
    } catch (e) {
      if (isOnnxError(e)) {
        printDiagnostics(io, [e.diagnostic], 'human', loaded.sources);
        return EXIT_ERRORS;
      }
      throw e;
    }
    try {
      writeFileSync(resolve(io.cwd, values.output), bytes);
    } catch (e) {
      throw new UsageError(`cannot write ${values.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.stderr(`wrote ${values.output} (${(bytes.length / 1024).toFixed(1)} KiB, ${loaded.graph.nodes.length} nodes)\n`);
    return EXIT_OK;
  },
};
