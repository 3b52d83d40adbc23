import { runGraph } from '../../interp/run.ts';
import { relativeL2, type Tensor } from '../../ir/tensor.ts';
import { loadNetwork } from '../frontend.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { loadWasmModel, runLoaded } from '../wasm-run.ts';

const usage = `Usage: netc verify FILE [options]

Build the Wasm module and check it against the reference interpreter (running the graph as
written, before optimisation) on fresh random inputs. Prints the relative L2 error of every
output; exits 1 when one is over the tolerance (or not finite).

Options:
  --weights FILE           weights (.safetensors); default: --random-weights 0
  --weights-map FILE       rename rules for weight names (YAML)
  --random-weights SEED    seeded random weights
  --runs N                 how many random inputs (default 2)
  --input FILE             compare on this input instead (.npy, or .safetensors by input name;
                           repeatable); its shape binds the dimension symbols it fixes
  --seed N                 seed of the random inputs (default 1)
  --tolerance X            largest relative L2 error accepted (default 1e-5)
  --bind N=1,...           sizes of symbolic input dimensions
  --entry NAME             the network when the file has several
`;

/** Inputs uniform in [-1, 1) from a small seeded generator (xorshift32). */
function randomInputs(shapes: { name: string; shape: number[] }[], seed: number): Map<string, Tensor> {
  let s = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const out = new Map<string, Tensor>();
  for (const { name, shape } of shapes) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = next() * 2 - 1;
    out.set(name, { shape, data });
  }
  return out;
}

export const command: Command = {
  summary: 'check the Wasm module against the interpreter on random inputs',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, {
      weights: { type: 'string' },
      'weights-map': { type: 'string' },
      'random-weights': { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      tolerance: { type: 'string' },
      bind: { type: 'string' },
      input: { type: 'string', multiple: true },
      entry: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give one .net file to verify');
    const runs = Number(values.runs ?? 2);
    const seed = Number(values.seed ?? 1);
    const tolerance = Number(values.tolerance ?? 1e-5);
    if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new UsageError('--runs takes an integer from 1 to 1000');
    if (!Number.isInteger(seed)) throw new UsageError('--seed takes an integer');
    if (!(tolerance > 0)) throw new UsageError('--tolerance takes a positive number');
    const loaded = loadNetwork(io, positionals[0]!, {
      until: 'optimize',
      entry: values.entry,
      bind: values.bind,
      inputs: values.input,
      weights: { weights: values.weights, weightsMap: values['weights-map'], randomWeights: values['random-weights'] },
      defaultSeed: 0,
    });
    if (typeof loaded === 'number') return loaded;
    const { graph, front } = loaded;
    const weights = front.weights!;
    const optimised = front.optimized!;
    const model = await loadWasmModel(optimised.graph, optimised.weights);
    let worst = 0;
    const shapes = graph.inputs.map((io) => ({ name: io.name, shape: [...graph.values[io.value]!.shape] }));
    const given = front.inputs;
    for (let r = 0; r < (given ? 1 : runs); r++) {
      const inputs = given ?? randomInputs(shapes, seed + r);
      const ref = runGraph(graph, weights, inputs);
      const got = runLoaded(model, optimised.graph, inputs);
      for (const [name, t] of ref) {
        const err = relativeL2(got.get(name)!.data, t.data);
        worst = Number.isNaN(err) || !Number.isFinite(err) ? Infinity : Math.max(worst, err);
        io.stdout(`run ${r + 1}: ${name} [${t.shape.join(', ')}] relative L2 ${Number.isFinite(err) ? err.toExponential(2) : String(err)}\n`);
      }
    }
    const ok = worst <= tolerance;
    io.stdout(`${ok ? 'ok' : 'FAILED'}: worst relative L2 ${Number.isFinite(worst) ? worst.toExponential(2) : 'not finite'} (tolerance ${tolerance.toExponential(0)})\n`);
    return ok ? EXIT_OK : EXIT_ERRORS;
  },
};
