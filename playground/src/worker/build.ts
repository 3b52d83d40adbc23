/**
 * Build and run in the worker: compile() as the CLI's `netc build` does (random weights from
 * the seed, or the given tensors), then load the module through its own generated loader
 * and run it on a seeded input, timing each run.
 */
import { compile } from '../../../src/api.ts';
import type { Responses, SourceRequest } from '../protocol.ts';
import { imageOf, outputStats, seededInput, top5 } from '../stats.ts';
import { diagItems } from './diagnostics.ts';
import { givenWeights } from './front.ts';

interface LoadedModel {
  run(x: Float32Array): Float32Array;
}
interface LoaderModule {
  load(source: Uint8Array): Promise<LoadedModel>;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}

export async function buildAndRun(req: SourceRequest & { seed: number; runs: number }): Promise<Responses['build']> {
  const t0 = performance.now();
  const given = givenWeights();
  const built = await compile(req.text, { file: req.file, entry: req.entry || undefined, bindings: req.bindings, ...(given ? { weights: given.tensors } : { randomWeights: req.seed }) });
  const buildMs = performance.now() - t0;
  const sources = (p: string): string | undefined => (p === req.file ? req.text : undefined);
  const diagnostics = diagItems(built.diagnostics, req.file, sources);
  if (!built.wasm || !built.loader) return { diagnostics };
  // The loader is an ES module: imported from a blob URL, exactly the file a user downloads.
  const url = URL.createObjectURL(new Blob([built.loader], { type: 'text/javascript' }));
  let loader: LoaderModule;
  try {
    loader = (await import(url)) as LoaderModule;
  } finally {
    URL.revokeObjectURL(url);
  }
  const net = await loader.load(built.wasm);
  const input = loader.inputs[0]!;
  const x = seededInput(input.shape.reduce((a, b) => a * b, 1), req.seed);
  let y = net.run(x);
  const runMs: number[] = [];
  for (let i = 0; i < req.runs; i++) {
    const t = performance.now();
    y = net.run(x);
    runMs.push(performance.now() - t);
  }
  const out = loader.outputs[0]!;
  const data = Float32Array.from(y);
  return {
    run: {
      buildMs,
      runMs,
      outputName: out.name,
      outputShape: out.shape,
      stats: outputStats(data),
      first: Array.from(data.subarray(0, 8)),
      top5: top5(out.shape, data),
      image: imageOf(out.shape, data),
      wasmBytes: built.wasm.length,
    },
    wasm: built.wasm,
    loader: built.loader,
    dts: built.dts,
    diagnostics,
  };
}
