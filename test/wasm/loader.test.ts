/**
 * The generated loader, as a user gets it: model.wasm + model.js (+ model.weights.bin) written
 * to a temporary directory, imported with a dynamic import, loaded from a path, a file: URL
 * and bytes, run, and checked against the interpreter; plus its input validation errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { runGraph } from '../../src/interp/run.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { randomTensor, relL2, rng } from './harness.ts';

const NET = `
network TwoHeads {
  in image: f32[1, 3, 12, 12]
  in scale: f32[1, 6, 1, 1]
  f = image |> c1: conv(6, k=3, pad=1) |> relu
  g = mul(f, scale)
  out heat = g |> c2: conv(2, k=1) |> sigmoid
  out pooled = g |> adaptive_avgpool(1) |> flatten
}
network One {
  in x: f32[1, 2, 8, 8]
  out y = x |> c: conv(3, k=3, pad=1) |> tanh
}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface LoadedModel {
  run(x: unknown): Float32Array | Record<string, Float32Array>;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}
type LoaderModule = { load(source: unknown, options?: unknown): Promise<LoadedModel>; inputs: unknown };

async function emit(entry: string, weightsExternal: boolean): Promise<{ dir: string; mod: LoaderModule; result: Awaited<ReturnType<typeof compile>> }> {
  const result = await compile(NET, { file: 'heads.net', entry, randomWeights: 5, weightsExternal });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'netc-loader-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.wasm'), result.wasm!);
  writeFileSync(join(dir, 'model.js'), result.loader!);
  writeFileSync(join(dir, 'model.d.ts'), result.dts!);
  if (result.weightsBin) writeFileSync(join(dir, 'model.weights.bin'), result.weightsBin);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'model.js')).href)) as LoaderModule;
  return { dir, mod, result };
}

describe('generated loader', () => {
  test('two inputs, two outputs, external weights, loaded from a path', async () => {
    const { dir, mod, result } = await emit('TwoHeads', true);
    const model = await mod.load(join(dir, 'model.wasm'));
    expect(model.inputs).toEqual([{ name: 'image', shape: [1, 3, 12, 12] }, { name: 'scale', shape: [1, 6, 1, 1] }]);
    const next = rng(3);
    const image = randomTensor([1, 3, 12, 12], next);
    const scale = randomTensor([1, 6, 1, 1], next);
    const out = model.run({ image: image.data, scale: { data: scale.data, shape: [1, 6, 1, 1] } }) as Record<string, Float32Array>;
    const graph = result.graph!;
    const params = [...new Map(graph.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()];
    const ref = runGraph(graph, randomWeights(params, 5), [image, scale]);
    expect(relL2(out['heat']!, ref.get('heat')!.data)).toBeLessThan(1e-5);
    expect(relL2(out['pooled']!, ref.get('pooled')!.data)).toBeLessThan(1e-5);
    expect(result.dts).toContain('heat: Float32Array;');
    expect(result.dts).toContain('run(x: ModelInputs): ModelOutputs;');

    expect(() => model.run(image.data)).toThrow(/2 inputs \(image, scale\)/);
    expect(() => model.run({ image: image.data })).toThrow(/missing input scale/);
    expect(() => model.run({ image: image.data, scale: scale.data, extra: scale.data })).toThrow(/unknown input extra/);
    expect(() => model.run({ image: new Float64Array(432), scale: scale.data })).toThrow(/must be a Float32Array .* got Float64Array/);
    expect(() => model.run({ image: new Float32Array(10), scale: scale.data })).toThrow(/\[1, 3, 12, 12\] \(432 values\), got 10 values/);
    expect(() => model.run({ image: { data: image.data, shape: [1, 12, 12, 3] }, scale: scale.data })).toThrow(/must have shape \[1, 3, 12, 12\]/);
    await expect(mod.load(join(dir, 'model.wasm'), { weights: new Uint8Array(3) })).rejects.toThrow(/weights file has 3 bytes/);
  });

  test('single input and output, embedded weights, loaded from bytes and a file: URL', async () => {
    const { dir, mod, result } = await emit('One', false);
    const x = randomTensor([1, 2, 8, 8], rng(4));
    const fromUrl = await mod.load(pathToFileURL(join(dir, 'model.wasm')));
    const fromBytes = await mod.load(result.wasm!);
    const a = fromUrl.run(x.data) as Float32Array;
    const b = fromBytes.run(x.data) as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(a).toEqual(b);
    const graph = result.graph!;
    const params = [...new Map(graph.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()];
    expect(relL2(a, runGraph(graph, randomWeights(params, 5), [x]).get('y')!.data)).toBeLessThan(1e-5);
    expect(result.dts).toContain('run(x: Float32Array | TensorInput | ModelInputs): Float32Array;');
    await expect(mod.load(join(dir, 'missing.wasm'))).rejects.toThrow(/cannot read module/);
  });
});
