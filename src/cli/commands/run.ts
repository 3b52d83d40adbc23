import { runGraph } from '../../interp/run.ts';
import { isTensorFileError } from '../../io/errors.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { loadNetwork } from '../frontend.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { printDiagnostics } from '../report.ts';
import { describeTensor, writeOutputs } from '../tensors.ts';

const usage = `Usage: netc run FILE --input x.safetensors|x.npy [options]

Run a network on the given inputs with the reference interpreter or the Wasm module.

Options:
  --input FILE           input tensor(s): .npy (single input) or .safetensors (by input name); repeatable
  --weights FILE         weights (.safetensors, PyTorch names)
  --weights-map FILE     rename rules for weight names (YAML)
  --random-weights SEED  seeded random weights instead of a file
  --backend interp|wasm  which engine runs the network (default interp)
  --bind N=1,...         sizes of symbolic input dimensions; those an input's shape fixes
                         need none ([N, 3, H, W] fed a [2, 3, 8, 8] array binds N=2, H=W=8)
  --entry NAME           the network to run when the file has several
  -o, --output FILE      write the outputs (.safetensors, or .npy for one output)
`;

export const command: Command = {
  summary: 'run a network on inputs (interpreter or Wasm)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, {
      input: { type: 'string', multiple: true },
      weights: { type: 'string' },
      'weights-map': { type: 'string' },
      'random-weights': { type: 'string' },
      backend: { type: 'string' },
      bind: { type: 'string' },
      entry: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    if (positionals.length !== 1) throw new UsageError('give one .net file to run');
    const backend = values.backend ?? 'interp';
    if (backend !== 'interp' && backend !== 'wasm') throw new UsageError(`unknown backend '${backend}' (use interp or wasm)`);
    const loaded = loadNetwork(io, positionals[0]!, {
      until: 'weights',
      entry: values.entry,
      bind: values.bind,
      inputs: values.input ?? [],
      weights: { weights: values.weights, weightsMap: values['weights-map'], randomWeights: values['random-weights'] },
    });
    if (typeof loaded === 'number') return loaded;
    const weights = loaded.front.weights!;
    const inputs = loaded.front.inputs!;
    let outputs: Map<string, Tensor>;
    try {
      if (backend === 'interp') {
        outputs = runGraph(loaded.graph, weights, inputs);
      } else {
        const { runWasm } = await import('../wasm-run.ts');
        outputs = await runWasm(loaded.graph, weights, inputs);
      }
    } catch (e) {
      if (isTensorFileError(e)) {
        printDiagnostics(io, [e.toDiagnostic()], 'human', () => undefined);
        return EXIT_ERRORS;
      }
      throw e;
    }
    if (values.output) writeOutputs(io, outputs, values.output);
    else for (const [name, t] of outputs) io.stdout(describeTensor(name, t) + '\n');
    return EXIT_OK;
  },
};
