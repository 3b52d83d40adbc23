/**
 * Winograd convolution (conv-winograd.ts): the transform matrices, the kernel against the
 * interpreter on random shapes (forced on), a whole graph with concat views and residual
 * epilogues, and the cost model's choices.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api.ts';
import { runGraph } from '../../src/interp/run.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import type { ConvAttrs } from '../../src/ops/attrs.ts';
import { convInterp } from '../../src/ops/conv/interp.ts';
import { buildSingleConv, convOutShape } from './conv-standalone.ts';
import { withEpilogue } from './conv-cases.ts';
import { chooseWinograd } from '../../src/wasm/kernels/conv-winograd.ts';
import type { ConvSpec } from '../../src/wasm/kernels/direct-conv.ts';
import type { Epilogue } from '../../src/ir/graph.ts';
import { winogradMatrices } from '../../src/wasm/kernels/winograd-transforms.ts';
import { randomTensor, relL2, rng, runWasm } from './harness.ts';

describe('Winograd matrices', () => {
  for (const m of [2, 4] as const) {
    it(`F(${m},3) computes a 1-D correlation exactly (float64)`, () => {
      const w = winogradMatrices(m);
      const next = rng(m);
      for (let trial = 0; trial < 5; trial++) {
        const d = Array.from({ length: w.a }, () => next() * 2 - 1);
        const g = [0, 1, 2].map(() => next() * 2 - 1);
        const u = w.G.map((row) => row[0]! * g[0]! + row[1]! * g[1]! + row[2]! * g[2]!);
        const v = w.BT.map((row) => row.reduce((s, c, k) => s + c * d[k]!, 0));
        const y = w.AT.map((row) => row.reduce((s, c, k) => s + c * u[k]! * v[k]!, 0));
        const expected = Array.from({ length: m }, (_, i) => d[i]! * g[0]! + d[i + 1]! * g[1]! + d[i + 2]! * g[2]!);
        y.forEach((v2, i) => expect(v2).toBeCloseTo(expected[i]!, 12));
      }
    });
  }
});

interface Case {
  name: string;
  x: number[];
  cout: number;
  pad?: number;
  epilogue?: Epilogue;
}

function attrsOf(c: Case): ConvAttrs & { epilogue?: Epilogue } {
  const p = c.pad ?? 1;
  return { rank: 2, outChannels: c.cout, kernel: [3, 3], stride: [1, 1], padBegin: [p, p], padEnd: [p, p], dilation: [1, 1], groups: 1, bias: true, epilogue: c.epilogue };
}

function reference(c: Case, x: Tensor, w: Tensor, b: Tensor, res?: Float32Array): Float32Array {
  const attrs = attrsOf(c);
  return withEpilogue(convInterp([x], { weight: w, bias: b }, attrs, convOutShape(c.x, attrs)).data, res, c.epilogue);
}

const cases: Case[] = [
  { name: '64->64 on 20x20 (F4, whole tiles)', x: [1, 64, 20, 20], cout: 64 },
  { name: 'odd sizes 5->7 on 9x11 (edge tiles overlap)', x: [1, 5, 9, 11], cout: 7 },
  { name: 'no padding 6->10 on 13x10, relu', x: [1, 6, 13, 10], cout: 10, pad: 0, epilogue: { activation: 'relu' } },
  { name: 'residual + relu, batch 2, 12->12 on 11x13', x: [2, 12, 11, 13], cout: 12, epilogue: { activation: 'relu', residual: true } },
  { name: 'residual + clip, 3 output channels (tail block)', x: [1, 16, 8, 8], cout: 3, epilogue: { activation: 'clip', min: -0.5, max: 0.5, residual: true } },
  { name: 'leaky relu, 130 input channels (long reduction)', x: [1, 130, 6, 7], cout: 9, epilogue: { activation: 'leaky_relu', slope: 0.1 } },
  { name: 'sigmoid, batch 2, 3x3 outputs (F2 only)', x: [2, 4, 3, 3], cout: 8, epilogue: { activation: 'sigmoid' } },
  { name: '2x2 outputs without padding (F2, one tile)', x: [1, 8, 4, 4], cout: 4, pad: 0 },
  { name: 'many tile groups: 48->40 on 30x29', x: [1, 48, 30, 29], cout: 40 },
];

describe('Winograd convolution vs interpreter', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const n = (s: number[]): number => s.reduce((a, b) => a * b, 1);
      const next = rng(500 + i);
      const wShape = [c.cout, c.x[1]!, 3, 3];
      const x = randomTensor(c.x, next);
      const w = randomTensor(wShape, next);
      const b = randomTensor([c.cout], next);
      const outShape = convOutShape(c.x, attrsOf(c));
      const res = c.epilogue?.residual ? randomTensor(outShape, next).data : undefined;
      const mod = await buildSingleConv({ xShape: c.x, attrs: attrsOf(c), weight: w, bias: b, winograd: 'always' });
      expect(mod.functions.some((f) => f.startsWith('conv_winograd'))).toBe(true);
      const got = mod.run(x.data, res);
      expect(got.length).toBe(n(outShape));
      expect(relativeL2(got, reference(c, x, w, b, res))).toBeLessThan(1e-5);
    });
  });
});

const NET = `
network WinoBlock {
  in x: f32[1, 16, 12, 12]
  a = x |> a1: conv(16, k=3, pad=1) |> relu
  b = x |> b1: conv(8, k=3, pad=1) |> relu
  c = concat(a, b, axis=1)
  r = c |> r1: conv(24, k=3, pad=1)
  out y = add(r, c) |> relu
}
`;

describe('Winograd in a whole graph', () => {
  it('writes into concat views and fuses the residual add, like the other paths', async () => {
    const result = await compile(NET, { file: 'wino.net', randomWeights: 4 });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = result.graph!;
    expect(graph.nodes.some((n) => n.attrs['outputView'])).toBe(true);
    expect(graph.nodes.some((n) => (n.attrs['epilogue'] as Epilogue | undefined)?.residual)).toBe(true);
    const plain = await compile(NET, { file: 'wino.net', randomWeights: 4, passes: [] });
    const params = [...new Map(plain.graph!.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()];
    const weights = randomWeights(params, 4);
    const x = randomTensor([1, 16, 12, 12], rng(8));
    const ref = runGraph(plain.graph!, weights, [x]).get('y')!;
    const opt = optimize(plain.graph!, weights, {});
    for (const mode of ['always', 'never'] as const) {
      const run = await runWasm(opt.graph, opt.weights, [x], { winograd: mode });
      const wino = run.build.kernelNotes.filter((k) => k.message.startsWith('Winograd'));
      expect(wino.length).toBe(mode === 'always' ? 3 : 0);
      expect(relL2(run.outputs.get('y')!.data, ref.data)).toBeLessThan(1e-5);
    }
  });
});

describe('Winograd cost model', () => {
  const spec = (C: number, Cout: number, H: number, W: number, extra: Partial<ConvSpec> = {}): ConvSpec => ({
    N: 1, C, Cout, groups: 1, inDims: [1, H + 2, W + 2], outDims: [1, H, W], kernel: [1, 3, 3], stride: [1, 1, 1], dilation: [1, 1, 1], residual: false, outBatchStride: Cout * H * W, ...extra,
  });
  it('takes F(4x4,3x3) for a 3x3 64->64 conv on 56x56 and says why', () => {
    const c = chooseWinograd(spec(64, 64, 56, 56));
    expect(c.tile).toBe(4);
    expect(c.reason).toMatch(/^Winograd F\(4x4,3x3\): estimated [\d.]+x less time/);
  });
  it('keeps the matrix-product engine for a tiny plane with few channels', () => {
    const c = chooseWinograd(spec(4, 4, 4, 4));
    expect(c.tile).toBeUndefined();
    expect(c.reason).toMatch(/^matrix-product engine: Winograd/);
  });
  it('offers only F(2x2,3x3) below 4 outputs per axis', () => {
    expect(chooseWinograd(spec(64, 64, 3, 3), 'always').tile).toBe(2);
  });
});
