import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { dumpGraph } from '../../ir/dump.ts';
import { passNames, unknownPasses } from '../../passes/pipeline.ts';
import { loadNetwork } from '../frontend.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { printDiagnostics } from '../report.ts';
import { explainBuild } from '../explain.ts';
import { createProgress } from '../progress.ts';

const usage = `Usage: netc build FILE [options]

Compile a network to a WebAssembly module with its loader (model.js) and types (model.d.ts).

Options:
  -o, --output FILE        the module to write (default: FILE with .wasm, in the working directory)
  --weights FILE           weights (.safetensors, PyTorch names); or
  --random-weights SEED    seeded random weights
  --weights-map FILE       rename rules for weight names (YAML)
  --weights-external       keep weights out of the module, in FILE.weights.bin
  --weights-dtype f32|f16  store weights as float32 (default) or float16: half the bytes,
                           expanded to float32 when loaded (relative error about 1e-4 to 1e-3)
  --relaxed-simd           also build the kernels with relaxed SIMD (fused multiply-add), run
                           by model.js where the engine supports it (the code is then twice as large)
  --threads N              build for up to N threads: model.js runs load(..., { threads }) on a
                           pool of workers over shared memory (not with --relaxed-simd or f16)
  --emit wat               also write the module as text (FILE.wat)
  --explain                say what each optimisation pass did, and the memory layout
  --passes a,b,...         run only these passes (${passNames().join(', ')})
  --no-opt                 run no optimisation pass
  --dump-ir[=after:PASS]   print the IR (after all passes, or after the named one) and stop
  --bind N=1,...           sizes of symbolic input dimensions
  --entry NAME             the network to build when the file has several
`;

/** `--dump-ir` may stand alone; parseArgs wants a value, so give it one. */
function normaliseDumpFlag(args: string[]): string[] {
  return args.map((a) => (a === '--dump-ir' ? '--dump-ir=final' : a));
}

export const command: Command = {
  summary: 'compile a network to a .wasm module, model.js loader and model.d.ts',
  usage,
  async run(rawArgs: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(normaliseDumpFlag(rawArgs), {
      output: { type: 'string', short: 'o' },
      weights: { type: 'string' },
      'random-weights': { type: 'string' },
      'weights-map': { type: 'string' },
      'weights-external': { type: 'boolean' },
      'weights-dtype': { type: 'string' },
      'relaxed-simd': { type: 'boolean' },
      threads: { type: 'string' },
      emit: { type: 'string' },
      explain: { type: 'boolean' },
      passes: { type: 'string' },
      'no-opt': { type: 'boolean' },
      'dump-ir': { type: 'string' },
      bind: { type: 'string' },
      entry: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give one .net file to build');
    if (values.emit !== undefined && values.emit !== 'wat') throw new UsageError(`--emit takes 'wat', not '${values.emit}'`);
    const dtype = values['weights-dtype'];
    if (dtype !== undefined && dtype !== 'f32' && dtype !== 'f16') throw new UsageError(`--weights-dtype takes f32 or f16, not '${dtype}'`);
    let threads: number | undefined;
    if (values.threads !== undefined) {
      threads = Number(values.threads);
      if (!/^\d+$/.test(values.threads) || threads < 1 || threads > 64) throw new UsageError(`--threads takes a whole number from 1 to 64, not '${values.threads}'`);
      if (threads > 1 && (values['relaxed-simd'] || dtype === 'f16')) throw new UsageError('--threads cannot be combined with --relaxed-simd or --weights-dtype f16 yet');
    }
    let passes: string[] | undefined;
    if (values['no-opt']) passes = [];
    if (values.passes !== undefined) {
      if (values['no-opt']) throw new UsageError('give either --passes or --no-opt');
      passes = values.passes.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = unknownPasses(passes);
      if (unknown.length) throw new UsageError(`unknown pass${unknown.length > 1 ? 'es' : ''} ${unknown.join(', ')} (passes: ${passNames().join(', ')})`);
    }
    const dump = values['dump-ir'];
    let dumpAfter: string | undefined;
    if (dump !== undefined && dump !== 'final') {
      const m = /^after:(.+)$/.exec(dump);
      if (!m || unknownPasses([m[1]!]).length) throw new UsageError(`--dump-ir takes no value or after:PASS with one of ${passNames().join(', ')}`);
      dumpAfter = m[1]!;
    }

    const started = performance.now();
    const progress = createProgress(io, 'build', 0);
    let dumped = false;
    const stageNotes = { check: 'checking', bind: 'checking', weights: 'loading weights', optimize: 'optimising' } as const;
    const loaded = loadNetwork(io, positionals[0]!, {
      until: 'optimize',
      entry: values.entry,
      bind: values.bind,
      weights: { weights: values.weights, weightsMap: values['weights-map'], randomWeights: values['random-weights'] },
      // Dumping the IR needs no real weights: shapes are all it prints.
      defaultSeed: dump !== undefined ? 0 : undefined,
      passes,
      afterPass: (name, g) => {
        progress.note(`optimising: ${name} done`);
        if (dumpAfter === name) {
          io.stdout(dumpGraph(g));
          dumped = true;
        }
      },
      onStage: (stage) => progress.note(stageNotes[stage]),
    });
    if (typeof loaded === 'number') {
      progress.done();
      return loaded;
    }
    const optimised = loaded.front.optimized!;
    if (dump !== undefined) {
      progress.done();
      if (dumpAfter === undefined) io.stdout(dumpGraph(optimised.graph));
      else if (!dumped) throw new UsageError(`pass ${dumpAfter} did not run (it is not in --passes)`);
      return EXIT_OK;
    }

    const { buildModule } = await import('../../wasm/codegen.ts');
    const { WasmBuildError } = await import('../../wasm/errors.ts');
    const { generateLoader } = await import('../../wasm/loader.ts');
    const out = resolve(io.cwd, values.output ?? basename(loaded.file).replace(/\.net$/, '') + '.wasm');
    const stem = out.replace(/\.wasm$/, '');
    let built;
    progress.note('generating code (binaryen)');
    try {
      built = await buildModule(optimised.graph, optimised.weights, { weightsExternal: values['weights-external'], emitText: values.emit === 'wat', weightsDtype: dtype, relaxedSimd: values['relaxed-simd'], threads });
    } catch (e) {
      progress.done();
      if (e instanceof WasmBuildError) {
        printDiagnostics(io, [e.diagnostic], 'human', loaded.sources);
        return EXIT_ERRORS;
      }
      throw e;
    }
    progress.done();
    const weightsFile = basename(stem) + '.weights.bin';
    const loader = generateLoader({ name: optimised.graph.name, layout: built.layout, weightsExternal: !!values['weights-external'], weightsFile });
    const written: string[] = [];
    const write = (path: string, data: string | Uint8Array) => {
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, data);
      } catch (e) {
        throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      written.push(path);
    };
    write(out, built.wasm);
    write(stem + '.js', loader.js);
    write(stem + '.d.ts', loader.dts);
    if (built.weightsBin) write(join(dirname(out), weightsFile), built.weightsBin);
    if (built.wat !== undefined) write(stem + '.wat', built.wat);
    const seconds = (performance.now() - started) / 1000;
    if (values.explain) io.stdout(explainBuild(optimised.log, optimised.graph, built, seconds));
    io.stderr(`wrote ${written.map((p) => basename(p)).join(', ')} (${(built.wasm.length / 1024).toFixed(1)} KiB module) in ${seconds.toFixed(2)} s\n`);
    return EXIT_OK;
  },
};
