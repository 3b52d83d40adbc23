/**
 * float16 weights (`--weights-dtype f16`): the float16 encoding, and modules built with it,
 * embedded and external, loaded through the generated loader and compared with the
 * interpreter on the same weights rounded to float16.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { runGraph } from '../../src/interp/run.ts';
import type { WeightStore } from '../../src/ir/graph.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { float16Bits, float16Value, toF16Weights } from '../../src/wasm/f16.ts';
import { randomTensor, relL2, rng } from './harness.ts';

describe('float16 encoding', () => {
  test('known values, rounding to nearest even, overflow, underflow, NaN', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.5)).toBe(0x3800);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(Infinity)).toBe(0x7c00);
    expect(float16Bits(-Infinity)).toBe(0xfc00);
    expect(float16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(NaN) & 0x3ff).not.toBe(0);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(2 ** -25)).toBe(0x0000); // a tie, to even (zero)
    expect(float16Bits(3 * 2 ** -25)).toBe(0x0002); // a tie, to even
    expect(float16Bits(1e-8)).toBe(0);
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie to even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie to even, upwards
    expect(float16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(float16Bits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up into the normals
  });

  test('every float16 value survives decoding and encoding', () => {
    for (let h = 0; h < 65536; h++) {
      const v = float16Value(h);
      if (Number.isNaN(v)) continue;
      expect(float16Bits(v)).toBe(h);
    }
  });

  test('neighbouring float constants merge into one run; integer tables stay apart', () => {
    const a = new Float32Array([1, 2, 3]);
    const b = new Float32Array([4]);
    const t = new Int32Array([7, 8]);
    const c = new Float32Array([5]);
    const f = toF16Weights([{ offset: 64, data: a }, { offset: 80, data: b }, { offset: 96, data: t }, { offset: 112, data: c }]);
    expect(f.runs).toEqual([[64, 5], [112, 1]]);
    expect(f.tables).toEqual([{ offset: 96, data: new Uint8Array(t.buffer) }]);
    expect(Array.from(new Uint16Array(f.bytes.buffer)).map(float16Value)).toEqual([1, 2, 3, 0, 4, 5]);
  });
});

const NET = `
network Small {
  in x: f32[1, 16, 10, 10]
  y = x |> c1: conv(32, k=3, pad=1) |> relu
  out z = y |> c2: conv(8, k=3, pad=1) |> tanh
}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type LoaderModule = { load(source: unknown): Promise<{ run(x: Float32Array): Float32Array }> };

async function loaded(weightsExternal: boolean, weightsDtype: 'f32' | 'f16') {
  const result = await compile(NET, { file: 'small.net', randomWeights: 2, weightsExternal, weightsDtype });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'netc-f16-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.wasm'), result.wasm!);
  writeFileSync(join(dir, 'model.js'), result.loader!);
  if (result.weightsBin) writeFileSync(join(dir, 'model.weights.bin'), result.weightsBin);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'model.js')).href)) as LoaderModule;
  return { result, model: await mod.load(join(dir, 'model.wasm')) };
}

describe('modules with float16 weights', () => {
  for (const external of [false, true]) {
    test(`${external ? 'external' : 'embedded'} weights: half the bytes, the interpreter's result on rounded weights`, async () => {
      const f32 = await loaded(external, 'f32');
      const f16 = await loaded(external, 'f16');
      const bytes = (r: typeof f32.result): number => (external ? r.weightsBin!.length : r.wasm!.length);
      // 18 KB of weights against a few KB of code and tables.
      expect(bytes(f16.result)).toBeLessThan(0.6 * bytes(f32.result));
      if (external) expect(f16.result.weightsBin!.length * 2).toBe(f16.result.layout!.f16!.runs.reduce((s, r) => s + r[1], 0) * 4);

      const graph = f16.result.graph!;
      const params = [...new Map(graph.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()];
      const weights = randomWeights(params, 2);
      const rounded: WeightStore = new Map([...weights].map(([k, t]) => [k, { shape: t.shape, data: t.data.map((v) => float16Value(float16Bits(v))) }]));
      const x = randomTensor([1, 16, 10, 10], rng(3));
      const exact = runGraph(graph, weights, [x]).get('z')!.data;
      const onRounded = runGraph(graph, rounded, [x]).get('z')!.data;
      const got = f16.model.run(x.data);
      expect(relL2(got, onRounded)).toBeLessThan(1e-5);
      const cost = relL2(got, exact);
      expect(cost).toBeGreaterThan(1e-5);
      expect(cost).toBeLessThan(5e-3);
      expect(relL2(f32.model.run(x.data), exact)).toBeLessThan(1e-5);
    });
  }
});
