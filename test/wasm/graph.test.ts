/**
 * Whole networks through compile() and the Wasm module vs the interpreter on the same graph
 * (with and without optimisation passes), determinism of the output bytes, external weights,
 * and build diagnostics.
 */
import { describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { runGraph } from '../../src/interp/run.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { buildModule } from '../../src/wasm/codegen.ts';
import { WasmBuildError } from '../../src/wasm/errors.ts';
import { buildGraph, randomTensor, relL2, rng, runWasm } from './harness.ts';
import { graphParams } from '../../src/ir/params.ts';

const SMALL_NET = `
block Branchy(c: int) {
  in x: [N, C, H, W]
  a = x |> a1: conv(c, k=1) |> relu
  b = x |> b1: conv(c, k=3, pad=1) |> b2: batchnorm |> relu6
  p = x |> maxpool(k=3, stride=1, pad=1) |> p1: conv(c, k=1)
  out concat(a, b, p, axis=1)
}

network Small {
  in x: f32[N, 3, 17, 15]
  y = x |> stem: conv(8, k=3, stride=2, pad=1) |> bn: batchnorm |> relu
  z = y |> mix: Branchy(4)
  r = z |> res: conv(12, k=3, pad=1) |> relu
  s = add(r, z) |> avgpool(k=2, ceil=true) |> up: upsample(scale=2, mode="bilinear")
  out logits = s |> adaptive_avgpool(1) |> flatten |> fc: linear(10) |> softmax(axis=1)
}
`;

async function wasmVsInterp(passes: string[] | undefined, batch: number) {
  const result = await compile(SMALL_NET, { file: 'small.net', bindings: { N: batch }, randomWeights: 3, passes });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const graph = result.graph!;
  if (process.env.SHOW_ERRORS) console.log(graph.nodes.map((n) => `${n.op}${n.attrs['epilogue'] ? '+ep' : ''}${n.attrs['outputView'] ? '+view' : ''}${n.attrs['inPlace'] ? '+inplace' : ''}`).join(' '));
  const x = randomTensor([batch, 3, 17, 15], rng(9));
  // The interpreter runs the unoptimised graph: same source, no passes.
  const plain = await compile(SMALL_NET, { file: 'small.net', bindings: { N: batch }, randomWeights: 3, passes: [] });
  const ref = runGraph(plain.graph!, randomWeights(graphParams(plain.graph!), 3), [x]).get('logits')!;
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(result.wasm! as Uint8Array<ArrayBuffer>), {});
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  const io = result.layout!;
  new Float32Array(memory.buffer, io.inputs[0]!.offset, x.data.length).set(x.data);
  (instance.exports['run'] as () => void)();
  const out = new Float32Array(memory.buffer, io.outputs[0]!.offset, ref.data.length).slice();
  return { err: relL2(out, ref.data), result };
}

describe('whole networks', () => {
  test('optimised build matches the interpreter on the unoptimised graph', async () => {
    const { err, result } = await wasmVsInterp(undefined, 1);
    expect(err).toBeLessThan(1e-5);
    expect(result.layout!.totalBytes).toBeLessThanOrEqual(result.layout!.pages * 65536);
  });

  test('unoptimised build, batch 2', async () => {
    const { err } = await wasmVsInterp([], 2);
    expect(err).toBeLessThan(1e-5);
  });

  test('same inputs give byte-identical modules', async () => {
    const a = await compile(SMALL_NET, { bindings: { N: 1 }, randomWeights: 1 });
    const b = await compile(SMALL_NET, { bindings: { N: 1 }, randomWeights: 1 });
    expect(a.wasm!.length).toBeGreaterThan(1000);
    expect(Buffer.from(a.wasm!).equals(Buffer.from(b.wasm!))).toBe(true);
    expect(a.loader).toBe(b.loader);
    expect(a.dts).toBe(b.dts);
  });

  test('external weights: module without them, same results once copied in', async () => {
    const next = rng(2);
    const graph = buildGraph({ x: [1, 2, 6, 6] }, [
      { op: 'conv', inputs: ['x'], output: 'c', shape: [1, 3, 6, 6], attrs: { rank: 2, outChannels: 3, kernel: [3, 3], stride: [1, 1], padBegin: [1, 1], padEnd: [1, 1], dilation: [1, 1], groups: 1, bias: true }, params: { weight: [3, 2, 3, 3], bias: [3] } },
      { op: 'relu', inputs: ['c'], output: 'y', shape: [1, 3, 6, 6] },
    ]);
    const weights = new Map([
      ['c.weight', randomTensor([3, 2, 3, 3], next)],
      ['c.bias', randomTensor([3], next)],
    ]);
    const x = randomTensor([1, 2, 6, 6], next);
    const inside = await runWasm(graph, weights, [x]);
    const outside = await runWasm(graph, weights, [x], { weightsExternal: true });
    expect(outside.build.weightsBin!.length).toBe(outside.build.layout.constantsBytes);
    expect(outside.build.wasm.length).toBeLessThan(inside.build.wasm.length);
    expect(outside.outputs.get('y')!.data).toEqual(inside.outputs.get('y')!.data);
    const ref = runGraph(graph, weights, [x]).get('y')!;
    expect(relL2(inside.outputs.get('y')!.data, ref.data)).toBeLessThan(1e-5);
  });
});

describe('build diagnostics', () => {
  test('an operator without a kernel is NET4001', async () => {
    const graph = buildGraph({ x: [1, 4] }, [{ op: 'mystery', inputs: ['x'], output: 'y', shape: [1, 4] }]);
    await expect(buildModule(graph, new Map())).rejects.toSatisfy((e: unknown) => e instanceof WasmBuildError && e.diagnostic.code === 'NET4001');
  });

  test('missing weight data is NET4003', async () => {
    const graph = buildGraph({ x: [1, 4] }, [{ op: 'linear', inputs: ['x'], output: 'y', shape: [1, 2], attrs: { outFeatures: 2, bias: false }, params: { weight: [2, 4] } }]);
    await expect(buildModule(graph, new Map())).rejects.toSatisfy((e: unknown) => e instanceof WasmBuildError && e.diagnostic.code === 'NET4003');
  });

  test('compile reports missing weights (NET4005), unknown passes (NET4006) and source errors', async () => {
    const noWeights = await compile(SMALL_NET, { bindings: { N: 1 } });
    expect(noWeights.wasm).toBeUndefined();
    expect(noWeights.diagnostics.map((d) => d.code)).toContain('NET4005');
    const badPass = await compile(SMALL_NET, { bindings: { N: 1 }, randomWeights: 0, passes: ['fuse-everything'] });
    expect(badPass.diagnostics.map((d) => d.code)).toContain('NET4006');
    const broken = await compile('network X { in x: f32[1, 3, 8, 8]\n out y = x |> conv(4, k=3) |> nosuchop }', { randomWeights: 0 });
    expect(broken.wasm).toBeUndefined();
    expect(broken.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
