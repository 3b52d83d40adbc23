import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportSymbolic, symbolicNetwork } from '../export-symbolic.ts';
import { loadNetwork } from '../frontend.ts';
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
  --input FILE             an input tensor (.npy, or .safetensors by input name; repeatable)
                           whose shape binds the dimension symbols it fixes, as --bind would
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
      input: { type: 'string', multiple: true },
      entry: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give one .net file to export');
    if (!values.output) throw new UsageError('give the output file: -o model.onnx');
    const opset = values.opset === undefined ? undefined : Number(values.opset);
    if (opset !== undefined && !Number.isInteger(opset)) throw new UsageError(`--opset takes an integer, not '${values.opset}'`);
    const { exportOnnx } = await import('../../io/onnx/export.ts');
    const { isOnnxError } = await import('../../io/onnx/errors.ts');
    // Input sizes left symbolic (no --bind, no --input fixing them) are written as dim_param;
    // the weights are bound on the network at the first trial size.
    const symbolic = values.input ? undefined : symbolicNetwork(io.cwd, positionals[0]!, { entry: values.entry, bind: values.bind });
    const trial = symbolic ? [...symbolic.firstSizes].map(([k, v]) => `${k}=${v}`) : [];
    const loaded = loadNetwork(io, positionals[0]!, {
      until: 'weights',
      entry: values.entry,
      bind: [values.bind, ...trial].filter(Boolean).join(',') || undefined,
      inputs: values.input,
      weights: { weights: values.weights, weightsMap: values['weights-map'], randomWeights: values['random-weights'] },
    });
    if (typeof loaded === 'number') return loaded;
    const weights = loaded.front.weights!;
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
