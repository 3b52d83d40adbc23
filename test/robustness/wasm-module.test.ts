/**
 * The emitted module and its loader under bad input: inputs of the wrong type, length or
 * shape are rejected with a clear error naming the model and the input; NaN and infinities
 * flow through a conv/relu/pool network without traps, where the interpreter puts them; and
 * the same source and weights always give byte-identical modules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/api.ts';
import { checkSource } from '../../src/check/check.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import { runGraph } from '../../src/interp/run.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import type { WeightStore } from '../../src/ir/graph.ts';
import { graphParams } from '../../src/ir/params.ts';

const NET = `network Small {
  in x: f32[1, 2, 8, 8]
  out y = x |> c1: conv(4, k=3, pad=1) |> relu |> maxpool(k=2) |> c2: conv(3, k=3, pad=1) |> bn |> relu |> avgpool(k=2)
}
`;

interface Model {
  run(x: unknown): Float32Array | Record<string, Float32Array>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The interpreter's output on the graph as checked, with the weights compile() made from the seed. */
function reference(source: string, seed: number, x: Float32Array): Float32Array {
  const graph = concretize(checkSource(source, 'small.net').graphs[0]!, new Map()).graph!;
  const input: Tensor = { shape: graph.values[graph.inputs[0]!.value]!.shape, data: x.slice() };
  return runGraph(graph, randomWeights(graphParams(graph), seed), [input]).get('y')!.data;
}

async function loadModel(source: string, seed: number): Promise<{ model: Model }> {
  const result = await compile(source, { file: 'small.net', randomWeights: seed });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'netc-robust-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.wasm'), result.wasm!);
  writeFileSync(join(dir, 'model.js'), result.loader!);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'model.js')).href)) as { load(s: unknown): Promise<Model> };
  return { model: await mod.load(result.wasm!) };
}

describe('loader input checks', () => {
  it.each([
    ['null', null, /Float32Array or an object keyed by input name|must be a Float32Array/],
    ['undefined', undefined, /Float32Array or an object keyed by input name|must be a Float32Array/],
    ['a number', 42, /Float32Array or an object keyed by input name|must be a Float32Array/],
    ['a string', 'x', /Float32Array or an object keyed by input name|must be a Float32Array/],
    ['a plain array', new Array(128).fill(0), /must be a Float32Array|unknown input/],
    ['a Float64Array', new Float64Array(128), /must be a Float32Array .*got Float64Array/],
    ['an Int32Array', new Int32Array(128), /must be a Float32Array .*got Int32Array/],
    ['one value short', new Float32Array(127), /\(128 values\), got 127 values/],
    ['one value over', new Float32Array(129), /\(128 values\), got 129 values/],
    ['empty', new Float32Array(0), /\(128 values\), got 0 values/],
    ['a wrong shape', { data: new Float32Array(128), shape: [1, 8, 8, 2] }, /must have shape \[1, 2, 8, 8\]/],
    ['a shape of another rank', { data: new Float32Array(128), shape: [128] }, /must have shape \[1, 2, 8, 8\]/],
    ['a shape with NaN', { data: new Float32Array(128), shape: [1, 2, 8, Number.NaN] }, /must have shape/],
    ['a shape that is not an array', { data: new Float32Array(128), shape: '1,2,8,8' }, /must have shape/],
    ['data of the wrong type', { data: [1, 2, 3], shape: [1, 2, 8, 8] }, /must be a Float32Array/],
    ['an unknown input name', { z: new Float32Array(128) }, /unknown input z|must be a Float32Array/],
  ])('%s is rejected with a clear error', async (_name, input, message) => {
    const { model } = await loadModel(NET, 1);
    let error: unknown;
    try {
      model.run(input);
    } catch (e) {
      error = e;
    }
    expect(error, 'an error').toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('Small');
    expect(error).not.toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it('a view into a larger buffer and a correct call after a rejected one work', async () => {
    const { model } = await loadModel(NET, 2);
    const big = new Float32Array(1000).map((_, i) => Math.sin(i));
    const view = big.subarray(100, 228);
    expect(() => model.run(new Float32Array(3))).toThrow();
    const out = model.run(view) as Float32Array;
    const ref = reference(NET, 2, view);
    expect(out.length).toBe(ref.length);
    for (let i = 0; i < out.length; i++) expect(Math.abs(out[i]! - ref[i]!)).toBeLessThan(1e-4);
  });
});

describe('non-finite values', () => {
  it('NaN and infinities flow through conv, relu, pooling and batch norm without traps', async () => {
    const { model } = await loadModel(NET, 3);
    const x = new Float32Array(128).map((_, i) => Math.cos(i));
    x[0] = Number.NaN;
    x[70] = Number.POSITIVE_INFINITY;
    x[127] = Number.NEGATIVE_INFINITY;
    const out = model.run(x) as Float32Array;
    expect(out.length).toBe(3 * 2 * 2);
    const ref = reference(NET, 3, x);
    // Non-finite where the interpreter has them (the same windows are reached), finite and equal elsewhere.
    for (let i = 0; i < out.length; i++) {
      expect(Number.isFinite(out[i]), `output ${i}: wasm ${out[i]}, interpreter ${ref[i]}`).toBe(Number.isFinite(ref[i]));
      if (Number.isFinite(ref[i])) expect(Math.abs(out[i]! - ref[i]!)).toBeLessThan(1e-4);
    }
    expect(out.some((v) => !Number.isFinite(v))).toBe(true);
  });

  it('an all-NaN and an all-infinite input run', async () => {
    const { model } = await loadModel(NET, 4);
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4e38, -3.4e38, 1e-45]) {
      const out = model.run(new Float32Array(128).fill(v)) as Float32Array;
      expect(out.length).toBe(12);
    }
  });
});

describe('deterministic builds', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/models/${name}`, import.meta.url), 'utf8');

  it.each([
    ['the small network', NET],
    ['convbn_leaky', fixture('convbn_leaky.net')],
    ['dcgan_generator_ngf16', fixture('dcgan_generator_ngf16.net')],
  ])('%s: two builds give byte-identical modules', async (_name, source) => {
    const a = await compile(source, { randomWeights: 7 });
    const b = await compile(source, { randomWeights: 7 });
    expect(a.wasm, a.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
    expect(Buffer.from(a.wasm!).equals(Buffer.from(b.wasm!))).toBe(true);
    expect(a.loader).toBe(b.loader);
    const c = await compile(source, { randomWeights: 7, weightsExternal: true });
    const d = await compile(source, { randomWeights: 7, weightsExternal: true });
    expect(Buffer.from(c.wasm!).equals(Buffer.from(d.wasm!))).toBe(true);
    expect(Buffer.from(c.weightsBin!).equals(Buffer.from(d.weightsBin!))).toBe(true);
  });

  it('given weights: the order of the weight store does not change the module', async () => {
    const graph = concretize(checkSource(NET, 'small.net').graphs[0]!, new Map()).graph!;
    const original: WeightStore = randomWeights(graphParams(graph), 9);
    const reversed: WeightStore = new Map([...original].reverse());
    const a = await compile(NET, { weights: original });
    const b = await compile(NET, { weights: reversed });
    expect(a.wasm, a.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
    expect(Buffer.from(a.wasm!).equals(Buffer.from(b.wasm!))).toBe(true);
    expect(original.size).toBeGreaterThan(0);
  });
});
